"""API reads of case data are in the access log, with the basis that allowed them."""

from concord.audit.models import AccessLogEntry
from concord.testing.factories import make_case, share_with


def reads_by(actor, case):
    return list(AccessLogEntry.objects.filter(case_id=case.pk, user_id=actor.user.pk, action="view")
                .order_by("sequence").values_list("object_type", "basis"))


def test_each_api_read_is_logged_with_its_basis(client_for, advocate, officer, case):
    share_with(advocate, case, officer.agency)
    api = client_for(officer)
    incident, need = case.incidents.get(), case.needs.get()
    for path in [f"/cases/{case.reference}", f"/cases/{case.reference}/incidents",
                 f"/cases/{case.reference}/incidents/{incident.pk}", f"/cases/{case.reference}/needs/{need.pk}",
                 f"/people/{case.survivor_id}"]:
        assert api.call("get", path).status_code == 200, path
    logged = reads_by(officer, case)
    assert [kind for kind, _ in logged] == ["case", "incident", "incident", "need", "person"]
    assert all(basis.startswith("consent:") for _, basis in logged)


def test_a_refused_read_logs_nothing(client_for, housing_worker, case):
    assert client_for(housing_worker).call("get", f"/cases/{case.reference}").status_code == 404
    assert reads_by(housing_worker, case) == []


def test_a_record_that_is_not_on_the_case_is_404_and_logs_nothing(advocate_api, advocate, case):
    other = make_case(advocate, given_name="Chloe")
    incident, need = case.incidents.get(), case.needs.get()
    for path in [f"/cases/{other.reference}/incidents/{incident.pk}", f"/cases/{other.reference}/needs/{need.pk}"]:
        assert advocate_api.call("get", path).status_code == 404, path
    assert reads_by(advocate, other) == [] and reads_by(advocate, case) == []
    # The control: on its own case the same record is read, and logged with its id.
    assert advocate_api.call("get", f"/cases/{case.reference}/incidents/{incident.pk}").status_code == 200
    assert AccessLogEntry.objects.filter(case_id=case.pk, object_type="incident", object_id=str(incident.pk)).exists()
