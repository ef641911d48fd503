"""The survivor's right to know: every read and change of her case, by whom, newest first."""

import pytest

from concord.audit.models import AuditAction
from concord.audit.selectors import who_has_seen
from concord.audit.services import access_log_append
from concord.testing.factories import make_case

pytestmark = pytest.mark.django_db


def test_lists_views_and_changes_of_the_case_newest_first(advocate, officer):
    case = make_case(advocate)
    other = make_case(advocate, given_name="Beth")
    access_log_append(actor=advocate, action=AuditAction.VIEW, object_type="case", case=case,
                      fields=["survivor"], basis="lead")
    access_log_append(actor=officer, action=AuditAction.VIEW, object_type="incident", case=case,
                      fields=["narrative"], basis="consent:3")
    access_log_append(actor=advocate, action=AuditAction.VIEW, object_type="case", case=other, basis="lead")
    access_log_append(actor=advocate, action=AuditAction.UPDATE, object_type="need", case=case,
                      fields=["status"], basis="lead")

    seen = who_has_seen(case, limit=3)

    assert [(e.user, e.agency, e.action, e.object_type) for e in seen] == [
        (str(advocate.user), advocate.agency.name, "update", "need"),
        (str(officer.user), officer.agency.name, "view", "incident"),
        (str(advocate.user), advocate.agency.name, "view", "case"),
    ]
    assert seen[1].fields == ["narrative"] and seen[1].basis == "consent:3"
    assert seen[0].action_label == "Changed" and seen[0].when >= seen[1].when


def test_limit_keeps_the_newest(advocate):
    case = make_case(advocate)
    for field in ("survivor", "needs", "incidents"):
        access_log_append(actor=advocate, action="view", object_type="case", case=case, fields=[field])
    assert [e.fields for e in who_has_seen(case, limit=2)] == [["incidents"], ["needs"]]


def test_opening_a_case_is_the_first_entry_of_its_report(advocate):
    """Services write their own entries: a new case's report starts with its creation."""
    seen = who_has_seen(make_case(advocate))
    assert seen[-1].action == "create" and seen[-1].object_type == "case" and seen[-1].basis == "lead@r2"
    assert {e.user for e in seen} == {str(advocate.user)}
