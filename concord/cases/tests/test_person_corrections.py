"""The rules of correcting a person on a case, checked by the services themselves (not only by the
pages that call them)."""

import datetime
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from concord.audit.models import AccessLogEntry
from concord.cases import people_services, services
from concord.people.details import ContactDetails, PersonDetails
from concord.testing.factories import make_case, share_with


def test_saving_nothing_new_writes_nothing(advocate):
    case = make_case(advocate)
    survivor = people_services.person_update(actor=advocate, case=case, person=case.survivor, expected_version=1,
                                             details=PersonDetails.of(case.survivor))
    assert survivor.version == 1
    assert not case.events.filter(kind="person_updated").exists()


def test_a_new_estimated_age_is_dated_the_day_it_is_made(advocate, monkeypatch):
    case = make_case(advocate, date_of_birth=None)
    people_services.person_update(actor=advocate, case=case, person=case.survivor, expected_version=1,
                                  details=replace(PersonDetails.of(case.survivor), estimated_age=30))
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2031, 5, 1))

    survivor = people_services.person_update(actor=advocate, case=case, person=case.survivor, expected_version=2,
                                             details=replace(PersonDetails.of(case.survivor), estimated_age=34))

    assert survivor.estimated_age_on == datetime.date(2031, 5, 1)


def test_intake_refuses_a_date_of_birth_together_with_an_estimated_age(advocate):
    with pytest.raises(ValidationError) as refused:
        services.case_open(actor=advocate, survivor_details=PersonDetails(given_name="Amina", estimated_age=30,
                                                                          date_of_birth=datetime.date(1990, 4, 2)))
    assert "estimated_age" in refused.value.error_dict


def test_a_person_not_on_the_case_cannot_be_corrected_through_it(advocate):
    case = make_case(advocate)
    elsewhere = make_case(advocate, given_name="Chloe").survivor
    with pytest.raises(Http404):
        people_services.person_update(actor=advocate, case=case, person=elsewhere, expected_version=1,
                                      details=replace(PersonDetails.of(elsewhere), known_as="C"))


def test_contact_details_cannot_be_added_by_an_agency_without_her_protected_information(advocate, officer):
    case = make_case(advocate)
    share_with(advocate, case, officer.agency)
    with pytest.raises(PermissionDenied):
        people_services.contact_point_add(actor=officer, case=case, person=case.survivor,
                                          details=ContactDetails(kind="mobile", value="07700 900111"))
    assert not case.contact_points.exists()


def test_a_contact_point_of_another_case_cannot_be_marked_through_this_one(advocate):
    case = make_case(advocate)
    other = make_case(advocate, given_name="Chloe", phone="07700 900222")
    with pytest.raises(Http404):
        people_services.contact_point_mark(actor=advocate, case=case, contact_point=other.contact_points.get(),
                                           safe_to_use=False)


def test_marking_a_contact_point_is_an_update_of_protected_information_in_the_access_log(advocate):
    case = make_case(advocate, phone="07700 900333")
    point = case.contact_points.get()
    people_services.contact_point_mark(actor=advocate, case=case, contact_point=point, safe_to_use=False,
                                       note="He has access to this phone")
    entry = AccessLogEntry.objects.order_by("-pk").first()
    assert (entry.action, entry.object_type, entry.object_id) == ("update", "protected", str(point.pk))
    assert "He has access" not in str(entry.fields)


def test_an_agency_working_with_the_person_causing_harm_cannot_change_her_details(advocate, area):
    from concord.testing.factories import make_actor, make_agency

    probation = make_actor(make_agency(area, "probation", "Northshire Probation"))
    case = make_case(advocate)
    share_with(advocate, case, probation.agency)
    with pytest.raises(PermissionDenied):
        people_services.person_update(actor=probation, case=case, person=case.survivor, expected_version=1,
                                      details=replace(PersonDetails.of(case.survivor), family_name="Jones"))
    with pytest.raises(PermissionDenied):
        people_services.alias_add(actor=probation, case=case, person=case.survivor, name="A Jones", kind="alias")
    assert case.survivor.aliases.count() == 0
