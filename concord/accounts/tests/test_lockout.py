"""Five failed sign-ins lock the account: allauth refuses for 5 minutes, django-axes for 30."""

from axes.models import AccessAttempt
from axes.signals import user_locked_out

from .signing_in import MFA_URL, post_password, sign_in

WRONG = "not the password at all"


def _fail(client, email: str, times: int = 5):
    return [post_password(client, email, WRONG) for _ in range(times)]


def _is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_fifth_failure_shows_the_locked_out_page(client, advocate):
    responses = _fail(client, advocate.user.email)

    assert [r.status_code for r in responses[:4]] == [200] * 4
    assert responses[4].status_code == 429
    assert "account/locked_out.html" in [t.name for t in responses[4].templates]


def test_right_password_is_refused_after_five_failures(client, advocate):
    _fail(client, advocate.user.email)

    response = post_password(client, advocate.user.email)

    assert response.status_code in (200, 429)
    assert not response.get("Location")  # not sent on to the TOTP stage
    assert not _is_signed_in(client)
    assert client.get(MFA_URL).status_code == 302  # no half-finished login either


def test_axes_lock_outlasts_allauths_rate_limit(client, advocate, six_minutes_pass):
    _fail(client, advocate.user.email)
    six_minutes_pass()

    response = post_password(client, advocate.user.email)

    assert response.status_code == 429
    assert "account/locked_out.html" in [t.name for t in response.templates]
    assert not _is_signed_in(client)


def test_lockout_counts_the_email_whatever_its_case(client, advocate, six_minutes_pass):
    email = advocate.user.email
    for variant in (email, email.upper(), email.title(), email, email.upper()):
        post_password(client, variant, WRONG)
    six_minutes_pass()

    assert post_password(client, email).status_code == 429


def test_axes_records_the_email_as_username(client, advocate):
    locked = []

    def receiver(sender, request, username, ip_address, **kwargs):
        locked.append(username)

    user_locked_out.connect(receiver)
    try:
        _fail(client, advocate.user.email)
    finally:
        user_locked_out.disconnect(receiver)

    assert locked == [advocate.user.email]


def test_production_handler_stores_attempts_under_the_email(client, advocate, settings):
    # Production counts in the database (AXES_HANDLER is the cache handler only under test).
    settings.AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"

    _fail(client, advocate.user.email)

    attempt = AccessAttempt.objects.get()
    assert attempt.username == advocate.user.email
    assert attempt.failures_since_start == 5


def test_lockout_of_one_account_leaves_others_signing_in(client, advocate, officer):
    _fail(client, advocate.user.email)

    response = post_password(client, officer.user.email)

    assert response.status_code == 302
    assert response["Location"] == MFA_URL


def test_password_alone_does_not_reset_the_count(client, advocate, six_minutes_pass):
    # Only a completed sign-in (password and TOTP) resets it: knowing the password is not enough.
    _fail(client, advocate.user.email, times=4)
    assert post_password(client, advocate.user.email)["Location"] == MFA_URL
    client.logout()
    six_minutes_pass()

    response = post_password(client, advocate.user.email, WRONG)

    assert response.status_code == 429


def test_completed_sign_in_resets_the_count(client, advocate, six_minutes_pass):
    _fail(client, advocate.user.email, times=4)
    sign_in(client, advocate.user)
    client.logout()
    six_minutes_pass()

    responses = _fail(client, advocate.user.email, times=4)

    assert [r.status_code for r in responses] == [200] * 4


def test_many_accounts_tried_from_one_address_are_throttled(client, advocate):
    # Password spraying: one guess each at many e-mails. Axes counts per account, so allauth's
    # limit of 10 failures a minute per IP address is what stops it (why axes.W006 is silenced).
    for n in range(10):
        post_password(client, f"guess{n}@example.org", WRONG)

    response = post_password(client, advocate.user.email)

    assert not response.get("Location")
    assert not _is_signed_in(client)
    assert "Too many failed login attempts" in response.content.decode()
