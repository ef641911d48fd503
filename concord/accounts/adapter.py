from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.urls import reverse

from . import first_sign_in, second_factors


class StaffAccountAdapter(DefaultAccountAdapter):
    """Staff accounts are created by administrators; nobody signs themselves up."""

    def is_open_for_signup(self, request):
        return False

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="", message=None):
        # "Successfully signed in" says nothing to someone whose first sign-in has steps still to go.
        if message_template == "account/messages/logged_in.txt" and first_sign_in.pending_step(request.user):
            return
        super().add_message(request, level, message_template, message_context, extra_tags, message)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        request = self.request
        if app == "allauth.mfa" and request is not None and first_sign_in.may_skip_reauthentication(request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def get_password_change_redirect_url(self, request):
        # Onward: the home page, or (on a first sign-in) the next step, which the middleware sends her to.
        return reverse("web:home")

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
