from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from . import second_factors


class StaffAccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by administrators; nobody signs themselves up."""

    def is_open_for_signup(self, request):
        return False

    def pre_login(self, request, user, **kwargs):
        # A service account is another system: it calls the API with approved tokens and never signs
        # in, whatever password someone may have given it (a reset mailed to an address they control).
        if getattr(user, "is_service_account", False):
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return self.respond_user_inactive(request, user)
        return super().pre_login(request, user, **kwargs)


class StaffMFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored encrypted with the field keys, not in clear."""

    def encrypt(self, text: str) -> str:
        return second_factors.seal(text)

    def decrypt(self, encrypted_text: str) -> str:
        # A value stored before encryption opens as it is until the migration (accounts 0003) seals it.
        return second_factors.open_secret(encrypted_text)
