"""`manage.py demo`: seed the demo partnership, Northshire, with staff in every role and a caseload.

    manage.py demo                      300 cases, seed 1, history ending yesterday
    manage.py demo --cases 10000        a bigger caseload (about 40 s of CPU on SQLite; see bench/)
    manage.py demo --if-empty           do nothing if the database already has an area or a case
    manage.py demo --anchor 2026-06-30  end the history on a fixed day

Deterministic: the same --seed and --anchor give the same partnership, row for row, apart from
database ids, encryption nonces and the stamps of when the command ran (staff accounts' and
people's `updated_at`). Every date in the cases is relative to the anchor, which is today unless
given, so by default the demo always shows the three years up to yesterday.

Risk: a share of the cases the IDVA service and the police lead have a completed checklist, and
every case's level is worked out as reconsider() would on the anchor day (concord.demo.risk). The
latest case opened is the one to try the demo on; `manage.py demo_logins` names it
(concord.demo.showcase).

Seeded rows have no simple-history entries; see concord.demo.seeding.
"""

from __future__ import annotations

import datetime
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone
from tqdm import tqdm

from concord.accounts.models import Area
from concord.cases.models import Case
from concord.demo.partnership import AGENCIES, AREA, DEMO_LOGINS
from concord.demo.seeding import BATCH_SIZE, SeedingInterrupted, seed_demo

# Not `flush`: the access log's triggers refuse to be emptied, by design.
START_AGAIN = ("To seed it again from nothing, start from a fresh database: for the default SQLite file, "
               "remove var/concord.sqlite3*, then run manage.py migrate and manage.py demo.")


def _day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


class Command(BaseCommand):
    help = "Create the demo partnership Northshire: agencies, demo staff in every role, and N cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=300, help="How many cases (default 300).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--anchor", type=_day, default=None,
                            help="Day the demo history ends, YYYY-MM-DD (default today).")
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing when the database already has an area or a case.")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE, help=f"Cases per transaction ({BATCH_SIZE}).")

    def handle(self, *args, cases: int, seed: int, anchor: datetime.date | None, if_empty: bool,
               batch_size: int, verbosity: int = 1, **options) -> None:
        if not settings.DEMO_MODE:
            # Its accounts, an administrator among them, share a password printed in the source and have no
            # second factor yet: anyone who knew it could enrol TOTP first and take one over.
            raise CommandError("manage.py demo runs only in demo mode (CONCORD_DEBUG=1 CONCORD_DEMO=1, as "
                               "`make run` sets): its accounts' password is published.")
        if if_empty and (Area.objects.exists() or Case.objects.exists()):
            self.stdout.write("The database already has data: demo partnership not seeded.")
            return
        if Area.objects.filter(Q(code__iexact=AREA["code"]) | Q(name=AREA["name"])).exists():
            raise CommandError(f"Northshire is already in this database. {START_AGAIN}")
        today = timezone.localdate()
        anchor = anchor or today
        if anchor > today:
            raise CommandError("The anchor date cannot be in the future: the demo would have cases not yet opened.")
        if cases < 0 or batch_size < 1:
            raise CommandError("--cases must be 0 or more and --batch-size at least 1.")

        started = time.monotonic()
        # On a terminal only (disable=None), so logs and tests are not filled with bars.
        bar = tqdm(total=cases, unit="case", desc="Northshire", disable=True if verbosity < 1 else None,
                   file=sys.stderr)
        try:
            result = seed_demo(cases=cases, seed=seed, anchor=anchor, batch_size=batch_size, progress=bar.update)
        except SeedingInterrupted as stop:
            bar.close()
            raise CommandError(
                f"Stopped: {stop.written} of {stop.total} cases were written, in whole batches (the area's "
                f"case counter matches them). {START_AGAIN}",
                returncode=130,
            ) from None
        except KeyboardInterrupt:
            bar.close()
            raise CommandError("Stopped before any case was written; nothing was saved.", returncode=130) from None
        bar.close()
        seconds = time.monotonic() - started
        if verbosity >= 1:
            rate = f" ({result.cases / seconds:,.0f} cases/s)" if seconds and result.cases else ""
            self.stdout.write(self.style.SUCCESS(
                f"Seeded {result.area.name}: {len(AGENCIES)} agencies, {len(DEMO_LOGINS)} demo staff, "
                f"{result.cases:,} cases in {seconds:.1f} s{rate}."
            ))
            self.stdout.write("Demo sign-ins: manage.py demo_logins")
