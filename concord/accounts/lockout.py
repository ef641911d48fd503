"""Lockout: django-axes counts failed sign-ins per account, wrong passwords and wrong codes alike."""

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed


def username_from_request(request, credentials):
    """allauth posts the e-mail as "login"; axes must count failures against that, not "username"."""
    credentials = credentials or {}
    login = credentials.get("login") or credentials.get("email") or credentials.get("username")
    if not login and request is not None and request.method == "POST":
        login = request.POST.get("login") or request.POST.get("email")
    return (login or "").strip().lower()


def credentials_of(user) -> dict[str, str]:
    """What axes counts a failure against: the e-mail, as allauth's password form posts it."""
    return {"login": user.email}


def count_wrong_code(sender, request, user, **kwargs):
    """Receiver of allauth.mfa's `authentication_failed`: a wrong TOTP or recovery code.

    allauth only rate-limits wrong codes (5 in 5 minutes, apart from wrong passwords), so someone
    who has the password could try codes again every 5 minutes. Reporting the failure to Django's
    `user_login_failed`, as a wrong password is reported, makes axes count it with the password
    failures: five of either, mixed, lock the account for AXES_COOLOFF_TIME.
    """
    user_login_failed.send(sender=__name__, credentials=credentials_of(user), request=request)


def is_locked_out(request, user) -> bool:
    """Whether axes has locked this account; when it has, the response becomes the locked-out page."""
    credentials = credentials_of(user)
    if not AxesProxyHandler.is_locked(request, credentials):
        return False
    # AxesMiddleware turns the response into AXES_LOCKOUT_TEMPLATE when these are set, as it does
    # when the password backend refuses a locked account.
    request.axes_locked_out = True
    request.axes_credentials = credentials
    return True
