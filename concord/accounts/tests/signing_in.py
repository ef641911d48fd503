"""Signing in as a member of staff would: e-mail and password at allauth's form, then the TOTP code
their authenticator app shows. Shared by the accounts tests and the browser journeys."""

from __future__ import annotations

import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from concord.testing.factories import TEST_PASSWORD

LOGIN_URL = "/accounts/login/"
MFA_URL = "/accounts/2fa/authenticate/"


def totp_code(secret: str, *, margin: float = 2.0) -> str:
    """The code an authenticator app shows now, computed with allauth's own HOTP.

    allauth accepts only the current 30-second step (MFA_TOTP_TOLERANCE 0), so a code read in the
    step's last moments could be stale by the time it is posted: wait for the next step then.
    """
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.05)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def wrong_totp_code(secret: str) -> str:
    right = int(totp_code(secret))
    return format_hotp_value((right + 1) % 10**mfa_settings.TOTP_DIGITS)


def post_password(client, email: str, password: str = TEST_PASSWORD):
    return client.post(LOGIN_URL, {"login": email, "password": password})


def sign_in(client, user, password: str = TEST_PASSWORD) -> None:
    """The whole sign-in: password, then (for a user with TOTP) the code. Fails loudly if refused."""
    response = post_password(client, user.email, password)
    assert response.status_code == 302, f"password stage refused: {response.status_code}"
    if response["Location"] == MFA_URL:
        response = client.post(MFA_URL, {"code": totp_code(user.totp_secret)})
        assert response.status_code == 302, f"TOTP stage refused: {response.status_code}"
    assert response["Location"] == reverse("web:home"), response["Location"]
