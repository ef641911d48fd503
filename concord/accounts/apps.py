from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "concord.accounts"
    label = "accounts"
    verbose_name = "Staff, agencies and areas"

    def ready(self):
        from allauth.account.signals import password_changed, password_reset, password_set
        from allauth.mfa.signals import authentication_failed, authenticator_added

        from . import (
            mail,  # noqa: F401 - registers the check that production can send mail
            signin_log,
        )
        from .lockout import count_wrong_code
        from .selectors import ENROLLED_THIS_SESSION_KEY

        def remember_enrolment(sender, request, user, authenticator, **kwargs):
            if request is not None and hasattr(request, "session"):
                request.session[ENROLLED_THIS_SESSION_KEY] = True

        # weak=False: the receiver is local to ready(); a weak reference would be collected at once,
        # enrolment would go unremembered and the next request would sign her out.
        authenticator_added.connect(remember_enrolment, weak=False, dispatch_uid="concord_totp_enrolled")
        authentication_failed.connect(count_wrong_code, dispatch_uid="concord_count_wrong_code")
        signin_log.connect()

        from django.contrib.auth.signals import user_logged_out

        from .middleware import discard_messages_at_sign_out

        user_logged_out.connect(discard_messages_at_sign_out, dispatch_uid="concord_discard_messages_at_sign_out")

        def password_now_her_own(sender, request, user, **kwargs):
            if user.password_is_temporary:
                user.password_is_temporary = False
                user.save(update_fields=["password_is_temporary"])

        for signal in (password_changed, password_reset, password_set):
            signal.connect(password_now_her_own, weak=False, dispatch_uid=f"concord_own_password_{id(signal)}")
