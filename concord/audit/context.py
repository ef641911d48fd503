"""The request's address, for services that write audit entries without seeing the request.

A context variable, set per request by AuditContextMiddleware: services called from a view or an API
operation record where the request came from; background jobs record none."""

from contextvars import ContextVar

from .services import client_ip

current_ip: ContextVar[str | None] = ContextVar("concord_audit_ip", default=None)


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
