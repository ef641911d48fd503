"""The data-protection review: staff who opened many distinct cases, and how many were not theirs."""

import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from concord.audit import protection
from concord.audit.models import AuditAction
from concord.audit.selectors import access_patterns
from concord.audit.services import access_log_append
from concord.testing.factories import make_actor, make_agency, make_area

from .stand_ins import case_label

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
TUESDAY_10AM = datetime.datetime(2026, 11, 17, 10, 0, tzinfo=LONDON)
TUESDAY_11PM = datetime.datetime(2026, 11, 17, 23, 0, tzinfo=LONDON)
SATURDAY_NOON = datetime.datetime(2026, 11, 21, 12, 0, tzinfo=LONDON)


def read(actor, number: int, *, at: datetime.datetime, basis: str = "lead", action: str = AuditAction.VIEW):
    # The database dates entries now; writing them in the past is the owner's act alone.
    with (protection.entry_checks_suspended(connection), mock.patch("django.utils.timezone.now", return_value=at)):
        access_log_append(actor=actor, action=action, object_type="case", case=case_label(actor.area, number),
                          basis=basis)


def test_flags_a_user_who_opened_many_cases(area, advocate, officer):
    for number in range(1, 7):
        read(officer, number, at=TUESDAY_10AM, basis="lead" if number == 1 else f"consent:{number}")
    read(officer, 2, at=TUESDAY_11PM, basis="consent:2")
    read(officer, 3, at=SATURDAY_NOON, basis="consent:3")
    for number in (1, 2):
        read(advocate, number, at=TUESDAY_10AM)

    patterns = access_patterns(area, since=TUESDAY_10AM - datetime.timedelta(days=1), min_cases=5,
                               until=SATURDAY_NOON + datetime.timedelta(hours=1))

    assert len(patterns) == 1
    flagged = patterns[0]
    assert (flagged.user_id, flagged.user, flagged.agencies) == (
        officer.user.pk, str(officer.user), [officer.agency.name])
    assert (flagged.cases_opened, flagged.reads, flagged.cases_not_lead, flagged.off_hours_reads) == (6, 8, 5, 2)
    assert flagged.first_at == TUESDAY_10AM and flagged.last_at == SATURDAY_NOON


def test_only_the_period_and_the_area_count(area, officer):
    elsewhere = make_actor(make_agency(make_area(), "police"))
    for number in range(1, 4):
        read(officer, number, at=TUESDAY_10AM)
        read(elsewhere, number + 10, at=TUESDAY_10AM)
    read(officer, 4, at=TUESDAY_10AM - datetime.timedelta(days=30))

    patterns = access_patterns(area, since=TUESDAY_10AM - datetime.timedelta(days=1), min_cases=1,
                               until=TUESDAY_10AM + datetime.timedelta(days=1))

    assert [(p.user_id, p.cases_opened) for p in patterns] == [(officer.user.pk, 3)]


def test_changes_and_searches_are_not_counted_as_opening(area, officer):
    read(officer, 1, at=TUESDAY_10AM, action=AuditAction.UPDATE)
    read(officer, 2, at=TUESDAY_10AM, action=AuditAction.EXPORT)
    patterns = access_patterns(area, since=TUESDAY_10AM - datetime.timedelta(days=1), min_cases=1,
                               until=TUESDAY_10AM + datetime.timedelta(days=1))
    assert [(p.cases_opened, p.reads) for p in patterns] == [(1, 1)]
