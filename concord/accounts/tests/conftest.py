import time
from types import SimpleNamespace

import pytest
from allauth.core.internal import ratelimit as allauth_ratelimit
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import generate_totp_secret

from concord.testing.factories import make_actor


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # These tests type passwords dozens of times; Argon2 (production's hasher, ~0.1 s a hash and
    # far more on a loaded machine) would make them slow without proving anything more here.
    # test_deploy_settings checks that production hashes with Argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def advocate_without_totp(advocacy):
    """A member of staff who has not yet set up an authenticator app."""
    return make_actor(advocacy, with_totp=False)


@pytest.fixture
def demo_advocate(advocacy):
    """One of the printed demo accounts: no TOTP, marked as a demo account."""
    return make_actor(advocacy, with_totp=False, is_demo_account=True)


@pytest.fixture
def six_minutes_pass(monkeypatch):
    """Moves allauth's rate-limit clock on: its own limit (5 per 5 minutes per e-mail) expires, and
    only axes' 30-minute lock is left to refuse. Axes' clock is left alone."""

    def move_on():
        later = SimpleNamespace(time=lambda: time.time() + 6 * 60, monotonic=time.monotonic, sleep=time.sleep)
        monkeypatch.setattr(allauth_ratelimit, "time", later)

    return move_on


@pytest.fixture
def clear_totp(advocate):
    """An authenticator as allauth stored it before encryption: the secret in clear."""
    user = advocate.user
    Authenticator.objects.filter(user=user).delete()
    user.totp_secret = generate_totp_secret()
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": user.totp_secret})
    Authenticator.objects.create(user=user, type=Authenticator.Type.RECOVERY_CODES,
                                 data={"seed": "ab" * 40, "used_mask": 0})
    return user
