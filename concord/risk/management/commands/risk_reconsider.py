"""`manage.py risk_reconsider`: work every open case's risk level out again.

The escalation rules count incidents in a window back from today, so a level goes stale as time
passes (an incident 366 days old no longer counts): run this nightly to keep every level true.

    manage.py risk_reconsider               every open case
    manage.py risk_reconsider --area NTH    the open cases of one area
    manage.py risk_reconsider --batch 200   cases read per batch (default 500)

Each case is reconsidered in its own transaction (concord.risk.services.reconsider), with the
timeline event of a changed level. Ctrl-C stops it: the cases already done are saved, the one in
progress is rolled back, and running it again is safe.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from concord.accounts.models import Area
from concord.cases.models import Case
from concord.cases.vocabularies import CaseStatus
from concord.risk import services
from concord.risk.models import CaseRisk

BATCH = 500


class Command(BaseCommand):
    help = "Reconsider the risk level of every open case (the escalation windows slide with time): run nightly."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--area", metavar="CODE", help="Only this area's open cases (its code, e.g. NTH).")
        parser.add_argument("--batch", type=int, default=BATCH, metavar="N",
                            help=f"Cases read per batch (default {BATCH}).")

    def handle(self, *args, area: str | None, batch: int, verbosity: int = 1, **options) -> None:
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        cases = Case.objects.filter(status=CaseStatus.OPEN)
        if area:
            found = Area.objects.filter(code__iexact=area).first()
            if found is None:
                raise CommandError(f"No area with code {area!r}.")
            cases = cases.filter(area=found)
        today = timezone.localdate()  # one day for the whole run, even past midnight
        total = cases.count()
        done = changed = 0
        after = 0
        try:
            while ids := list(cases.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[:batch]):
                levels = dict(CaseRisk.objects.filter(case_id__in=ids).values_list("case_id", "level"))
                for case in cases.filter(pk__in=ids).select_related("area", "lead_agency").order_by("pk"):
                    risk = services.reconsider(case, today=today)
                    done += 1
                    changed += risk.level != levels.get(case.pk, "")
                after = ids[-1]
                if verbosity >= 1:
                    self.stdout.write(f"{done:,} / {total:,}")
        except KeyboardInterrupt:
            raise CommandError(
                f"Interrupted after {done:,} of {total:,} open cases ({changed:,} levels changed): those are "
                "saved, the case in progress was rolled back. Running it again is safe.",
                returncode=130,
            ) from None
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(
                f"Reconsidered the risk level of {done:,} open cases: {changed:,} changed."))
