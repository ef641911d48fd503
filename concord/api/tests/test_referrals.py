"""Referrals through the API: sent from a case on her consent (422 without it), the receiver reads the
packet at /referrals/{id} and nothing else of the case until it accepts; the answers, stale versions and
an agency on neither side (404)."""

import pytest

from concord.consent.services import consent_record
from concord.referrals.models import Referral

pytestmark = pytest.mark.django_db


def fields(response) -> set:
    return {item["loc"][-1] for item in response.json()["detail"]}


@pytest.fixture
def sent(advocate_api, advocate, case, housing):
    consent_record(actor=advocate, case=case, scope="refer", agency=housing, decision="given", method="verbal")
    need = case.needs.get()
    response = advocate_api.call("post", f"/cases/{case.reference}/referrals", {
        "to_agency": housing.pk, "reason": "She needs to move", "urgency": "urgent", "needs": [need.pk],
        "packet_note": "Her sister's flat is not safe"})
    assert response.status_code == 201, response.json()
    return response.json()


def test_without_consent_the_send_is_a_field_error(advocate_api, case, police):
    response = advocate_api.call("post", f"/cases/{case.reference}/referrals",
                                 {"to_agency": police.pk, "reason": "An officer to call"})
    assert response.status_code == 422 and "consent" in fields(response)
    assert not Referral.objects.exists()
    unknown = advocate_api.call("post", f"/cases/{case.reference}/referrals",
                                {"to_agency": police.pk, "reason": "x", "needs": [999999]})
    assert unknown.status_code == 422


def test_the_receiver_reads_the_packet_then_accepts(client_for, housing_worker, advocate_api, case, sent):
    housing_api = client_for(housing_worker)
    assert housing_api.call("get", f"/cases/{case.reference}").status_code == 404
    listed = housing_api.call("get", "/referrals?status=sent").json()
    assert [item["id"] for item in listed["items"]] == [sent["id"]] and listed["items"][0]["packet"] is None
    one = housing_api.call("get", f"/referrals/{sent['id']}").json()
    assert one["packet"]["name"] == "Amina Khan" and one["packet"]["note"] == "Her sister's flat is not safe"
    assert [need["in_her_words"] for need in one["packet"]["needs"]] == ["I need the locks changed"]

    stale = housing_api.call("post", f"/referrals/{sent['id']}/accept", {"version": 7})
    assert stale.status_code == 422 and "version" in fields(stale)
    accepted = housing_api.call("post", f"/referrals/{sent['id']}/accept", {"version": one["version"]})
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert housing_api.call("get", f"/cases/{case.reference}").status_code == 200
    # The sender sees where it stands; it cannot withdraw an accepted referral.
    mine = advocate_api.call("get", "/referrals?direction=outgoing").json()["items"]
    assert mine[0]["status"] == "accepted"
    assert advocate_api.call("post", f"/referrals/{sent['id']}/withdraw",
                             {"version": accepted.json()["version"], "reason": "x"}).status_code == 403
    done = housing_api.call("post", f"/referrals/{sent['id']}/complete",
                            {"version": accepted.json()["version"], "outcome": "need_met"})
    assert done.status_code == 200 and case.needs.get().status == "met"


def test_decline_needs_a_reason_and_outsiders_get_404(client_for, housing_worker, officer, case, sent):
    housing_api = client_for(housing_worker)
    bad = housing_api.call("post", f"/referrals/{sent['id']}/decline", {"version": sent["version"], "reason": "other"})
    assert bad.status_code == 422 and "note" in fields(bad)
    declined = housing_api.call("post", f"/referrals/{sent['id']}/decline",
                                {"version": sent["version"], "reason": "no_capacity"})
    assert declined.status_code == 200 and declined.json()["packet"] is None
    police_api = client_for(officer)
    assert police_api.call("get", f"/referrals/{sent['id']}").status_code == 404
    assert police_api.call("post", f"/referrals/{sent['id']}/accept", {"version": 2}).status_code == 404
    assert police_api.call("get", "/referrals").json()["items"] == []
