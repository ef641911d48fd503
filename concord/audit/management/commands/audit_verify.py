"""Check the access log's hash chain from the first entry to the last.

Read-only and memory-bounded (keyset batches), so it is safe to run on a live system and to stop
with Ctrl-C at any time. Exits non-zero when the chain is broken.
"""

import re
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from concord.audit.chain import chain_verify
from concord.audit.models import AuditChainHead


def anchor_value(text: str) -> tuple[int, str]:
    match = re.fullmatch(r"(\d+):([0-9a-f]{64})", text.strip().lower())
    if not match:
        raise ValueError("expected SEQUENCE:HASH, e.g. 1234:9f86d08…")
    return int(match[1]), match[2]


class Command(BaseCommand):
    help = "Verify the access log's hash chain; report the first broken link, if any."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000, help="Entries read per query.")
        parser.add_argument(
            "--anchor", type=anchor_value, metavar="SEQUENCE:HASH",
            help="An entry's hash recorded earlier outside the database (printed by a previous run).",
        )

    def handle(self, *args, batch_size: int, anchor: tuple[int, str] | None, verbosity: int, **options):
        head = AuditChainHead.objects.filter(pk=1).values_list("last_sequence", flat=True).first()
        # disable=None: a bar on a terminal, nothing in a cron job's log.
        bar = tqdm(total=head or None, unit="entry", unit_scale=True, file=sys.stderr,
                   disable=None if verbosity >= 1 else True)
        try:
            report = chain_verify(batch_size=batch_size, anchor=anchor, on_progress=bar.update)
        except KeyboardInterrupt:
            bar.close()
            raise CommandError("Interrupted: nothing was changed. Run again to verify.", returncode=130) from None
        bar.close()
        if report.broken:
            raise CommandError(
                f"BROKEN at sequence {report.broken.sequence}: {report.broken.reason}. "
                f"{report.checked} entries before it verified.",
                returncode=1,
            )
        self.stdout.write(f"OK: {report.checked} entries verified")
        if report.checked:
            self.stdout.write(f"Head: {report.last_sequence}:{report.last_hash} "
                              "(keep this outside the database; check it later with --anchor)")
