"""The whole schema, fuzzed: schemathesis generates valid and invalid requests for every operation
and checks that none is a 500 and that every response (status, content type, body) is one the
schema declares. Requests go to the Django WSGI app in-process, inside the test's transaction."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from concord.accounts.models import Role
from concord.api.urls import api
from concord.testing.factories import make_actor, make_case, share_with, token_for

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGIHandler()

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection, ignored_auth]


@pytest.fixture
def _keep_the_test_connection():
    # Django closes "old" connections when a request finishes; in-process that would close the test's
    # own connection (PostgreSQL). Django's test client disconnects the same signal handlers.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["lead practitioner", "involved supervisor with consent", "administrator"])
def fuzz_target(request, _keep_the_test_connection, advocate, police):
    """A service token of one kind of caller, and ids of real records for the fuzzer to aim at: the
    whole API is fuzzed as the lead agency, as an involved agency, and as a role without casework."""
    case = make_case(advocate, phone="07700 900123")
    caller = {
        "lead practitioner": lambda: advocate,
        "involved supervisor with consent": lambda: _involved_supervisor(advocate, case, police),
        "administrator": lambda: make_actor(advocate.agency, role=Role.ADMINISTRATOR),
    }[request.param]()
    raw = token_for(caller, name="fuzzer")
    real = {
        "reference": case.reference,
        "incident_id": case.incidents.get().pk,
        "need_id": case.needs.get().pk,
        "person_id": case.survivor_id,
        "agency_id": police.pk,
        "area_id": advocate.area.pk,
    }
    return {"Authorization": f"Bearer {raw}"}, real


def _involved_supervisor(lead, case, agency):
    share_with(lead, case, agency)
    return make_actor(agency, role=Role.SUPERVISOR)


@schema.parametrize()
# database=None: no .hypothesis/ folder of saved examples; each run explores afresh.
@settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_the_schema_and_never_fails(case, fuzz_target):
    headers, real = fuzz_target
    if case.path_parameters and case.meta and case.meta.generation.mode == schemathesis.GenerationMode.POSITIVE:
        # Random ids almost never exist: aim valid requests at real records so they go deep.
        case.path_parameters = {name: real.get(name, value) for name, value in case.path_parameters.items()}
    case.call_and_validate(headers=headers, checks=CHECKS)
