"""Who is calling. Two ways in, one result: an Actor (a user acting for one agency), which every
operation works with, so the access rule in concord.policy applies to the API exactly as to the UI.

1. Another system: `Authorization: Bearer cc_…`, a ServiceToken of a service account that is
   approved, not revoked and not expired, whose membership is in force and whose account and agency
   are active (ServiceToken.objects.usable). Each operation belongs to one resource (mounted in
   urls.py): a token whose scopes do not include `<resource>:read` (GET) or `<resource>:write`
   (anything else) is refused with 403. The actor carries the token, so the access log names it.
2. The browser: the staff session, but only once the session middleware has set `request.actor`
   (signed in, two-factor passed, agency chosen). Unsafe methods need the CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja.errors import AuthorizationError
from ninja.security import APIKeyCookie, HttpBearer

from concord.accounts.models import ServiceToken
from concord.policy import Actor

TOKEN_PREFIX = "cc_"
# Issued tokens are 46 characters; anything much longer is not one of ours and is not hashed.
TOKEN_MAX_LENGTH = 100


class ServiceTokenAuth(HttpBearer):
    """`resource`: the API resource of the operations it guards (None for the schema and docs pages,
    which show no case data and need no scope)."""

    def __init__(self, resource: str | None = None) -> None:
        super().__init__()
        self.resource = resource

    def authenticate(self, request: HttpRequest, token: str) -> Actor | None:
        if not token.startswith(TOKEN_PREFIX) or len(token) > TOKEN_MAX_LENGTH:
            return None
        service_token = (
            ServiceToken.objects.usable().select_related("membership__user", "membership__agency__area")
            .filter(token_hash=ServiceToken.hash(token)).first()
        )
        if service_token is None:
            return None
        if self.resource is not None:
            scope = f"{self.resource}:{'read' if request.method in SAFE_METHODS else 'write'}"
            if scope not in service_token.scopes:
                raise AuthorizationError(message=_("This token's scopes do not include %(scope)s.")
                                         % {"scope": scope})
        membership = service_token.membership
        # Change history (simple_history) and StaleEdit's "changed by" read request.user: writes made
        # with a token are attributed to the service account, not to nobody.
        request.user = membership.user
        return Actor(user=membership.user, membership=membership, token=service_token)


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
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def api_auth(resource: str) -> list:
    """The ways into the operations of one resource. The token first: a request that carries one never
    depends on a session cookie (or its CSRF)."""
    return [ServiceTokenAuth(resource), session_auth]


# For anything not mounted with its resource: a token is then refused (no scope names it).
API_AUTH = api_auth("none")


def actor_of(request: HttpRequest) -> Actor:
    """The authenticated actor: ninja sets request.auth to what the auth class returned."""
    return request.auth  # type: ignore[attr-defined,no-any-return]


def authenticated_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For the schema and docs pages, which are not operations: the same two ways in, or 401."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if getattr(request, "actor", None) is None and not service_token_auth(request):
            if "text/html" in request.headers.get("Accept", ""):
                # A person in a browser: to the sign-in page, and back here after it.
                return redirect_to_login(request.get_full_path(), reverse(settings.LOGIN_URL))
            return JsonResponse({"detail": _("Unauthorized")}, status=401)
        return view(request, *args, **kwargs)

    return wrapper
