"""Apply the retention periods: report what is past them, and delete closed cases that are.

  manage.py retention --dry-run     what would be deleted (counts per record type, oldest date)
  manage.py retention               delete closed cases past retention, in batches

Each batch is one transaction, so Ctrl-C loses at most the batch in progress; run again to go on.
The access log is reported, never deleted (see concord.audit.retention).
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from concord.audit.retention import PurgeOutcome, closed_cases_due, closed_cases_purge, retention_report


class Command(BaseCommand):
    help = "Report records past their retention period and delete closed cases that are (see --dry-run)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report only; delete nothing.")
        parser.add_argument("--batch-size", type=int, default=100, help="Cases deleted per transaction.")

    def handle(self, *args, dry_run: bool, batch_size: int, verbosity: int, **options):
        now = timezone.now()
        self._report(now)
        if dry_run:
            self.stdout.write("Dry run: nothing was deleted.")
            return
        due = closed_cases_due(now=now)
        bar = tqdm(total=due.count(), unit="case", file=sys.stderr, disable=None if verbosity >= 1 else True)
        done, after = PurgeOutcome(), 0
        try:
            while ids := list(due.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:batch_size]):
                done.add(closed_cases_purge(case_ids=ids, now=now))
                after = ids[-1]
                bar.update(len(ids))
        except KeyboardInterrupt:
            bar.close()
            self._summary(done)
            raise CommandError("Interrupted: the batch in progress was rolled back. Run again to continue.",
                               returncode=130) from None
        bar.close()
        self._summary(done)

    def _report(self, now) -> None:
        self.stdout.write(f"Retention as of {now:%Y-%m-%d %H:%M} UTC")
        for line in retention_report(now=now):
            due = "-" if line.due is None else str(line.due)
            oldest = f"{line.oldest:%Y-%m-%d}" if line.oldest else "-"
            self.stdout.write(
                f"  {line.record_type}: kept {line.days} days (before {line.cutoff:%Y-%m-%d}); "
                f"past retention: {due}; oldest: {oldest}; {line.action}"
            )

    def _summary(self, done: PurgeOutcome) -> None:
        self.stdout.write(f"Deleted {done.cases} closed case(s) and {done.people} person record(s) "
                          "no longer on any case; each deletion is in the access log.")
        for reference, why in done.skipped:
            self.stdout.write(f"  kept {reference}: {why}")
