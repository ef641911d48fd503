"""TOTP secrets and recovery-code seeds are stored encrypted with the field keys; the migration seals old ones."""

import importlib

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from cryptography.fernet import Fernet
from django.apps import apps

from concord.accounts import second_factors
from concord.testing.factories import make_user

from .signing_in import MFA_URL, post_password, sign_in, totp_code

pytestmark = pytest.mark.django_db

migration = importlib.import_module("concord.accounts.migrations.0003_encrypt_second_factors")


def stored(user, kind) -> dict:
    return Authenticator.objects.values_list("data", flat=True).get(user=user, type=kind)


def test_totp_secret_is_stored_encrypted_and_opens_to_the_secret():
    user = make_user(with_totp=True)

    secret = stored(user, Authenticator.Type.TOTP)["secret"]

    assert secret != user.totp_secret
    assert user.totp_secret not in secret
    assert secret.startswith(second_factors.PREFIX)
    assert second_factors.open_secret(secret) == user.totp_secret


def test_sign_in_with_a_code_from_the_encrypted_secret_works(client, advocate):
    sign_in(client, advocate.user)

    assert "_auth_user_id" in client.session


def test_recovery_code_seed_is_stored_encrypted_and_its_codes_still_sign_in(client, advocate):
    user = advocate.user
    codes = RecoveryCodes.activate(user)

    seed = stored(user, Authenticator.Type.RECOVERY_CODES)["seed"]
    assert seed.startswith(second_factors.PREFIX)
    assert len(second_factors.open_secret(seed)) == 80  # allauth's seed: 40 random bytes in hex

    assert post_password(client, user.email)["Location"] == MFA_URL
    assert client.post(MFA_URL, {"code": codes.get_unused_codes()[0]}).status_code == 302
    assert "_auth_user_id" in client.session


def test_a_clear_secret_still_signs_in_before_the_migration(client, clear_totp):
    sign_in(client, clear_totp)


def test_migration_encrypts_clear_secrets(client, clear_totp):
    migration.encrypt_second_factors(apps, None)

    totp = stored(clear_totp, Authenticator.Type.TOTP)
    recovery = stored(clear_totp, Authenticator.Type.RECOVERY_CODES)
    assert totp["secret"].startswith(second_factors.PREFIX)
    assert second_factors.open_secret(totp["secret"]) == clear_totp.totp_secret
    assert second_factors.open_secret(recovery["seed"]) == "ab" * 40
    assert recovery["used_mask"] == 0
    sign_in(client, clear_totp)


def test_migration_leaves_encrypted_secrets_alone():
    user = make_user(with_totp=True)
    RecoveryCodes.activate(user)
    before = list(Authenticator.objects.order_by("pk").values_list("data", flat=True))

    migration.encrypt_second_factors(apps, None)

    assert list(Authenticator.objects.order_by("pk").values_list("data", flat=True)) == before


def test_migration_reversed_leaves_the_secret_in_clear(clear_totp):
    migration.encrypt_second_factors(apps, None)
    migration.decrypt_second_factors(apps, None)

    assert stored(clear_totp, Authenticator.Type.TOTP)["secret"] == clear_totp.totp_secret


def test_sealing_twice_is_refused():
    with pytest.raises(ValueError, match="already encrypted"):
        second_factors.seal(second_factors.seal("JBSWY3DPEHPK3PXP"))


def test_code_from_a_secret_no_key_opens_fails_loudly(client, advocate, settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    post_password(client, advocate.user.email)

    with pytest.raises(RuntimeError, match="could not be decrypted"):
        client.post(MFA_URL, {"code": totp_code(advocate.user.totp_secret)})
