"""Wrong TOTP codes count towards the lockout as wrong passwords do: five of either lock the account."""

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from axes.models import AccessAttempt
from django.urls import reverse

from .signing_in import MFA_URL, post_password, sign_in, totp_code, wrong_totp_code
from .test_lockout import WRONG, _fail, _is_signed_in


def _at_code_stage(client, user):
    response = post_password(client, user.email)
    assert response["Location"] == MFA_URL
    return client


def _wrong_codes(client, user, times: int):
    return [client.post(MFA_URL, {"code": wrong_totp_code(user.totp_secret)}) for _ in range(times)]


def _is_locked_out_page(response) -> bool:
    return response.status_code == 429 and "account/locked_out.html" in [t.name for t in response.templates]


def test_fifth_wrong_code_shows_the_locked_out_page(client, advocate):
    user = advocate.user
    _at_code_stage(client, user)

    responses = _wrong_codes(client, user, times=5)

    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert _is_locked_out_page(responses[4])
    assert not _is_signed_in(client)


def test_right_code_is_refused_after_five_wrong_ones(client, advocate, six_minutes_pass):
    user = advocate.user
    _at_code_stage(client, user)
    _wrong_codes(client, user, times=5)
    six_minutes_pass()  # allauth's own limit on codes has expired; only the axes lock is left

    response = client.post(MFA_URL, {"code": totp_code(user.totp_secret)})

    assert _is_locked_out_page(response)
    assert not _is_signed_in(client)


def test_right_password_is_refused_after_five_wrong_codes(client, advocate, six_minutes_pass):
    user = advocate.user
    _at_code_stage(client, user)
    _wrong_codes(client, user, times=5)
    client.logout()
    six_minutes_pass()

    response = post_password(client, user.email)

    assert _is_locked_out_page(response)


def test_wrong_passwords_and_wrong_codes_add_up(client, advocate, six_minutes_pass):
    user = advocate.user
    _fail(client, user.email, times=3)
    _at_code_stage(client, user)

    responses = _wrong_codes(client, user, times=2)

    assert responses[0].status_code == 200
    assert _is_locked_out_page(responses[1])
    client.logout()  # else allauth sends the login page straight back to the pending code stage
    six_minutes_pass()
    assert _is_locked_out_page(post_password(client, user.email))


def test_recovery_code_is_refused_and_not_spent_while_locked(client, advocate, six_minutes_pass):
    user = advocate.user
    code = RecoveryCodes.activate(user).get_unused_codes()[0]
    _at_code_stage(client, user)
    _wrong_codes(client, user, times=5)
    six_minutes_pass()

    assert _is_locked_out_page(client.post(MFA_URL, {"code": code}))
    assert code in RecoveryCodes.activate(user).get_unused_codes()


def test_signing_in_with_the_code_resets_the_count(client, advocate, six_minutes_pass):
    user = advocate.user
    _at_code_stage(client, user)
    _wrong_codes(client, user, times=4)
    assert client.post(MFA_URL, {"code": totp_code(user.totp_secret)})["Location"] == reverse("web:home")
    client.logout()
    six_minutes_pass()

    assert [r.status_code for r in _fail(client, user.email, times=4)] == [200] * 4


def test_wrong_codes_are_stored_under_the_email(client, advocate, settings):
    settings.AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
    user = advocate.user
    post_password(client, user.email, WRONG)
    _at_code_stage(client, user)

    _wrong_codes(client, user, times=2)

    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start) == (user.email, 3)


def test_wrong_codes_at_reauthentication_count_too(client, advocate):
    # allauth asks for the code again before a sensitive change; guessing there is guessing too.
    user = advocate.user
    sign_in(client, user)

    responses = [client.post(reverse("mfa_reauthenticate"), {"code": wrong_totp_code(user.totp_secret)})
                 for _ in range(5)]

    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert _is_locked_out_page(responses[4])
