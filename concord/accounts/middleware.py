"""Session rules that apply to every request of a signed-in member of staff."""

from __future__ import annotations

import time

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.messages.storage import default_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from concord.policy import Actor

from .selectors import acting_memberships, has_totp, may_skip_mfa, session_passed_mfa

SESSION_STARTED = "concord_started"
SESSION_LAST_SEEN = "concord_last_seen"
SESSION_MEMBERSHIP = "concord_membership"
SESSION_LISTED = "concord_session_listed"  # (when, address and browser) the Sessions list was last updated
USER_SESSION_REFRESH_SECONDS = 60
# The idle clock is moved on at most this often: writing the session back on every page was three
# statements (and a commit) that every page paid. The price: a session may sign out up to this many
# seconds before 15 minutes after its last page.
LAST_SEEN_RESOLUTION_SECONDS = 30

# Paths a signed-in user may reach before enrolling TOTP or choosing an agency.
OPEN_PREFIXES = ("/accounts/", "/static/", "/favicon.ico", "/i18n/")


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect the browser follows, whether the request was a page or an htmx swap. (The header is
    read here: django-htmx's middleware, which sets request.htmx, runs after these.)"""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _send_to_login(request: HttpRequest, message: str) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": message}, status=401)
    response = _redirect(request, reverse(settings.LOGIN_URL))
    # This middleware answers before MessageMiddleware has run (and so before it would store the
    # message on the way out): keep the message with a storage of our own.
    storage = default_storage(request)
    discard_pending_messages(storage)
    storage.add(messages.INFO, message)
    storage.update(response)
    return response


def discard_pending_messages(storage) -> None:
    """Messages for whoever was signed in ("Case NTH-2026-00297 opened", "Case restricted. Who can see
    it now: …") go with them. The default storage is a cookie, which signing out leaves: one never
    shown (an htmx action, a redirect not followed) would greet the next person at a shared computer.
    Reading them marks them used; what this request itself says ("You have signed out", queued by
    allauth just before) is added again."""
    said_now = list(getattr(storage, "_queued_messages", []))
    for _message in storage:
        pass
    for message in said_now:
        storage.add(message.level, message.message, message.extra_tags)


def discard_messages_at_sign_out(sender, request, user, **kwargs) -> None:
    storage = getattr(request, "_messages", None) if request is not None else None
    if storage is not None:
        discard_pending_messages(storage)


class SessionLimitsMiddleware:
    """15 minutes idle (to within LAST_SEEN_RESOLUTION_SECONDS), 12 hours absolute: a laptop left open
    at a police station signs itself out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(SESSION_STARTED, now)
            last_seen = request.session.get(SESSION_LAST_SEEN, now)
            idle = now - last_seen > settings.SESSION_IDLE_TIMEOUT.total_seconds()
            too_long = now - started > settings.SESSION_ABSOLUTE_LIFETIME.total_seconds()
            if idle or too_long:
                logout(request)
                reason = (_("You were signed out after 15 minutes without activity.") if idle
                          else _("You were signed out because your session reached 12 hours."))
                return _send_to_login(request, reason)
            if now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS or SESSION_LAST_SEEN not in request.session:
                request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


class UserSessionActivityMiddleware:
    """The Sessions list's "last seen" and address (allauth's UserSessionsMiddleware), brought up to date
    at most once a minute per session, or at once when the address or the browser changes: each update
    is four statements, which every page would otherwise pay."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key and request.user.is_authenticated:
            client = f"{request.META.get('REMOTE_ADDR', '')}|{request.META.get('HTTP_USER_AGENT', '')[:200]}"
            now = time.time()
            listed_at, listed_client = session.get(SESSION_LISTED, (0.0, ""))
            if client != listed_client or now - listed_at >= USER_SESSION_REFRESH_SECONDS:
                UserSession.objects.create_from_request(request)
                session[SESSION_LISTED] = (now, client)
        return self.get_response(request)


class RequireMFAMiddleware:
    """Every staff account must have TOTP, and every session must have passed it.

    A signed-in user without TOTP is sent to enrol first. A user who has TOTP but whose session never
    passed it (signed in some other way) is signed out: allauth's login form is the only way in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.mfa_satisfied = False  # type: ignore[attr-defined]
        user = request.user
        if user.is_authenticated and user.is_service_account:
            # However a session was made for one (the sign-in refuses them), it is not kept.
            logout(request)
            return _send_to_login(request, _("Service accounts cannot sign in."))
        if user.is_authenticated:
            if may_skip_mfa(user) or (has_totp(user) and session_passed_mfa(request.session)):
                request.mfa_satisfied = True  # type: ignore[attr-defined]
            elif has_totp(user):
                logout(request)
                return _send_to_login(request, _("Sign in again with your authenticator code."))
            elif not request.path.startswith(OPEN_PREFIXES):
                if _is_api(request):
                    return JsonResponse({"detail": _("Set up two-factor authentication first.")}, status=401)
                return _first_sign_in_step(request) or redirect("mfa_activate_totp")
            if user.password_is_temporary and request.path not in _temporary_password_paths():
                # A password an administrator knows opens nothing but the page that replaces it.
                if _is_api(request):
                    return JsonResponse({"detail": _("Choose your own password first.")}, status=401)
                return _first_sign_in_step(request) or redirect("account_change_password")
        return self.get_response(request)


def _temporary_password_paths() -> set[str]:
    return {reverse("account_change_password"), reverse("account_logout"), reverse("account_reauthenticate")}


def _first_sign_in_step(request: HttpRequest) -> HttpResponse | None:
    from . import first_sign_in

    step = first_sign_in.pending_step(request.user)
    if step is None:
        return None
    first_sign_in.begin(request)
    return _redirect(request, first_sign_in.step_url(step))


class ActingAgencyMiddleware:
    """Sets request.actor: the user and the agency they act for, chosen explicitly in the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = None  # type: ignore[attr-defined]
        if request.user.is_authenticated and getattr(request, "mfa_satisfied", False):
            memberships = acting_memberships(request.user)
            chosen = request.session.get(SESSION_MEMBERSHIP)
            membership = next((m for m in memberships if m.pk == chosen), None)
            if membership is None and len(memberships) == 1:
                membership = memberships[0]
                request.session[SESSION_MEMBERSHIP] = membership.pk
            if membership is not None:
                request.actor = Actor(user=request.user, membership=membership)  # type: ignore[attr-defined]
            request.memberships = memberships  # type: ignore[attr-defined]
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing a signed-in member of staff is shown may be kept by a browser or proxy cache: a page
    kept there would outlive a withdrawal of consent, a restriction or a sign-out (the back button
    on a shared computer at a police station). Static files are untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or _is_api(request):
            add_never_cache_headers(response)
        return response
