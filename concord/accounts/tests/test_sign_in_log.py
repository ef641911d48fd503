"""Sign-in, failed sign-in, sign-out and second-factor changes are written to the access log (the
actions were listed in docs/audit.md and nothing wrote them)."""

from django.urls import reverse

from concord.audit.models import AccessLogEntry

from .signing_in import MFA_URL, post_password, sign_in, wrong_totp_code


def entries(action, **filters):
    return list(AccessLogEntry.objects.filter(action=action, **filters).order_by("sequence"))


def test_signing_in_and_out_are_logged_with_the_account_and_address(client, advocate):
    user = advocate.user
    sign_in(client, user)
    (signed_in,) = entries("login", user_id=user.pk)
    assert signed_in.object_type == "user" and signed_in.ip_address == "127.0.0.1"
    client.post(reverse("account_logout"))
    assert len(entries("logout", user_id=user.pk)) == 1


def test_a_wrong_password_or_code_is_a_failed_sign_in_of_that_account(client, advocate):
    user = advocate.user
    post_password(client, user.email, "not-the-password")
    assert len(entries("login_failed", user_id=user.pk)) == 1
    assert post_password(client, user.email)["Location"] == MFA_URL
    client.post(MFA_URL, {"code": wrong_totp_code(user.totp_secret)})
    assert len(entries("login_failed", user_id=user.pk)) == 2
    assert not entries("login", user_id=user.pk)


def test_an_address_that_is_no_account_is_not_written_down(client, db):
    post_password(client, "stranger@example.org", "guess")
    (failed,) = entries("login_failed")
    assert failed.user_id is None and "stranger" not in failed.user_label + failed.object_id + str(failed.fields)
