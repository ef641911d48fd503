"""A new member of staff's first sign-in, as one path: choose her own password (if an administrator
gave her a temporary one), set up her authenticator app, save her recovery codes, then Concord.

Each step is one of allauth's own pages (its password change, its TOTP activation, its recovery
codes); this module only says which comes next, and the templates show where she is."""

from __future__ import annotations

import time

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from .selectors import AUTHENTICATION_METHODS_KEY, ENROLLED_THIS_SESSION_KEY, has_totp, may_skip_mfa

# Kept in the session from the first step until she continues to the home page: the recovery codes
# page is a step only on this path (later, from the account menu, it is just the list of codes).
SESSION_FIRST_SIGN_IN = "concord_first_sign_in"

PASSWORD, AUTHENTICATOR, RECOVERY_CODES = "password", "authenticator", "recovery_codes"


def pending_step(user) -> str | None:
    """What she must do before anything else, or None."""
    if getattr(user, "password_is_temporary", False):
        return PASSWORD
    if not may_skip_mfa(user) and not has_totp(user):
        return AUTHENTICATOR
    return None


def step_url(step: str) -> str:
    return reverse({PASSWORD: "account_change_password", AUTHENTICATOR: "mfa_activate_totp"}[step])


def steps_for(request) -> list[dict] | None:
    """The steps of her first sign-in with the current one marked, for the page's heading; None
    when she is not on that path."""
    plan = request.session.get(SESSION_FIRST_SIGN_IN)
    if not plan:
        return None
    names = {PASSWORD: _("Choose your own password"), AUTHENTICATOR: _("Set up your authenticator app"),
             RECOVERY_CODES: _("Save your recovery codes")}
    current = pending_step(request.user) or RECOVERY_CODES
    return [{"name": names[step], "number": number, "current": step == current}
            for number, step in enumerate(plan, start=1)]


def begin(request) -> None:
    """Remember the steps she has ahead of her, when the first of them is pending."""
    if SESSION_FIRST_SIGN_IN not in request.session:
        user = request.user
        request.session[SESSION_FIRST_SIGN_IN] = (
            ([PASSWORD] if user.password_is_temporary else [])
            + ([] if may_skip_mfa(user) or has_totp(user) else [AUTHENTICATOR, RECOVERY_CODES]))


def finish(request) -> bool:
    """The path is over (she reached the home page); whether she was on it."""
    return bool(request.session.pop(SESSION_FIRST_SIGN_IN, None))


CODE_PAGES = frozenset({"mfa_view_recovery_codes", "mfa_download_recovery_codes"})


def may_skip_reauthentication(request) -> bool:
    """Her first authenticator, and then her recovery codes on the path, do not ask again for the
    password she gave a page before; anything else (removing an authenticator, new codes, an
    authenticator added long after the password) still asks, as allauth does."""
    match = getattr(request, "resolver_match", None)
    if match is None or not request.user.is_authenticated or not password_proven_recently(request):
        return False
    if match.url_name == "mfa_activate_totp":
        return not has_totp(request.user)
    return (match.url_name in CODE_PAGES and bool(request.session.get(SESSION_FIRST_SIGN_IN))
            and bool(request.session.get(ENROLLED_THIS_SESSION_KEY)))


def password_proven_recently(request) -> bool:
    """She gave her password in this session within allauth's reauthentication window: asking for it
    again, one page after the sign-in, only loses her. (allauth counts only a reauthentication, not
    the sign-in itself.)"""
    records = request.session.get(AUTHENTICATION_METHODS_KEY) or []
    times = [record.get("at", 0) for record in records if record.get("method") == "password"]
    return bool(times) and time.time() - max(times) < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
