"""Every demo account walks the demo partnership by its links, then asks for what the others reached: no
page answers with a server error, and a case page (or any page inside a case) that the access rule
does not open for the one asking is the site's 404, with nothing of the case in it.

A small demo (20 cases) and a bounded walk per account, so the suite stays quick; the links followed
are the ones the pages offer (GET only: nothing is changed), breadth first from the home page."""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.http import Http404
from django.test import Client

from concord import policy
from concord.accounts.models import Membership
from concord.cases.models import Case
from concord.demo.partnership import DEMO_LOGINS
from concord.policy import Actor
from concord.testing.factories import login

PAGES_PER_ACCOUNT = 40
ASKED_OF_OTHERS = 60
HREF = re.compile(r'href="(/[^"]*)"')
# Not pages to walk: signing out ends the walk, files and language switching are not case data.
SKIPPED = ("/accounts/logout", "/static/", "/i18n/", "/favicon.ico", "/admin/logout")
CASE_PATH = re.compile(r"^/cases/(?P<reference>[A-Z]+-\d{4}-\d+)/")


def _actors() -> list[Actor]:
    emails = [demo.email for demo in DEMO_LOGINS]
    memberships = (Membership.objects.select_related("user", "agency__area")
                   .filter(user__email__in=emails).order_by("user__email", "agency__name"))
    return [Actor(user=membership.user, membership=membership) for membership in memberships]


def _client_for(actor: Actor) -> Client:
    client = Client()
    login(client, actor)
    return client


def _walk(client: Client) -> tuple[dict[str, int], list[tuple[str, int]]]:
    """The pages reached from the home page by links, with their status; and every server error."""
    seen: dict[str, int] = {}
    errors: list[tuple[str, int]] = []
    queue = deque(["/"])
    while queue and len(seen) < PAGES_PER_ACCOUNT:
        path = queue.popleft()
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response.status_code
        if response.status_code >= 500:
            errors.append((path, response.status_code))
            continue
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            for href in HREF.findall(response.content.decode()):
                target = urldefrag(href.replace("&amp;", "&"))[0]
                if target and not target.startswith(SKIPPED) and not urlsplit(target).netloc and target not in seen:
                    queue.append(target)
    return seen, errors


@pytest.fixture
def partnership(seeded):
    return _actors()


def test_every_account_walks_its_pages_and_is_refused_what_the_rule_does_not_open_for_it(partnership):
    walked: dict[int, dict[str, int]] = {}
    for actor in partnership:
        seen, errors = _walk(_client_for(actor))
        assert not errors, (actor.user.email, actor.agency.name, errors)
        assert seen["/"] in (200, 302), actor.user.email
        walked[actor.membership.pk] = seen
    case_paths = sorted({path for seen in walked.values() for path, status in seen.items()
                         if status == 200 and CASE_PATH.match(path)})
    # The walk reached into cases (and pages inside them) for those who work them, not only the home page.
    assert len({CASE_PATH.match(path)["reference"] for path in case_paths}) >= 5, case_paths
    survivors = {case.reference: case.survivor.full_name for case in Case.objects.select_related("survivor")}
    refused = 0
    for actor in partnership:
        client = _client_for(actor)
        others = [path for path in case_paths if path not in walked[actor.membership.pk]][:ASKED_OF_OTHERS]
        for path in others:
            response = client.get(path)
            assert response.status_code < 500, (actor.user.email, path, response.status_code)
            reference = CASE_PATH.match(path)["reference"]
            try:
                opens = actor.does_casework and policy.case_access(actor, reference).visible
            except Http404:
                opens = False
            if not opens:
                refused += 1
                assert response.status_code in (302, 403, 404), (actor.user.email, path, response.status_code)
                assert survivors[reference] not in response.content.decode(), (actor.user.email, path)
    assert refused >= 50  # the cross-check asked for cases closed to the one asking, not only open ones
    # Every other page someone reached (a referral, a meeting, a protocol, the admin), asked by everyone:
    # an answer, or a refusal, never a server error.
    elsewhere = sorted({path for seen in walked.values() for path in seen if not CASE_PATH.match(path)})
    for actor in partnership:
        client = _client_for(actor)
        for path in [path for path in elsewhere if path not in walked[actor.membership.pk]][:ASKED_OF_OTHERS]:
            assert client.get(path).status_code < 500, (actor.user.email, path)
