"""rotate_field_keys re-encrypts the TOTP secrets and recovery-code seeds with the newest field key."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command

from concord.accounts import second_factors

from .signing_in import sign_in

pytestmark = pytest.mark.django_db


def stored(user, kind) -> dict:
    return Authenticator.objects.values_list("data", flat=True).get(user=user, type=kind)


def test_rotation_reencrypts_second_factors_so_the_old_key_can_go(client, advocate, settings):
    user = advocate.user
    RecoveryCodes.activate(user)
    recovery_codes = RecoveryCodes(Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES))
    codes = recovery_codes.generate_codes()
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    with pytest.raises(CommandError, match="still need an older key"):
        call_command("rotate_field_keys", "--verify-only")

    call_command("rotate_field_keys")

    settings.FIELD_ENCRYPTION_KEYS = [new_key]  # the old key is retired
    newest = Fernet(new_key.encode())
    for data in Authenticator.objects.values_list("data", flat=True):
        for value in second_factors.secrets_in(data):
            newest.decrypt(value.removeprefix(second_factors.PREFIX).encode())  # raises if it cannot
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert RecoveryCodes(authenticator).generate_codes() == codes
    call_command("rotate_field_keys", "--verify-only")
    sign_in(client, user)


def test_rotation_seals_a_secret_left_in_clear(clear_totp):
    with pytest.raises(CommandError, match="still need an older key"):
        call_command("rotate_field_keys", "--verify-only")  # a clear secret is not yet safe

    call_command("rotate_field_keys")

    secret = stored(clear_totp, Authenticator.Type.TOTP)["secret"]
    assert second_factors.open_secret(secret) == clear_totp.totp_secret != secret
