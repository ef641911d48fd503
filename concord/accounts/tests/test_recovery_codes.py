"""A recovery code stands in for the TOTP code at sign-in (a lost phone), once only."""

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.urls import reverse

from .signing_in import MFA_URL, post_password


def test_a_recovery_code_signs_in_once_and_not_twice(client, advocate):
    user = advocate.user
    code = RecoveryCodes.activate(user).get_unused_codes()[0]

    assert post_password(client, user.email)["Location"] == MFA_URL
    first = client.post(MFA_URL, {"code": code})
    assert first.status_code == 302 and first["Location"] == reverse("web:home")
    assert client.get(reverse("web:home")).status_code == 200  # the code counts as the second factor
    client.post(reverse("account_logout"))

    assert post_password(client, user.email)["Location"] == MFA_URL
    second = client.post(MFA_URL, {"code": code})
    assert second.status_code == 200
    assert second.context["form"].errors["code"]
    assert "_auth_user_id" not in client.session
