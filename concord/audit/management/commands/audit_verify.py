"""Check the access log: every chain, from its first entry to its head, and the anchors kept outside
the database; then write the verified heads as new anchors.

Read-only on the database and memory-bounded (keyset batches), so it is safe to run on a live system
and to stop with Ctrl-C at any time. Exits non-zero when any chain is broken or an anchor fails.
"""

import re
import sys

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Sum
from tqdm import tqdm

from concord.audit.anchors import AnchorFileError, anchors_path, anchors_read, anchors_write
from concord.audit.chain import Anchor, ChainReport, chain_verify
from concord.audit.models import NO_AREA_CHAIN, AuditChainHead


def anchor_value(text: str) -> Anchor:
    """CHAIN:SEQUENCE:MAC, or SEQUENCE:HASH as printed before chains were per area (chain 0)."""
    match = re.fullmatch(r"(?:(\d+):)?(\d+):([0-9a-f]{64})", text.strip().lower())
    if not match:
        raise ValueError("expected CHAIN:SEQUENCE:MAC, e.g. 3:1234:9f86d08…")
    return Anchor(chain=int(match[1] or NO_AREA_CHAIN), sequence=int(match[2]), mac=match[3], source="(--anchor)")


def chain_label(chain: int) -> str:
    from concord.accounts.models import Area

    if chain == NO_AREA_CHAIN:
        return "chain 0 (no area)"
    name = Area.objects.filter(pk=chain).values_list("name", flat=True).first()
    return f"chain {chain} ({name or 'area no longer exists'})"


class Command(BaseCommand):
    help = "Verify every chain of the access log and the anchors kept outside the database."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000, help="Entries read per query.")
        parser.add_argument(
            "--anchor", type=anchor_value, action="append", default=[], metavar="CHAIN:SEQUENCE:MAC",
            help="A chain's head recorded earlier outside the database, besides those in the anchors directory.",
        )
        parser.add_argument("--no-write-anchors", action="store_true",
                            help="Do not append the verified heads to the anchors (settings.AUDIT_ANCHORS).")

    def handle(self, *args, batch_size: int, anchor: list[Anchor], no_write_anchors: bool, verbosity: int,
               **options):
        try:
            anchors = [*anchors_read(), *anchor]
        except AnchorFileError as error:
            raise CommandError(f"BROKEN: anchor file unreadable: {error}", returncode=1) from None
        total = AuditChainHead.objects.aggregate(total=Sum("last_sequence"))["total"]
        # disable=None: a bar on a terminal, nothing in a cron job's log.
        bar = tqdm(total=total or None, unit="entry", unit_scale=True, file=sys.stderr,
                   disable=None if verbosity >= 1 else True)
        try:
            report = chain_verify(batch_size=batch_size, anchors=anchors, on_progress=bar.update)
        except KeyboardInterrupt:
            bar.close()
            raise CommandError("Interrupted: nothing was changed. Run again to verify.", returncode=130) from None
        bar.close()
        for chain in report.chains:
            self.stdout.write(self._line(chain))
        verified = [chain for chain in report.chains if chain.ok]
        if not no_write_anchors:
            written = anchors_write((chain.chain, chain.last_sequence, chain.last_hash) for chain in verified)
            if written:
                self.stdout.write(f"Anchors of {len(verified)} verified chain(s) appended to {written}")
        broken = [chain for chain in report.chains if not chain.ok]
        if broken:
            raise CommandError(
                "BROKEN: " + "; ".join(f"{chain_label(chain.chain)} at sequence {chain.broken.sequence}: "
                                       f"{chain.broken.reason}" for chain in broken if chain.broken),
                returncode=1,
            )
        self.stdout.write(f"OK: {report.checked} entries verified in {len(report.chains)} chain(s), "
                          f"{sum(chain.anchors_checked for chain in report.chains)} anchor(s) checked "
                          f"(anchors: {anchors_path()})")

    @staticmethod
    def _line(chain: ChainReport) -> str:
        label = chain_label(chain.chain)
        if chain.broken:
            return (f"{label}: BROKEN at sequence {chain.broken.sequence}: {chain.broken.reason}. "
                    f"{chain.checked} entries before it verified.")
        head = f"; head {chain.chain}:{chain.last_sequence}:{chain.last_hash}" if chain.checked else ""
        return f"{label}: OK, {chain.checked} entries{head}"
