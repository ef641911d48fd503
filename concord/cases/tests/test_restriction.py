"""Restricted cases: naming and removing staff both work, both are in the history, and the page says
who can see the case now."""

from __future__ import annotations

from concord import policy
from concord.cases import services
from concord.cases.models import Case, RestrictedCaseMember
from concord.testing.factories import event_text, make_actor, make_case, share_with


def test_unticking_someone_removes_their_access(advocate, police):
    case = make_case(advocate)
    share_with(advocate, case, police)
    first, second = make_actor(police), make_actor(police)
    services.case_restrict(actor=advocate, case=case, named_users=[first.user, second.user])
    assert policy.decide(first, case).visible and policy.decide(second, case).visible
    services.case_restrict(actor=advocate, case=case, named_users=[first.user])
    assert policy.decide(first, case).visible and not policy.decide(second, case).visible
    removed = RestrictedCaseMember.objects.get(case=case, user=second.user)
    assert removed.removed_at is not None
    assert set(services.staff_who_can_see(case)) == {advocate.user, first.user}


def test_restriction_changes_are_in_the_history_and_on_the_timeline(advocate, police):
    case = make_case(advocate)
    share_with(advocate, case, police)
    officer = make_actor(police)
    services.case_restrict(actor=advocate, case=case, named_users=[officer.user])
    services.case_restrict(actor=advocate, case=case, named_users=[])
    services.case_unrestrict(actor=advocate, case=case)
    flags = list(Case.history.filter(id=case.pk).order_by("history_id").values_list("is_restricted", flat=True))
    assert flags[-2:] == [True, False]
    member_history = RestrictedCaseMember.history.filter(user_id=officer.user.pk).order_by("history_id")
    assert [row.removed_at is not None for row in member_history] == [False, True]
    lines = [event_text(e) for e in case.events.filter(kind="restriction_changed").order_by("id")]
    assert f"named: {officer.user}" in lines[0]
    assert f"no longer named: {officer.user}" in lines[1]
    assert lines[2] == "Restriction lifted"


def test_the_one_restricting_always_stays_named(advocate):
    case = make_case(advocate)
    services.case_restrict(actor=advocate, case=case, named_users=[])
    assert policy.decide(advocate, case).visible
