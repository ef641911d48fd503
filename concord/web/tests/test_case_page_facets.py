"""The case page shows each reader the facets their access decision holds, offers only the actions it
allows, and costs the same number of queries however long the case's history."""

from __future__ import annotations

import datetime
import re
from dataclasses import replace
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from concord.cases import services
from concord.cases.records import IncidentDetails
from concord.consent import services as consent_services
from concord.testing.factories import login, make_actor, make_agency, make_case, share_with
from concord.web import case_page
from concord.web.views.cases import CASE_PAGE_FACETS
from concord.web.views.consent import SHARING_PAGE_FACETS

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "web"
# Names the case page's template reads that are not case data: the decision itself, forms, the request.
NOT_CASE_DATA = {"access", "can", "shows", "involve_form", "close_form", "stale", "request", "csrf_token",
                 "messages", "forloop", "block", "perms", "user", "LANGUAGE_CODE", "LANGUAGE_BIDI"}
# Loop and with-variables the template binds itself.
LOCAL = {"item", "incident", "need", "label", "entry", "state", "d", "loc", "cp", "g", "o", "p", "inv", "has_access",
         "kind", "alias", "names_by_kind", "edits", "edit", "change", "user", "reason", "basis", "until", "facets",
         "notes", "note", "note_url", "add_url", "note_id", "note_kind", "w", "s", "b", "pronoun", "referral",
         "action"}


def _root_names(source: str) -> set[str]:
    source = re.sub(r'"[^"]*"|\'[^\']*\'', '""', source)  # string literals are not variables
    names = set()
    for tag in re.findall(r"{%\s*blocktranslate\s+with\s+([^%]+)%}", source):
        names.update(value.split(".")[0] for value in re.findall(r"=([A-Za-z_][\w.]*)", tag))
    # Inside a blocktranslate, {{ name }} is one of its own bindings.
    source = re.sub(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", "", source, flags=re.S)
    for expression in re.findall(r"{{\s*([^}|]+)", source):
        names.add(expression.strip().split(".")[0].split()[0])
    for tag in re.findall(r"{%\s*(?:if|elif)\s+([^%]+)%}", source):
        for word in re.findall(r"[A-Za-z_][\w.]*", tag):
            if word not in {"not", "and", "or", "in", "is", "None", "True", "False"}:
                names.add(word.split(".")[0])
    for tag in re.findall(r"{%\s*for\s+[\w, ]+\s+in\s+([\w.]+)", source):
        names.add(tag.split(".")[0])
    for tag in re.findall(r"{%\s*(?:with|include\s+\S+\s+with)\s+([^%]+)%}", source):
        for value in re.findall(r"=([A-Za-z_][\w.]*)", tag):
            names.add(value.split(".")[0])
    return names


def test_every_piece_of_case_data_on_the_page_belongs_to_a_facet():
    source = "".join((TEMPLATES / name).read_text() for name in ("case_body.html", "includes/edits.html",
                                                                  "includes/notes.html"))
    untied = _root_names(source) - set(CASE_PAGE_FACETS) - NOT_CASE_DATA - LOCAL
    assert not untied, f"case_body.html reads {sorted(untied)} without a facet in CASE_PAGE_FACETS"


def test_every_piece_of_case_data_on_the_sharing_page_belongs_to_a_facet():
    untied = (_root_names((TEMPLATES / "sharing.html").read_text()) - set(SHARING_PAGE_FACETS) - NOT_CASE_DATA
              - LOCAL)
    assert not untied, f"sharing.html reads {sorted(untied)} without a facet in SHARING_PAGE_FACETS"


def test_the_police_sharing_under_consent_are_offered_nothing_of_the_idvas(client, idva_supervisor, police, housing):
    case = make_case(idva_supervisor)
    share_with(idva_supervisor, case, police)
    consent_services.override_authorise(actor=idva_supervisor, case=case, agency=housing, legal_basis="court_order",
                                        reason="Court order to share with housing")
    officer = make_actor(police)
    login(client, officer)
    page = client.get(reverse("web:case", args=[case.reference])).content.decode()
    incident, need = case.incidents.get(), case.needs.get()
    for offered in (reverse("web:incident_edit", args=[case.reference, incident.pk]),
                    reverse("web:need_edit", args=[case.reference, need.pk]),
                    reverse("web:person_add", args=[case.reference]),
                    reverse("web:person_edit", args=[case.reference, case.survivor_id])):
        assert f'href="{offered}"' not in page, offered
    # What it may do instead: add its own note beside the IDVA's incident.
    assert reverse("web:incident_note_add", args=[case.reference, incident.pk]) in page
    assert "Court order" not in page and housing.name not in page and "Override authorised" not in page
    assert "I need the locks changed" in page  # her needs: consent shares them
    assert "He pushed her against the wall." in page
    assert re.search(r"<dt>Caused by</dt><dd>Darren Smith</dd>", page)  # the incident names him
    assert reverse("web:incident_add", args=[case.reference]) in page
    assert client.get(reverse("web:incident_edit", args=[case.reference, incident.pk])).status_code == 403
    response = client.post(reverse("web:incident_edit", args=[case.reference, incident.pk]),
                           {"version": 1, "occurred_on": "2026-10-01", "violence_types": ["harassment"],
                            "place_type": "her_home", "narrative": "Rewritten"})
    assert response.status_code == 403
    assert case.incidents.get().narrative == "He pushed her against the wall."


def test_probation_under_an_override_for_incidents_reads_incidents_and_nothing_else(client, idva_supervisor, area):
    probation = make_agency(area, "probation", "Northshire Probation")
    case = make_case(idva_supervisor, phone="07700 900123")
    consent_services.consent_record(actor=idva_supervisor, case=case, scope="share_agency",
                                    agency=idva_supervisor.agency, decision="declined", method="verbal",
                                    note="I don't want the police involved")
    consent_services.override_authorise(actor=idva_supervisor, case=case, agency=probation, legal_basis="risk_to_life",
                                        reason="Offender manager needs the incident history")
    manager = make_actor(probation)
    login(client, manager)
    page = client.get(reverse("web:case", args=[case.reference])).content.decode()
    assert "He pushed her against the wall." in page
    assert "I need the locks changed" not in page and "I don&#x27;t want the police" not in page
    assert "07700" not in page
    assert page.count("Withheld.") >= 3  # needs, consent, protected details
    assert client.get(reverse("web:need_edit", args=[case.reference, case.needs.get().pk])).status_code == 404
    export = client.get(reverse("web:case_export", args=[case.reference])).content.decode()
    assert "He pushed her against the wall." in export and "I need the locks changed" not in export


def _case_with_incidents(lead, n: int):
    case = make_case(lead, phone="07700 900123")
    for day in range(n - 1):
        services.incident_record(actor=lead, case=case, details=IncidentDetails(
            occurred_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=day), violence_types=("stalking",),
            narrative=f"Incident {day}"))
    return case


