"""What an entry records: who, for which agency, what, which fields, from where, on what basis."""

import pytest
from django.test import RequestFactory

from concord.audit.chain import chain_verify
from concord.audit.models import AccessLogEntry, AuditAction, AuditChainHead
from concord.audit.services import access_log_append, client_ip
from concord.testing.factories import make_case

pytestmark = pytest.mark.django_db


def test_entry_records_the_actor_the_case_and_the_basis(advocate):
    case = make_case(advocate)
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    entry = access_log_append(actor=advocate, action=AuditAction.VIEW, object_type="case", object_id=case.pk,
                              case=case, fields=["survivor", "needs"], basis="lead", ip_address=client_ip(request))
    stored = AccessLogEntry.objects.get(pk=entry.pk)
    assert (stored.user_id, stored.user_label) == (advocate.user.pk, str(advocate.user))
    assert (stored.agency_id, stored.agency_name, stored.area_id) == (
        advocate.agency.pk, advocate.agency.name, case.area_id)
    assert (stored.case_id, stored.case_reference, stored.object_id) == (case.pk, case.reference, str(case.pk))
    assert stored.fields == ["survivor", "needs"]
    assert (stored.ip_address, stored.basis, stored.action) == ("203.0.113.9", "lead", "view")


def test_entry_without_an_actor_is_the_systems(db):
    entry = access_log_append(actor=None, action=AuditAction.RETENTION_DELETE, object_type="case")
    assert entry.user_id is None and entry.user_label == "system" and entry.agency_name == ""


def test_login_names_the_user_without_an_agency(advocate):
    entry = access_log_append(actor=None, user=advocate.user, action=AuditAction.LOGIN, object_type="user",
                              object_id=advocate.user.pk)
    assert entry.user_id == advocate.user.pk and entry.agency_id is None


@pytest.mark.parametrize(("remote_addr", "stored"), [
    ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
    ("fe80::1%eth0", "fe80::1"),
    ("not an address", None),
    ("", None),
])
def test_addresses_are_stored_in_canonical_form_and_still_verify(advocate, remote_addr, stored):
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr)
    entry = access_log_append(actor=advocate, action="view", object_type="case", ip_address=client_ip(request))
    assert AccessLogEntry.objects.get(pk=entry.pk).ip_address == stored
    assert chain_verify().ok


def test_text_outside_ascii_still_verifies(advocate):
    access_log_append(actor=advocate, action="view", object_type="case", fields=["in_her_words"],
                      basis="consent:7 — Zoë’s decision")
    assert chain_verify().ok


def test_numbering_continues_when_the_head_row_is_lost(write_entries):
    write_entries(2)
    AuditChainHead.objects.all().delete()
    entry = write_entries(1)[0]
    assert entry.sequence == 3
    assert chain_verify().ok


def test_entry_rolls_back_with_the_write_it_records(advocate):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        access_log_append(actor=advocate, action="update", object_type="need")
        raise RuntimeError("the service failed")
    assert AccessLogEntry.objects.count() == 0
    assert access_log_append(actor=advocate, action="update", object_type="need").sequence == 1


def test_entries_of_a_deferred_block_are_written_at_its_end_in_order(advocate):
    from concord.audit.services import access_log_deferred

    with access_log_deferred():
        first = access_log_append(actor=advocate, action="create", object_type="case")
        with access_log_deferred():  # nested: joins the outer block
            access_log_append(actor=advocate, action="create", object_type="need")
        assert AccessLogEntry.objects.count() == 0 and first.pk is None
    assert list(AccessLogEntry.objects.values_list("object_type", "sequence")) == [("case", 1), ("need", 2)]
    assert chain_verify().ok


def test_a_deferred_block_that_fails_writes_nothing(advocate):
    from django.db import transaction

    from concord.audit.services import access_log_deferred

    with pytest.raises(RuntimeError), transaction.atomic(), access_log_deferred():
        access_log_append(actor=advocate, action="create", object_type="case")
        raise RuntimeError("the service failed")
    assert AccessLogEntry.objects.count() == 0


def test_an_intake_locks_its_chain_head_only_after_everything_else_is_written(advocate):
    """The head is taken last: by the time it is locked, the case, its incident and needs exist."""
    from unittest import mock

    from concord.audit import services
    from concord.cases.models import Case

    seen = []
    real = services._locked_head

    def locked_head(chain):
        seen.append(Case.objects.filter(needs__isnull=False, incidents__isnull=False).exists())
        return real(chain)

    with mock.patch.object(services, "_locked_head", side_effect=locked_head):
        case = make_case(advocate)
    assert seen == [True]
    assert AccessLogEntry.objects.filter(case_id=case.pk, action="create").count() >= 3
    assert chain_verify().ok
