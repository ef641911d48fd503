"""Migration 0003 on a log written under the old scheme: the old entries keep verifying, as chain 0
(a head printed before the migration is still its anchor), and new entries are keyed after them."""

import hashlib
import json

import pytest
from django.core.management import call_command
from django.db import connection

from concord.audit.chain import Anchor, chain_verify
from concord.audit.services import access_log_append

pytestmark = pytest.mark.django_db(transaction=True)
OLD_FIELDS = ("sequence", "occurred_at", "user_id", "user_label", "agency_id", "agency_name", "area_id", "action",
              "object_type", "object_id", "case_id", "case_reference", "fields", "ip_address", "basis", "prev_hash")


def _old_entry(sequence: int, prev: str, area_id: int | None) -> dict:
    row = {"sequence": sequence, "occurred_at": f"2026-11-2{sequence}T10:00:00.000000+00:00", "user_id": 7,
           "user_label": "Ann Advocate", "agency_id": 3, "agency_name": "Northshire IDVA Service", "area_id": area_id,
           "action": "view", "object_type": "case", "object_id": str(sequence), "case_id": sequence,
           "case_reference": f"NTH-2026-0000{sequence}", "fields": ["survivor"], "ip_address": None, "basis": "lead",
           "prev_hash": prev}
    text = json.dumps({name: row[name] for name in OLD_FIELDS}, sort_keys=True, separators=(",", ":"))
    row["entry_hash"] = hashlib.sha256(text.encode()).hexdigest()
    return row


def test_old_entries_still_verify_after_the_migration_and_new_ones_follow_them(area):
    call_command("migrate", "audit", "0002", verbosity=0)
    try:
        rows, prev = [], "0" * 64
        for sequence, area_id in ((1, area.pk), (2, None), (3, area.pk)):
            rows.append(_old_entry(sequence, prev, area_id))
            prev = rows[-1]["entry_hash"]
        with connection.cursor() as cursor:
            for row in rows:
                names = list(row)
                cursor.execute(
                    f"INSERT INTO audit_accesslogentry ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})",
                    [json.dumps(v) if n == "fields" else v for n, v in row.items()])
            cursor.execute("INSERT INTO audit_auditchainhead (id, last_sequence, last_hash) VALUES (1, 3, %s)", [prev])
    finally:
        call_command("migrate", "audit", verbosity=0)

    report = chain_verify(anchors=[Anchor(0, 3, prev)])  # the head printed before the migration
    assert report.ok and [(c.chain, c.checked) for c in report.chains] == [(0, 3)]
    login = access_log_append(actor=None, action="login", object_type="user")
    assert (login.chain, login.sequence, login.prev_hash, login.mac_version) == (0, 4, prev, 2)
    in_area = access_log_append(actor=None, action="view", object_type="case", agency=_agency(area))
    assert (in_area.chain, in_area.sequence) == (area.pk, 1)
    report = chain_verify()
    assert report.ok and report.checked == 5


def _agency(area):
    from concord.testing.factories import make_agency

    return make_agency(area, "police", "Northshire Police")