@pytest.mark.parametrize("reader", ["lead", "consent"])
def test_case_page_queries_do_not_grow_with_the_history(client, advocate, police, reader):
    small, large = _case_with_incidents(advocate, 1), _case_with_incidents(advocate, 50)
    for case in (small, large):
        share_with(advocate, case, police)
        first = case.incidents.order_by("pk").first()
        services.incident_update(actor=advocate, incident=first, expected_version=1,
                                 details=replace(IncidentDetails.of(first), narrative="Corrected"))
    actor = advocate if reader == "lead" else make_actor(police)
    login(client, actor)
    counts = []
    for case in (small, large):
        client.get(reverse("web:case", args=[case.reference]))  # the session's own first-use queries
        caches[case_page.CACHE].clear()  # the page rendered, not as kept
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("web:case", args=[case.reference])).status_code == 200
        own = [q["sql"] for q in queries.captured_queries if not _signed_in_session(q["sql"])]
        counts.append(len(own))
    assert counts[0] == counts[1], counts
    assert counts[1] <= CASE_PAGE_QUERY_BUDGET[reader], "\n".join(sql[:150] for sql in own)


@pytest.mark.parametrize("reader", ["lead", "consent"])
def test_a_kept_case_page_costs_its_changes_its_decision_and_its_log_entry(client, advocate, police, reader):
    case = _case_with_incidents(advocate, 20)
    share_with(advocate, case, police)
    actor = advocate if reader == "lead" else make_actor(police)
    login(client, actor)
    url = reverse("web:case", args=[case.reference])
    rendered = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        kept = client.get(url).content.decode()
    own = [q["sql"] for q in queries.captured_queries if not _signed_in_session(q["sql"])]
    # The case's newest changes (1), the decision (1), the access-log entry (2): none of its sections.
    assert len(own) <= 4, "\n".join(sql[:150] for sql in own)
    assert _without_tokens(kept) == _without_tokens(rendered)
    assert "Incident 3" in kept and case_page.CSRF_PLACEHOLDER not in kept


def _without_tokens(page: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": "|nonce=")[^"]+', r"\1", page)


def _signed_in_session(sql: str) -> bool:
    """What every signed-in page costs before and after its own work (session, user, its sessions list,
    the second-factor check, the membership, the session's save) and transaction bookkeeping."""
    return (sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
            or any(table in sql for table in ('"django_session"', '"usersessions_usersession"',
                                              'FROM "accounts_user"', '"mfa_authenticator"',
                                              'FROM "accounts_membership"')))


# The page's own statements, for a case with an edited incident, rendered (not as kept): the case's
# newest changes (1: concord.web.case_page), the decision (1), its sections (one
# query each, whatever their length; an incident's persons causing harm come with the incidents, the
# involvements and each agency's worker with the area's agencies that name the edits' "reported to";
# the notes only when the timeline, already read, has one), the edits' versions, and its access-log
# entry (2: lock the area chain's head, append; the database moves the head). The lead agency's page
# has two more: her locations and her contact details (other agencies' overrides and need-to-know
# grants are on the sharing page). Risk adds three: the case's level, its assessments' results (none
# without a level) and its tasks.
CASE_PAGE_QUERY_BUDGET = {"consent": 15, "lead": 18}
