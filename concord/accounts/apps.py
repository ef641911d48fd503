from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "concord.accounts"
    label = "accounts"
    verbose_name = "Staff, agencies and areas"

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        from .selectors import ENROLLED_THIS_SESSION_KEY

        def remember_enrolment(sender, request, user, authenticator, **kwargs):
            if request is not None and hasattr(request, "session"):
                request.session[ENROLLED_THIS_SESSION_KEY] = True

        authenticator_added.connect(remember_enrolment, dispatch_uid="concord_totp_enrolled")
