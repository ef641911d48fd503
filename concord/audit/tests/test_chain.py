"""The chain: a clean log verifies; an edit, a deletion or a reordering is found, and where."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from concord.audit.chain import Anchor, chain_verify, entry_mac
from concord.audit.models import GENESIS_HASH, AccessLogEntry

pytestmark = pytest.mark.django_db
TABLE = "audit_accesslogentry"


def verify() -> str:
    out = StringIO()
    call_command("audit_verify", stdout=out, verbosity=0)
    return out.getvalue()


def test_entries_are_chained_in_sequence(write_entries):
    first, second, third = write_entries(3)
    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.entry_hash and third.prev_hash == second.entry_hash


def test_stored_entries_carry_their_keyed_mac(write_entries):
    write_entries(2)
    for row in AccessLogEntry.objects.values():
        assert row["mac_version"] == 2 and entry_mac(row) == row["entry_hash"]
        assert entry_mac(row, key="another key") != row["entry_hash"]


def test_clean_chain_verifies(write_entries):
    write_entries(5)
    assert "OK: 5 entries verified" in verify()


def test_empty_log_verifies(db):
    assert "OK: 0 entries verified" in verify()


def test_verify_reads_in_batches(write_entries):
    write_entries(7)
    report = chain_verify(batch_size=2)
    assert report.ok and report.checked == 7 and report.chains[0].last_sequence == 7


def test_edited_field_is_found_at_that_entry(write_entries, tamper):
    write_entries(4)
    tamper(f"UPDATE {TABLE} SET user_label = 'Someone Else' WHERE sequence = 3")
    with pytest.raises(CommandError, match="BROKEN: chain .* at sequence 3: .*changed") as broken:
        verify()
    assert broken.value.returncode == 1


def test_edited_json_fields_are_found(write_entries, tamper):
    write_entries(3)
    tamper(f"""UPDATE {TABLE} SET fields = '["survivor"]' WHERE sequence = 2""")
    assert chain_verify().broken.sequence == 2


def test_edit_with_recomputed_hash_breaks_the_next_link(write_entries, tamper):
    write_entries(4)
    row = AccessLogEntry.objects.values().get(sequence=2)
    row["basis"] = "override:99"
    tamper(f"UPDATE {TABLE} SET basis = 'override:99', entry_hash = '{entry_mac(row)}' WHERE sequence = 2")
    broken = chain_verify().broken
    assert broken.sequence == 3 and "previous MAC" in broken.reason


def test_deleted_entry_is_found(write_entries, tamper):
    write_entries(5)
    tamper(f"DELETE FROM {TABLE} WHERE sequence = 3")
    with pytest.raises(CommandError, match="BROKEN: chain .* at sequence 3: entry 3 is missing"):
        verify()


def test_deleted_first_entry_is_found(write_entries, tamper):
    write_entries(3)
    tamper(f"DELETE FROM {TABLE} WHERE sequence = 1")
    assert chain_verify().broken.sequence == 1


def test_entries_removed_from_the_end_are_found(write_entries, tamper):
    write_entries(5)
    tamper(f"DELETE FROM {TABLE} WHERE sequence >= 4")
    broken = chain_verify().broken
    assert broken.sequence == 4 and "removed from the end" in broken.reason


def test_swapped_entries_are_found_at_the_first(write_entries, tamper):
    write_entries(6)
    tamper(
        f"UPDATE {TABLE} SET sequence = 1000000 WHERE sequence = 2",
        f"UPDATE {TABLE} SET sequence = 2 WHERE sequence = 5",
        f"UPDATE {TABLE} SET sequence = 5 WHERE sequence = 1000000",
    )
    with pytest.raises(CommandError, match="BROKEN: chain .* at sequence 2"):
        verify()


def test_anchor_recorded_earlier_must_still_match(write_entries):
    entries = write_entries(3)
    chain = entries[0].chain
    assert chain_verify(anchors=[Anchor(chain, 2, entries[1].entry_hash)]).ok
    assert chain_verify(anchors=[Anchor(chain, 2, "f" * 64)]).broken.sequence == 2
    assert chain_verify(anchors=[Anchor(chain, 9, entries[1].entry_hash)]).broken.sequence == 9


def test_verify_prints_the_head_to_keep_outside_the_database(write_entries):
    entries = write_entries(2)
    assert f"head {entries[1].chain}:2:{entries[1].entry_hash}" in verify()


def test_interrupted_verify_exits_cleanly(write_entries):
    write_entries(1)
    stop = mock.patch("concord.audit.management.commands.audit_verify.chain_verify", side_effect=KeyboardInterrupt)
    with stop, pytest.raises(CommandError, match="Interrupted: nothing was changed") as interrupted:
        verify()
    assert interrupted.value.returncode == 130
