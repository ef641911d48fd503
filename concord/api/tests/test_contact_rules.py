"""Her contact rules through the API: read and set through any case the caller sees with her contact
details, stale and bad input a 422 on its field (nothing saved), and nothing at all for anyone else."""

import pytest

from concord.audit.models import AccessLogEntry
from concord.cases.services import case_open
from concord.consent.services import protected_info_grant
from concord.contact.models import ContactRules
from concord.testing.factories import make_actor, make_agency, make_area, share_with

RULES = {"version": None, "safe_channels": ["phone_call"],
         "safe_times": [{"days": [4, 0, 1, 2, 3], "start": "09:00", "end": "17:00"}], "never_post_home": False,
         "code_word": "Bluebell"}


def path(case):
    return f"/cases/{case.reference}/contact-rules"


def stored(case):
    return ContactRules.objects.filter(person=case.survivor).first()


def test_before_anyone_records_them_she_has_none_and_nothing_is_sent(advocate_api, case):
    response = advocate_api.call("get", path(case))
    assert response.status_code == 200
    body = response.json()
    assert (body["recorded"], body["version"], body["safe_channels"], body["never_post_home"]) == (
        False, None, [], True)
    assert body["summary"].startswith("Not recorded")


def test_the_lead_sets_them_and_reads_them_back(advocate_api, case):
    response = advocate_api.call("put", path(case), RULES)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["recorded"], body["version"], body["safe_times"], body["code_word"]) == (
        True, 1, [{"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}], "Bluebell")
    assert body["summary"] == "Phone calls only, weekdays 9:00–17:00; no voicemail; do not say which agency is " \
                              "calling; ask for the code word."
    assert advocate_api.call("get", path(case)).json() == body
    assert stored(case).safe_channels == ["phone_call"]


def test_they_are_hers_on_every_case(advocate_api, advocate, case):
    other = case_open(actor=advocate, survivor=case.survivor)  # her second case
    advocate_api.call("put", path(case), RULES)
    assert advocate_api.call("get", path(other)).json()["code_word"] == "Bluebell"


def test_a_stale_version_is_a_422_on_version_and_nothing_is_saved(advocate_api, case):
    advocate_api.call("put", path(case), RULES)
    advocate_api.call("put", path(case), RULES | {"version": 1, "voicemail_ok": True})
    response = advocate_api.call("put", path(case), RULES | {"version": 1, "safe_channels": ["email"]})
    assert response.status_code == 422
    (item,) = response.json()["detail"]
    assert item["loc"] == ["body", "payload", "version"]
    assert item["msg"].startswith("Someone changed her contact rules since you opened them")
    assert (stored(case).safe_channels, stored(case).version) == (["phone_call"], 2)


@pytest.mark.parametrize(("change", "field"), [
    ({"safe_channels": ["carrier_pigeon"]}, "safe_channels"),
    ({"safe_times": [{"days": [0], "start": "17:00", "end": "09:00"}]}, "safe_times"),
    ({"safe_times": [{"days": [7], "start": "09:00", "end": "17:00"}]}, "safe_times"),
    ({"safe_times": [{"days": [], "start": "09:00", "end": "17:00"}]}, "safe_times"),
    ({"safe_times": [{"days": [0], "start": "9am", "end": "17:00"}]}, "safe_times"),
    ({"voicemail_ok": "yes"}, "voicemail_ok"),
    ({"code_word": "x" * 101}, "code_word"),
    ({"home_address": "1 High Street"}, "home_address"),
    ({"version": "1"}, "version"),
])
def test_bad_input_is_a_422_on_its_field_and_nothing_is_saved(advocate_api, case, change, field):
    response = advocate_api.call("put", path(case), RULES | change)
    assert response.status_code == 422, response.content
    assert any(item["loc"][:3] == ["body", "payload", field] for item in response.json()["detail"]), response.json()
    assert stored(case) is None


def test_a_missing_version_is_a_422(advocate_api, case):
    body = {key: value for key, value in RULES.items() if key != "version"}
    response = advocate_api.call("put", path(case), body)
    assert response.status_code == 422 and stored(case) is None


def test_an_agency_on_the_case_without_her_contact_details_gets_403_and_changes_nothing(client_for, advocate,
                                                                                        officer, case):
    share_with(advocate, case, officer.agency)
    officer_api = client_for(officer)
    assert officer_api.call("get", path(case)).status_code == 403
    assert officer_api.call("put", path(case), RULES).status_code == 403
    assert stored(case) is None


def test_an_agency_given_her_contact_details_may_set_them(client_for, advocate, officer, case):
    share_with(advocate, case, officer.agency)
    protected_info_grant(actor=advocate, case=case, agency=officer.agency, reason="Urgent response flag")
    assert client_for(officer).call("put", path(case), RULES).status_code == 200


def test_an_agency_not_on_the_case_gets_404(client_for, housing_worker, case):
    outsider = client_for(housing_worker)
    assert outsider.call("get", path(case)).json() == {"detail": "Not Found"}
    assert outsider.call("put", path(case), RULES).status_code == 404
    assert stored(case) is None


def test_an_agency_of_another_area_gets_404(client_for, case):
    elsewhere = make_actor(make_agency(make_area(name="Southshire", code="sth"), "specialist_advocacy"))
    assert client_for(elsewhere).call("get", path(case)).status_code == 404


def test_a_read_is_in_the_access_log(advocate_api, case):
    advocate_api.call("get", path(case))
    entry = AccessLogEntry.objects.order_by("-sequence").first()
    assert (entry.case_id, entry.object_type) == (case.pk, "contact_rules")
    assert {"safe_channels", "code_word", "summary"} <= set(entry.fields)
