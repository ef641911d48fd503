"""Who is calling. Two ways in, one result: an Actor (a user acting for one agency), which every
operation works with, so the access rule in concord.policy applies to the API exactly as to the UI.

1. Another system: `Authorization: Bearer cc_…`, a ServiceToken that is not revoked and whose
   membership, user and agency are active.
2. The browser: the staff session, but only once the session middleware has set `request.actor`
   (signed in, two-factor passed, agency chosen). Unsafe methods need the CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer

from concord.accounts.models import ServiceToken
from concord.policy import Actor

TOKEN_PREFIX = "cc_"
# Issued tokens are 46 characters; anything much longer is not one of ours and is not hashed.
TOKEN_MAX_LENGTH = 100


class ServiceTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        if not token.startswith(TOKEN_PREFIX) or len(token) > TOKEN_MAX_LENGTH:
            return None
        service_token = (
            ServiceToken.objects.select_related("membership__user", "membership__agency__area")
            .filter(
                token_hash=ServiceToken.hash(token),
                revoked_at__isnull=True,
                membership__is_active=True,
                membership__user__is_active=True,
                membership__agency__is_active=True,
            )
            .first()
        )
        if service_token is None:
            return None
        membership = service_token.membership
        # Change history (simple_history) and StaleEdit's "changed by" read request.user: writes made
        # with a token are attributed to the service account, not to nobody.
        request.user = membership.user
        return Actor(user=membership.user, membership=membership)


class SessionActorAuth(APIKeyCookie):
    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        # A caller who is not signed in is unauthenticated (401); only a signed-in session can be
        # the victim of a forged request, so only then is the CSRF token checked (403 if wrong).
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Actor | None:
        return getattr(request, "actor", None)


service_token_auth = ServiceTokenAuth()
session_auth = SessionActorAuth()
# The token first: a request that carries one never depends on a session cookie (or its CSRF).
API_AUTH = [service_token_auth, session_auth]


def actor_of(request: HttpRequest) -> Actor:
    """The authenticated actor: ninja sets request.auth to what the auth class returned."""
    return request.auth  # type: ignore[attr-defined,no-any-return]


def authenticated_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the schema and docs pages, which are not operations: the same two ways in, or 401."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "actor", None) is None and not service_token_auth(request):
            return JsonResponse({"detail": _("Unauthorized")}, status=401)
        return view(request, *args, **kwargs)

    return wrapper
