"""`manage.py access_rebuild`: recompute the derived access table from the ledger, a batch at a time.

For after a bulk load (bench/seed_national.py) or a restore; safe to interrupt and run again."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from concord.access.derive import rebuild_all
from concord.cases.models import Case


class Command(BaseCommand):
    help = "Recompute who may see each case (the derived access table) from the consent ledger."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, batch_size: int, verbosity: int = 1, **options) -> None:
        bar = tqdm(total=Case.objects.count(), unit="case", desc="access", file=sys.stderr,
                   disable=True if verbosity < 1 else None)
        try:
            done = rebuild_all(batch_size=batch_size, progress=bar.update)
        finally:
            bar.close()
        self.stdout.write(f"Derived access recomputed for {done:,} cases.")
