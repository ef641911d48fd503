"""Whoever can write the table still cannot forge, backdate or rewind the log: the chain is keyed
with a key the database does not hold, the database checks each entry's place and date and only
moves a head forward, and anchors kept outside the database catch what the owner could still do."""

import datetime
import hashlib
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from concord.audit import protection
from concord.audit.anchors import anchors_read
from concord.audit.chain import MAC_FIELDS, chain_verify, entry_hash, entry_mac
from concord.audit.models import NO_AREA_CHAIN, AccessLogEntry, AuditChainHead, MacVersion
from concord.audit.services import access_log_append
from concord.testing.factories import make_actor, make_agency, make_area
from concord.testing.roles import acting_as, application_role

from .stand_ins import case_label

pytestmark = pytest.mark.django_db
TABLE = "audit_accesslogentry"


def verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out, verbosity=0)
    return out.getvalue()


def next_entry(chain: int, **changes) -> AccessLogEntry:
    """An entry as a writer with the table's rights but not the key would make it: in the right
    place of its chain, dated now, `changes` applied, sealed with `changes["entry_hash"]` or else an
    HMAC under a key of its own guessing."""
    head = AuditChainHead.objects.get(chain=chain)
    values = {
        "chain": chain, "sequence": head.last_sequence + 1, "prev_hash": head.last_hash,
        "occurred_at": timezone.now(), "user_id": 999, "user_label": "PC Made Up", "agency_id": None,
        "agency_name": "Northshire Police", "area_id": None if chain == NO_AREA_CHAIN else chain,
        "action": "view", "object_type": "case", "object_id": "1", "case_id": 1, "case_reference": "NTH-2026-00001",
        "fields": ["survivor"], "ip_address": None, "basis": "lead", "mac_version": MacVersion.KEYED,
    }
    values.update(changes)
    entry = AccessLogEntry(**{name: values[name] for name in MAC_FIELDS})
    entry.entry_hash = values.get("entry_hash") or entry_mac(values, key="a guess at the key")
    return entry


def refused(entry: AccessLogEntry, match: str) -> None:
    with pytest.raises(DatabaseError, match=match), transaction.atomic():
        entry.save()


def test_an_entry_without_the_key_is_reported_as_forged(write_entries):
    entries = write_entries(2)
    next_entry(entries[0].chain).save()  # the database cannot check a MAC: it takes it
    with pytest.raises(CommandError, match="at sequence 3: this entry's MAC does not match"):
        verify()


def test_an_unkeyed_entry_is_refused_by_the_database(write_entries):
    chain = write_entries(1)[0].chain
    entry = next_entry(chain, mac_version=MacVersion.UNKEYED)
    entry.entry_hash = entry_hash({name: getattr(entry, name) for name in MAC_FIELDS})
    refused(entry, "only keyed entries")


@pytest.mark.parametrize("when", [datetime.datetime(2020, 3, 1, 9, 0, tzinfo=datetime.UTC),
                                  timezone.now() + datetime.timedelta(hours=2)])
def test_an_entry_dated_other_than_now_is_refused(write_entries, when):
    chain = write_entries(1)[0].chain
    refused(next_entry(chain, occurred_at=when), "not dated now|dated .*, not now")


@pytest.mark.parametrize("changes", [{"sequence": 7}, {"sequence": 1}, {"prev_hash": "0" * 64}])
def test_an_entry_out_of_its_place_in_the_chain_is_refused(write_entries, changes):
    chain = write_entries(2)[0].chain
    refused(next_entry(chain, **changes), "continue")


def test_an_entry_in_another_areas_chain_is_refused(write_entries):
    chain = write_entries(1)[0].chain
    refused(next_entry(chain, area_id=chain + 1), "belongs to")


