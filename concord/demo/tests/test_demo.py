import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone

from concord.accounts.models import Agency, Area, Membership, Role, Sector, User
from concord.cases.models import Case, CaseEvent
from concord.demo import seeding
from concord.demo.partnership import DEMO_LOGINS, DEMO_PASSWORD
from concord.people.models import Person
from concord.risk.models import CaseRisk

from .conftest import SMALL


def test_demo_creates_northshire_with_a_dozen_agencies_across_the_sectors(seeded):
    area = Area.objects.get()
    assert (area.name, area.code, area.jurisdiction, area.time_zone) == (
        "Northshire", "NTH", "England and Wales", "Europe/London")
    sectors = set(Agency.objects.filter(area=area).values_list("sector", flat=True))
    assert Agency.objects.filter(area=area).count() == 12
    assert {Sector.POLICE, Sector.PROSECUTION, Sector.COURT, Sector.PROBATION, Sector.HEALTH,
            Sector.SPECIALIST_ADVOCACY, Sector.REFUGE, Sector.HOUSING, Sector.CHILDRENS_SERVICES,
            Sector.ADULT_SOCIAL_CARE, Sector.COMMUNITY_FAITH, Sector.PERPETRATOR_PROGRAMME} <= sectors


def test_demo_staff_cover_every_role(seeded):
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)


def test_one_demo_user_acts_for_two_agencies(seeded):
    two = [user for user in User.objects.all() if user.memberships.count() == 2]
    assert [user.email for user in two] == ["hospital-idva@demo.concord.test"]


def test_every_demo_user_is_a_demo_account_with_the_shared_password(seeded):
    users = User.objects.all()
    assert sorted(u.email for u in users) == sorted(login.email for login in DEMO_LOGINS)
    assert all(user.is_demo_account for user in users)
    assert all(user.check_password(DEMO_PASSWORD) for user in users)


def test_the_demo_password_passes_the_password_validators(seeded):
    validate_password(DEMO_PASSWORD, User.objects.get(email="admin@demo.concord.test"))


def test_demo_writes_the_number_of_cases_asked_for(seeded):
    assert Case.objects.count() == SMALL


def test_if_empty_does_nothing_when_the_database_has_data(run_demo):
    run_demo()
    people, events = Person.objects.count(), CaseEvent.objects.count()

    printed = run_demo(if_empty=True, cases=50)

    assert "already has data" in printed
    assert (Case.objects.count(), Person.objects.count(), CaseEvent.objects.count()) == (SMALL, people, events)


def test_if_empty_seeds_an_empty_database(run_demo):
    run_demo(if_empty=True)
    assert Case.objects.count() == SMALL


def test_demo_refuses_to_seed_northshire_twice(run_demo):
    run_demo()
    with pytest.raises(CommandError, match="already in this database"):
        run_demo()


def test_demo_refuses_an_anchor_date_in_the_future(run_demo):
    with pytest.raises(CommandError, match="future"):
        run_demo(anchor=timezone.localdate() + timezone.timedelta(days=1))


def _survivors_after_seeding(run_demo, **options) -> list[tuple[str, str, str]]:
    """Seed into an empty database, read the survivors back, and roll everything back again."""
    with transaction.atomic():
        run_demo(**options)
        survivors = list(Case.objects.order_by("reference")
                         .values_list("reference", "survivor__given_name", "survivor__family_name"))
        transaction.set_rollback(True)
    assert not Area.objects.exists()
    return survivors


def test_the_same_seed_gives_the_same_survivors(run_demo):
    first = _survivors_after_seeding(run_demo, seed=7)
    again = _survivors_after_seeding(run_demo, seed=7)
    assert first == again
    assert len({(given, family) for _ref, given, family in first}) > SMALL // 2


def test_another_seed_gives_other_survivors(run_demo):
    assert _survivors_after_seeding(run_demo, seed=1) != _survivors_after_seeding(run_demo, seed=2)


def test_batch_size_does_not_change_the_data(run_demo):
    assert _survivors_after_seeding(run_demo, batch_size=3) == _survivors_after_seeding(run_demo, batch_size=500)


def test_interrupting_leaves_whole_batches_and_a_matching_counter(run_demo, monkeypatch):
    real_levels = seeding.risk.levels
    calls = []

    def interrupt_third_batch(cases, **kwargs):
        # Risk levels are written last in a batch: Ctrl+C here lands after its people, cases,
        # incidents, needs and events were inserted, inside its transaction.
        calls.append(len(cases))
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_levels(cases, **kwargs)

    monkeypatch.setattr(seeding.risk, "levels", interrupt_third_batch)
    with pytest.raises(CommandError, match="10 of 20 cases were written") as stopped:
        run_demo(batch_size=5)

    assert stopped.value.returncode == 130
    assert Case.objects.count() == 10
    assert Area.objects.get().next_case_number == 11
    assert CaseRisk.objects.count() == 10  # the two whole batches have their levels; the third has nothing
    # Nobody from the interrupted batch is left behind without a case.
    assert not Person.objects.filter(cases_as_survivor__isnull=True, case_roles__isnull=True).exists()
