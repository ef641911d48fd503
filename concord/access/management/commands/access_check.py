"""`manage.py access_check [--repair]`: prove the derived access table equals the rule recomputed from
the consent ledger, involvements, overrides and grants. Exits 1 and names the cases that differ."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from tqdm import tqdm

from concord.access.derive import case_id_batches, differences, refresh_cases
from concord.cases.models import Case


class Command(BaseCommand):
    help = "Check the derived access table against the consent ledger (and repair it with --repair)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repair", action="store_true", help="Recompute the cases that differ.")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, repair: bool, batch_size: int, verbosity: int = 1, **options) -> None:
        now = timezone.now()
        differing: list[int] = []
        bar = tqdm(total=Case.objects.count(), unit="case", desc="checked", file=sys.stderr,
                   disable=True if verbosity < 1 else None)
        for ids in case_id_batches(batch_size):
            missing, extra = differences(ids, now)
            differing += sorted({key[0] for key in missing | extra})
            bar.update(len(ids))
        bar.close()
        if not differing:
            self.stdout.write("Derived access matches the ledger.")
            return
        shown = ", ".join(str(pk) for pk in differing[:20]) + (" …" if len(differing) > 20 else "")
        if repair:
            refresh_cases(differing)
            self.stdout.write(f"Repaired {len(differing)} case(s): {shown}")
            return
        raise CommandError(f"Derived access differs from the ledger on {len(differing)} case(s): {shown}. "
                           "Run with --repair to recompute them.")
