import pytest
from django.core.exceptions import ValidationError

from concord.cases.models import Case, Incident, Need
from concord.cases.records import IncidentDetails
from concord.people.details import PersonDetails
from concord.people.models import Person
from concord.testing.factories import make_case


def test_intake_opens_case_with_survivor_incident_need_and_person_causing_harm(advocate):
    case = make_case(advocate, phone="07700 900123")

    assert case.reference.startswith("NTH-")
    assert case.lead_agency == advocate.agency
    assert case.survivor.given_name == "Amina"
    assert case.incidents.get().violence_type_codes == ["physical_assault", "coercive_control"]
    assert case.incidents.get().persons_causing_harm.get().given_name == "Darren"
    assert case.needs.get().priority == "high"
    assert [e.kind for e in case.events.order_by("id")][:2] == ["opened", "participant_added"]


def test_case_references_are_numbered_per_area(advocate):
    first, second = make_case(advocate), make_case(advocate)
    assert first.reference.endswith("-00001") and second.reference.endswith("-00002")


def test_intake_saves_nothing_when_the_incident_is_invalid(advocate):
    people_before = Person.objects.count()
    with pytest.raises(ValidationError):
        from concord.cases import services

        services.case_open(
            actor=advocate,
            survivor_details=PersonDetails(given_name="Bea", family_name="Jones"),
            first_incident=IncidentDetails(occurred_on=None, violence_types=("stalking",)),  # type: ignore[arg-type]
        )
    assert Person.objects.count() == people_before
    assert not Case.objects.exists() and not Incident.objects.exists() and not Need.objects.exists()


def test_reopening_an_open_case_is_refused(advocate):
    from concord.cases import services

    case = make_case(advocate)
    with pytest.raises(ValidationError):
        services.case_reopen(actor=advocate, case=case, expected_version=case.version)


def test_incident_dates_in_the_future_are_refused_by_the_service(advocate):
    import datetime

    from concord.cases import services

    case = make_case(advocate)
    with pytest.raises(ValidationError):
        services.incident_record(actor=advocate, case=case, details=IncidentDetails(
            occurred_on=datetime.date.today() + datetime.timedelta(days=30), violence_types=("stalking",)))
