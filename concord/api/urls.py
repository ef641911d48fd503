"""The JSON API at /api/v1/: OpenAPI 3.1 schema at openapi.json, interactive docs at docs.

Every operation requires an Actor (see auth.py) and answers through the same policy and services
as the staff UI. The docs page is Swagger UI served from our own static files with no inline script,
so it runs under the project's Content-Security-Policy with no CDN.
"""

from __future__ import annotations

from ninja import NinjaAPI, Swagger
from ninja.operation import Operation

from . import cases, conferences, contact, incidents, needs, notes, partnership, people, referrals, risk, safety, tasks
from .auth import API_AUTH, api_auth, authenticated_only
from .errors import install_handlers


class ConcordAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # Short, stable ids (`list_cases`) for generated clients; view names are unique across modules.
        return operation.view_func.__name__


api = ConcordAPI(
    title="Concord API",
    version="1",
    description=(
        "The shared case record of a coordinated community response. Authenticate with "
        "`Authorization: Bearer cc_…` (a service token of one agency) or a staff session. "
        "A case your agency may not see answers 404, exactly as one that does not exist."
    ),
    urls_namespace="api",
    auth=API_AUTH,
    # validatorUrl off: Swagger UI would otherwise send the schema's address to swagger.io.
    # deepLinking off: its link inside each operation's button is a control nested in a control (axe).
    docs=Swagger(settings={"validatorUrl": None, "deepLinking": False}),
    docs_decorator=authenticated_only,
)
install_handlers(api)

# Each router is one resource of the service tokens' scopes (accounts.models.TokenScope): GET reads it,
# anything else writes it.
api.add_router("/areas", partnership.areas, auth=api_auth("partnership"))
api.add_router("/agencies", partnership.agencies, auth=api_auth("partnership"))
# The risk instruments are reference data, like the partnership's structure: no case data.
api.add_router("/instruments", risk.instruments, auth=api_auth("partnership"))
api.add_router("/people", people.router, auth=api_auth("people"))
api.add_router("/cases", cases.router, auth=api_auth("cases"))
api.add_router("/cases", incidents.router, auth=api_auth("cases"))
api.add_router("/cases", needs.router, auth=api_auth("cases"))
api.add_router("/cases", notes.router, auth=api_auth("cases"))
api.add_router("/cases", risk.router, auth=api_auth("cases"))
api.add_router("/cases", people.on_case, auth=api_auth("people"))
api.add_router("/cases", referrals.on_case, auth=api_auth("cases"))
api.add_router("/cases", safety.router, auth=api_auth("cases"))
# Her contact rules are hers across her cases, reached through one: case data, the cases scope.
api.add_router("/cases", contact.on_case, auth=api_auth("cases"))
# Referrals are case data: the cases scope.
api.add_router("/referrals", referrals.router, auth=api_auth("cases"))
api.add_router("/tasks", tasks.router, auth=api_auth("cases"))
# The conference's meetings: their agendas, research and actions are case data, the cases scope.
api.add_router("/conferences", conferences.router, auth=api_auth("cases"))
