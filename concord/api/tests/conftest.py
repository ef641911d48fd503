"""Fixtures of the API tests: callers with service tokens, and a case led by the advocacy service."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from concord.cases.models import Case
from concord.policy import Actor
from concord.testing.factories import make_case, token_for

API = "/api/v1"


class ApiClient(Client):
    """A test client that speaks JSON to /api/v1 with an Authorization header."""

    def __init__(self, token: str | None = None, **defaults):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        super().__init__(headers=headers, **defaults)

    def call(self, method: str, path: str, body: object = None, **extra):
        url = path if path.startswith(API) else API + path
        if body is None:
            return self.generic(method.upper(), url, **extra)
        return self.generic(method.upper(), url, data=json.dumps(body), content_type="application/json", **extra)


@pytest.fixture
def client_for(db) -> Callable[[Actor], ApiClient]:
    """An API client with a fresh, approved, all-scopes token of a service account at this actor's agency
    in this actor's role (or of the actor itself, if it is a service account)."""

    def build(actor: Actor) -> ApiClient:
        return ApiClient(token_for(actor))

    return build


@pytest.fixture
def advocate_api(client_for, advocate) -> ApiClient:
    return client_for(advocate)


@pytest.fixture
def case(advocate) -> Case:
    """Led by the advocacy service, with one incident, one need and one person causing harm."""
    return make_case(advocate, phone="07700 900123")