def test_the_head_only_moves_forward_to_an_entry_that_exists(write_entries):
    entries = write_entries(3)
    chain = entries[0].chain
    for statement in (f"UPDATE audit_auditchainhead SET last_sequence = 1, last_hash = '{entries[0].entry_hash}'",
                      f"UPDATE audit_auditchainhead SET last_sequence = 4, last_hash = '{'f' * 64}'",
                      f"UPDATE audit_auditchainhead SET last_hash = '{'f' * 64}'"):
        with pytest.raises(DatabaseError, match="only moves forward"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(statement + " WHERE chain = %s", [chain])
    assert AuditChainHead.objects.get(chain=chain).last_sequence == 3


def test_a_new_head_must_be_its_chains_tail(write_entries):
    chain = write_entries(2)[0].chain
    AuditChainHead.objects.filter(chain=chain).delete()  # only the owner may: the application has no DELETE
    with pytest.raises(DatabaseError, match="only moves forward"), transaction.atomic():
        AuditChainHead.objects.create(chain=chain, last_sequence=1,
                                      last_hash=AccessLogEntry.objects.get(chain=chain, sequence=1).entry_hash)


def test_a_head_moved_back_by_the_owner_is_reported_and_writing_goes_on(write_entries, tamper):
    entries = write_entries(4)
    chain = entries[0].chain
    tamper(f"UPDATE audit_auditchainhead SET last_sequence = 2, last_hash = '{entries[1].entry_hash}'")
    with pytest.raises(CommandError, match="at sequence 3: entry 3–4 lies beyond the chain head"):
        verify()
    # The next writer is refused (duplicate key), rather than the log silently forking.
    with pytest.raises(DatabaseError), transaction.atomic():
        write_entries(1)
    assert chain_verify().chain(chain).broken.sequence == 3


def test_audit_verify_writes_anchors_and_checks_them_later(write_entries, tamper, settings):
    entries = write_entries(3)
    chain = entries[0].chain
    verify()
    [anchor] = anchors_read()
    assert (anchor.chain, anchor.sequence, anchor.mac) == (chain, 3, entries[2].entry_hash) and anchor.at
    # The owner removes the last entry and puts the head back: the chain alone looks whole.
    tamper(f"DELETE FROM {TABLE} WHERE sequence = 3",
           f"UPDATE audit_auditchainhead SET last_sequence = 2, last_hash = '{entries[1].entry_hash}'")
    assert chain_verify().ok
    with pytest.raises(CommandError, match="at sequence 3: the anchored entry .* is beyond the end of the chain"):
        verify()


def test_an_anchored_entry_whose_mac_changed_is_reported(write_entries, tamper):
    entries = write_entries(2)
    call_command("audit_anchor", stdout=StringIO())
    tamper(f"UPDATE {TABLE} SET entry_hash = '{'e' * 64}' WHERE sequence = 2",
           f"UPDATE audit_auditchainhead SET last_hash = '{'e' * 64}'")
    report = chain_verify(anchors=anchors_read()).chain(entries[0].chain)
    assert report.broken.sequence == 2


def test_anchors_are_only_ever_added(write_entries, settings):
    write_entries(1)
    verify()
    write_entries(1)
    verify()
    files = sorted(settings.AUDIT_ANCHORS.glob("*.jsonl"))
    assert len(files) == 2 and [a.sequence for a in anchors_read()] == [1, 2]
    assert all(not file.stat().st_mode & 0o222 for file in files)


def test_an_unreadable_anchor_file_is_reported(write_entries, settings):
    write_entries(1)
    settings.AUDIT_ANCHORS.mkdir(parents=True)
    (settings.AUDIT_ANCHORS / "anchors-x.jsonl").write_text("not json\n")
    with pytest.raises(CommandError, match="anchor file unreadable"):
        verify()


def _unkeyed(chain: int, sequence: int, prev: str, **changes) -> dict:
    values = {"chain": chain, "sequence": sequence, "prev_hash": prev,
              "occurred_at": datetime.datetime(2026, 11, 1, tzinfo=datetime.UTC), "user_id": None,
              "user_label": "system", "agency_id": None, "agency_name": "", "area_id": None, "action": "login",
              "object_type": "user", "object_id": "", "case_id": None, "case_reference": "", "fields": [],
              "ip_address": None, "basis": "", "mac_version": 1, **changes}
    values["entry_hash"] = hashlib.sha256(json.dumps(
        {name: (value.isoformat(timespec="microseconds") if name == "occurred_at" else value)
         for name, value in values.items() if name not in ("chain", "mac_version")},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()
    return values


def _insert_as_owner(rows: list[dict], head: tuple[int, int, str]) -> None:
    with protection.suspended(connection), connection.cursor() as cursor:
        for row in rows:
            names = list(row)
            cursor.execute(f"INSERT INTO {TABLE} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})",
                           [json.dumps(v) if n == "fields" else v for n, v in row.items()])
        cursor.execute("DELETE FROM audit_auditchainhead WHERE chain = %s", [head[0]])
        cursor.execute("INSERT INTO audit_auditchainhead (chain, last_sequence, last_hash) VALUES (%s, %s, %s)", head)


def test_old_unkeyed_entries_verify_before_the_first_keyed_one_only(db):
    first = _unkeyed(NO_AREA_CHAIN, 1, "0" * 64)
    second = _unkeyed(NO_AREA_CHAIN, 2, first["entry_hash"], action="logout")
    _insert_as_owner([first, second], (NO_AREA_CHAIN, 2, second["entry_hash"]))
    assert chain_verify().ok
    keyed = access_log_append(actor=None, action="login", object_type="user")
    assert (keyed.chain, keyed.sequence, keyed.prev_hash, keyed.mac_version) == (0, 3, second["entry_hash"], 2)
    assert chain_verify().ok and chain_verify().checked == 3
    # An unkeyed entry after the first keyed one: forged, whatever its hash.
    late = _unkeyed(NO_AREA_CHAIN, 4, keyed.entry_hash)
    _insert_as_owner([late], (NO_AREA_CHAIN, 4, late["entry_hash"]))
    broken = chain_verify().broken
    assert broken.sequence == 4 and "forged" in broken.reason


def test_an_unkeyed_entry_in_an_areas_chain_is_forged(area):
    row = _unkeyed(area.pk, 1, "0" * 64, area_id=area.pk)
    _insert_as_owner([row], (area.pk, 1, row["entry_hash"]))
    assert "forged" in chain_verify().broken.reason


def test_each_area_has_its_own_chain_and_entries_without_an_area_theirs(advocate):
    south = make_area(name="Southshire", code="sth")
    southern = make_actor(make_agency(south, "police", "Southshire Police"))
    for n in (1, 2):
        access_log_append(actor=advocate, action="view", object_type="case", case=case_label(advocate.area, n))
        access_log_append(actor=southern, action="view", object_type="case", case=case_label(south, n))
    access_log_append(actor=None, user=advocate.user, action="login", object_type="user")
    chains = {(e.chain, e.sequence) for e in AccessLogEntry.objects.all()}
    assert chains == {(advocate.area.pk, 1), (advocate.area.pk, 2), (south.pk, 1), (south.pk, 2), (NO_AREA_CHAIN, 1)}
    out = verify()
    assert "OK: 5 entries verified in 3 chain(s)" in out and "chain 0 (no area): OK, 1 entries" in out
    assert f"chain {south.pk} (Southshire): OK, 2 entries" in out


def test_a_break_in_one_chain_is_reported_without_hiding_the_others(advocate, tamper):
    south = make_area(name="Southshire", code="sth")
    southern = make_actor(make_agency(south, "police", "Southshire Police"))
    for n in (1, 2):
        access_log_append(actor=advocate, action="view", object_type="case", case=case_label(advocate.area, n))
        access_log_append(actor=southern, action="view", object_type="case", case=case_label(south, n))
    tamper(f"UPDATE {TABLE} SET basis = 'override:1' WHERE chain = {south.pk} AND sequence = 1")
    report = chain_verify()
    assert report.chain(advocate.area.pk).ok and report.chain(advocate.area.pk).checked == 2
    assert report.chain(south.pk).broken.sequence == 1
    with pytest.raises(CommandError, match=f"chain {south.pk} \\(Southshire\\) at sequence 1"):
        verify()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's")
def test_the_application_role_cannot_forge_backdate_or_rewind(write_entries):
    """As docs/audit.md grants it (SELECT, INSERT on the log; SELECT, INSERT, UPDATE on the heads):
    what the database refuses, and what audit_verify reports."""
    entries = write_entries(3)
    chain = entries[0].chain
    app = application_role()
    with acting_as(app):
        # Backdated: refused by the database.
        refused(next_entry(chain, occurred_at=datetime.datetime(2020, 3, 1, 9, 0, tzinfo=datetime.UTC)),
                "not now")
        # Unkeyed (the old scheme): refused by the database.
        unkeyed = next_entry(chain, mac_version=MacVersion.UNKEYED)
        unkeyed.entry_hash = entry_hash({name: getattr(unkeyed, name) for name in MAC_FIELDS})
        refused(unkeyed, "only keyed entries")
        # Rewound: refused by the database, whether the head is moved back or re-made.
        for statement in (f"UPDATE audit_auditchainhead SET last_sequence = 1, last_hash = '{entries[0].entry_hash}'"
                          " WHERE chain = %s", "DELETE FROM audit_auditchainhead WHERE chain = %s"):
            with pytest.raises(DatabaseError, match="only moves forward|permission denied"), transaction.atomic(), \
                    connection.cursor() as cursor:
                cursor.execute(statement, [chain])
        # Lifting the triggers needs ownership.
        with pytest.raises(DatabaseError, match="must be owner"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
        # A well-placed entry with a MAC under a guessed key: the database takes it (it cannot know
        # the key) ...
        next_entry(chain).save()
        # ... and audit_verify, run as the application role, reports it.
        with pytest.raises(CommandError, match="at sequence 4: this entry's MAC does not match"):
            verify()
    assert AuditChainHead.objects.get(chain=chain).last_sequence == 4
