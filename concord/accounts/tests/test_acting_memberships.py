"""The memberships a person may act for, as every request reads them (one prepared statement), are the
ones the rule in `Membership.objects.in_force()` gives: whatever the state of each membership and agency."""

import pytest
from django.utils import timezone

from concord.accounts.models import Role
from concord.accounts.selectors import acting_memberships, active_memberships
from concord.testing.factories import make_actor, make_agency, make_area, make_service_account, make_user

pytestmark = pytest.mark.django_db


def _as_read(memberships):
    return [(m.pk, m.role, m.agency.name, m.agency.area.name, m.approved_at) for m in memberships]


def test_every_request_reads_the_memberships_the_rule_gives(area):
    other_area = make_area("Southshire", "STH")
    user = make_user()
    agencies = [make_agency(area, "police", "A Police"), make_agency(area, "housing", "B Housing"),
                make_agency(other_area, "health", "C Health"), make_agency(area, "probation", "D Probation"),
                make_agency(area, "refuge", "E Refuge"), make_agency(area, "court", "F Court")]
    make_actor(agencies[0], Role.PRACTITIONER, user)                       # approved casework: in force
    make_actor(agencies[1], Role.ANALYST, user, approved=False)            # not casework: no approval needed
    make_actor(agencies[2], Role.SUPERVISOR, user)                         # another area: still his
    make_actor(agencies[3], Role.PRACTITIONER, user, approved=False)       # casework awaiting approval: not yet
    ended = make_actor(agencies[4], Role.PRACTITIONER, user)
    ended.membership.is_active = False                                     # ended: no longer
    ended.membership.save()
    make_actor(agencies[5], Role.CONFERENCE_COORDINATOR, user)
    agencies[5].is_active = False                                          # the agency closed: no longer
    agencies[5].save()
    expected = _as_read(active_memberships(user))
    assert [name for _pk, _role, name, _area, _approved in expected] == ["A Police", "B Housing", "C Health"]
    assert _as_read(acting_memberships(user)) == expected
    read = acting_memberships(user)
    assert all(m.user == user and m.agency.area_id == m.agency.area.pk for m in read)
    assert read[0].approved_at is not None and read[0].approved_at <= timezone.now()


def test_a_service_account_acts_for_no_membership_by_a_session(area):
    service = make_service_account(make_agency(area, "police", "Northshire Police"))
    assert acting_memberships(service.user) == [] == list(active_memberships(service.user))
