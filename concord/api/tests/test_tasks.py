"""/tasks through the API: the receiver of a referral lists its task to answer it, naming the referral
and not the case it cannot open; escalated past the deadline, it names the supervisor; another agency
does not see it; a bad filter is a 422."""

import datetime

import pytest

from concord.accounts.models import Role
from concord.consent.services import consent_record
from concord.protocols import services
from concord.protocols.standard import adopt_standard
from concord.risk.models import Task
from concord.testing.factories import make_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral_id(area, advocate_api, advocate, case, housing):
    adopt_standard(partnership_lead=make_actor(housing, Role.PARTNERSHIP_LEAD), area=area)
    consent_record(actor=advocate, case=case, scope="refer", agency=housing, decision="given", method="verbal")
    response = advocate_api.call("post", f"/cases/{case.reference}/referrals",
                                 {"to_agency": housing.pk, "reason": "She needs to move"})
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_the_receiver_lists_its_task_naming_the_referral_not_the_case(client_for, housing, housing_worker,
                                                                       advocate_api, referral_id):
    housing_api = client_for(housing_worker)
    items = housing_api.call("get", "/tasks").json()["items"]
    assert [(t["kind"], t["referral_id"], t["case_reference"]) for t in items] == [
        ("answer_referral", referral_id, None)]
    assert items[0]["protocol"] == "Referral: a reply within 2 working days v1" and not items[0]["overdue"]
    assert advocate_api.call("get", "/tasks").json()["items"] == []  # the sender's agency does not own it

    supervisor = make_actor(housing, Role.SUPERVISOR)
    past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    Task.objects.filter(referral_id=referral_id).update(due_at=past, escalate_at=past)
    assert services.sweep().escalated == 1
    escalated = client_for(supervisor).call("get", "/tasks?which=escalated").json()["items"]
    assert escalated[0]["escalated_to"] == str(supervisor.user) and escalated[0]["overdue"]
    assert housing_api.call("get", "/tasks?which=mine").json()["items"] == []
    assert housing_api.call("get", "/tasks?which=nobody").status_code == 422
