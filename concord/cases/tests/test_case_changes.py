"""The database's log of which case changed (concord.cases.changes): worked out from the models, written
by triggers whoever writes, on SQLite and on PostgreSQL."""

import datetime

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from concord.accounts.models import Agency
from concord.cases import changes
from concord.cases.models import Case, CaseChange, Incident, IncidentViolence, Need, RecordNote
from concord.conferences import services as conference_services
from concord.conferences.services import MeetingDetails
from concord.people.models import Person, PersonAlias
from concord.testing import conferences as setups
from concord.testing.factories import make_case


def newest(case: Case) -> tuple[int, int]:
    return changes.newest_by_reference(connection, case.area_id, case.reference)


def test_every_table_of_concord_reaches_its_cases_or_every_case():
    feeds = {feed.table: feed for feed in changes.feeds()}
    concord_tables = {m._meta.db_table for m in apps.get_models(include_auto_created=True)
                      if m.__module__.startswith("concord.")}

    assert concord_tables - set(feeds) == changes.NOT_SHOWN & concord_tables
    assert [j.row_column for j in feeds[Incident._meta.db_table].joins] == ["case_id"]
    assert [(j.table, j.case_column) for j in feeds[IncidentViolence._meta.db_table].joins] == [
        ("cases_incident", "case_id")]
    assert {(j.table, j.on_column) for j in feeds[Person._meta.db_table].joins} == {
        ("cases_case", "survivor_id"), ("cases_caseparticipant", "person_id")}
    assert {(j.row_column, j.table) for j in feeds[PersonAlias._meta.db_table].joins} == {
        ("person_id", "cases_case"), ("person_id", "cases_caseparticipant")}
    assert [(j.table, j.on_column) for j in feeds["conferences_meeting"].joins] == [
        ("conferences_conferencereferral", "meeting_id")]
    assert feeds[Agency._meta.db_table].every_case
    assert feeds["accounts_user"].columns == ("first_name", "last_name", "email", "is_active")
    # A history table reaches the cases as the table it copies.
    assert feeds["cases_historicalincident"].joins == feeds["cases_incident"].joins


def test_a_write_to_a_case_is_logged_for_that_case_only(advocate):
    case, other = make_case(advocate), make_case(advocate, given_name="Beth")
    before, other_before = newest(case), newest(other)

    Need.objects.filter(case=case).update(in_her_words="Somewhere safe to stay")  # no service, no signal

    assert newest(case)[0] > before[0]
    assert newest(other) == other_before


@pytest.mark.parametrize("write", ["insert", "update", "delete"])
def test_inserts_updates_and_deletes_through_a_parent_reach_the_case(advocate, write):
    case = make_case(advocate)
    incident = case.incidents.get()
    note = RecordNote.objects.create(case=case, incident=incident, text="Seen at the door",
                                     recorded_by=advocate.user, recorded_for=advocate.agency)
    before = newest(case)[0]

    if write == "insert":
        IncidentViolence.objects.create(incident=incident, violence_type="stalking")
    elif write == "update":
        IncidentViolence.objects.filter(incident=incident, violence_type="physical_assault").update(
            violence_type="threats")
    else:
        note.delete()

    assert newest(case)[0] > before


def test_a_person_changed_reaches_every_case_she_is_on(advocate):
    case = make_case(advocate)
    again = make_case(advocate, given_name="Beth")
    again.participants.create(person=case.survivor, role="other", relationship="unknown")
    before, again_before = newest(case)[0], newest(again)[0]

    Person.objects.filter(pk=case.survivor_id).update(given_name="Aminah")

    assert newest(case)[0] > before and newest(again)[0] > again_before


def test_a_meeting_moved_reaches_the_cases_on_its_agenda(db):
    setup = setups.conference(cases=2)
    outside = make_case(setup.advocate, given_name="Nadia")
    before = [newest(case)[0] for case in setup.cases]
    outside_before = newest(outside)[0]

    conference_services.meeting_change(actor=setup.coordinator, meeting=setup.meeting, details=MeetingDetails(
        held_at=timezone.now() + datetime.timedelta(days=9), chair=setup.police.user,
        invited=tuple(setup.meeting.invited.all())), version=setup.meeting.version)

    assert all(newest(case)[0] > b for case, b in zip(setup.cases, before, strict=True))
    assert newest(outside)[0] == outside_before


def test_what_every_case_shows_is_logged_for_every_case_and_a_sign_in_is_not(advocate):
    case = make_case(advocate)
    everyone = newest(case)[1]

    type(advocate.user).objects.filter(pk=advocate.user.pk).update(last_login=timezone.now())
    assert newest(case)[1] == everyone  # a sign-in changes nothing any case shows

    type(advocate.user).objects.filter(pk=advocate.user.pk).update(first_name="Samantha")
    assert newest(case)[1] > everyone
    renamed = newest(case)[1]
    Agency.objects.filter(pk=advocate.agency.pk).update(name="Northshire IDVA & Outreach")
    assert newest(case)[1] > renamed


def test_installing_again_is_harmless_and_one_statement_logs_a_case_once(advocate):
    case = make_case(advocate)
    installed = changes.install(connection)
    assert installed > 50 and changes.install(connection) == installed
    logged = CaseChange.objects.filter(case_id=case.pk).count()

    Incident.objects.filter(case=case).update(place_type="public_place")

    assert CaseChange.objects.filter(case_id=case.pk).count() == logged + 1


def test_every_trigger_function_has_a_name_of_its_own_that_postgresql_keeps_whole():
    names = [changes._function_name(feed.table, suffix) for feed in changes.feeds() for _op, suffix, _t in
             changes.OPERATIONS]
    names.append(changes._function_name("x" * 70, "i"))

    assert len(set(names)) == len(names) and max(map(len, names)) <= 63


def test_pruning_keeps_the_newest_change_of_each_case_and_so_every_stamp(advocate):
    case, other = make_case(advocate), make_case(advocate, given_name="Beth")
    for text in ("Somewhere safe", "A lock on the door", "A new phone"):
        Need.objects.filter(case=case).update(in_her_words=text)
    Agency.objects.filter(pk=advocate.agency.pk).update(name="Northshire IDVA & Outreach")
    stamps = newest(case), newest(other)
    assert CaseChange.objects.filter(case_id=case.pk).count() > 1

    deleted = changes.prune(connection, batch=2)

    assert deleted > 0 and (newest(case), newest(other)) == stamps
    assert CaseChange.objects.filter(case_id=case.pk).count() == 1
    assert CaseChange.objects.filter(case_id__isnull=True).count() == 1
    assert changes.prune(connection) == 0
