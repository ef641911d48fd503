from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from . import second_factors


class StaffAccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by administrators; nobody signs themselves up."""

    def is_open_for_signup(self, request):
        return False


class StaffMFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored encrypted with the field keys, not in clear."""

    def encrypt(self, text: str) -> str:
        return second_factors.seal(text)

    def decrypt(self, encrypted_text: str) -> str:
        # A value stored before encryption opens as it is until the migration (accounts 0003) seals it.
        return second_factors.open_secret(encrypted_text)
