"""Time the conference's reads on a national caseload: a year of meetings on a database seeded by
bench/seed_national.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/concord_bench .venv/bin/python bench/conference_reads.py
    … --meetings 26 --per-meeting 200 --waiting 400 --runs 20

Setup (once; a second run finds the series there and only measures): the area's conference series,
coordinated by the IDVA service, `--meetings` fortnightly meetings over the past year, each held and
closed with `--per-meeting` discussed referrals (chosen among the open cases at random), research from
the police and the IDVA service, two actions each (mostly done, some late, some open, each open one
its owner's task), and `--waiting` referrals waiting for next week's meeting; rows written with
bulk_create as the services write them, then the derived access table refreshed for every case
touched (`concord.access.derive.refresh_cases`, as every service does).

Measured in process, p50 / p95 over --runs runs after warm-up, as the demo's coordinator ("marac"),
the police officer and the probation officer (concord.demo.partnership.DEMO_LOGINS):
- the figures of the last complete quarter (concord.conferences.figures.figures);
- the coordinator's waiting list (selectors.waiting_held);
- a meeting's page reads: meeting_access_for (every agenda case's decision) and agenda_of;
- one agenda case's item (selectors.item_of);
- the owner agency's tasks (protocols.selectors.tasks_for), conference actions among them;
- a closed meeting's minutes for the police (selectors.minutes_for; the PDF is not rendered);
- refreshing one agenda case's derived access (what every conference write does).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import concord_env  # noqa: E402

concord_env.configure()

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from national_reads import fmt, timed  # noqa: E402

from concord.access.derive import refresh_cases  # noqa: E402
from concord.accounts.models import Agency, Area, Membership  # noqa: E402
from concord.cases.models import Case  # noqa: E402
from concord.conferences import selectors  # noqa: E402
from concord.conferences.figures import figures  # noqa: E402
from concord.conferences.models import (  # noqa: E402
    AreaConferenceProfile,
    Attendance,
    ConferenceAction,
    ConferenceReferral,
    ConferenceSeries,
    Meeting,
    Research,
)
from concord.demo.partnership import AREA, EMAIL_DOMAIN  # noqa: E402
from concord.policy import Actor, meeting_access_for  # noqa: E402
from concord.protocols.selectors import tasks_for  # noqa: E402
from concord.risk.models import Task  # noqa: E402
from concord.risk.vocabularies import TaskKind  # noqa: E402

INVITED = ("Northshire IDVA Service", "Northshire Police", "Probation Service, Northshire",
           "Northshire Hospitals NHS Trust", "Northshire Council (Housing & Community Safety)",
           "Northshire Children's Services")


def actor(local_part: str) -> Actor:
    membership = (Membership.objects.select_related("user", "agency__area")
                  .get(user__email=f"{local_part}@{EMAIL_DOMAIN}"))
    return Actor(user=membership.user, membership=membership)


def setup(area: Area, *, meetings: int, per_meeting: int, waiting: int, seed: int) -> ConferenceSeries:
    rng = random.Random(seed)
    coordinator, chair = actor("marac"), actor("police-supervisor")
    agencies = {agency.name: agency for agency in Agency.objects.filter(area=area, name__in=INVITED)}
    series = ConferenceSeries.objects.create(area=area, name="Northshire MARAC (bench)",
                                             capacity=per_meeting, coordinating_agency=coordinator.agency)
    AreaConferenceProfile.objects.update_or_create(area=area, defaults={"adult_women": 1_400_000})
    now = timezone.now()
    total = meetings * per_meeting + waiting
    case_ids = list(Case.objects.filter(area=area, status="open")
                    .exclude(conference_referrals__status__in=["pending", "listed"])
                    .order_by("?").values_list("pk", flat=True)[:total])
    cases = {c.pk: c for c in Case.objects.filter(pk__in=case_ids).only("pk", "lead_agency_id", "opened_at")}
    leads = {m.agency_id: m.user_id for m in Membership.objects.filter(agency__area=area).order_by("pk")}
    started = time.perf_counter()
    at = 0
    for n in range(meetings, 0, -1):
        held_at = now - datetime.timedelta(days=14 * n - 7)
        with transaction.atomic():
            meeting = Meeting.objects.create(series=series, held_at=held_at, chair=chair.user,
                                             coordinator=coordinator.user,
                                             agenda_released_at=held_at - datetime.timedelta(days=5),
                                             closed_at=held_at + datetime.timedelta(hours=3))
            meeting.invited.set(agencies.values())
            Attendance.objects.bulk_create([Attendance(meeting=meeting, agency=agency, status="present",
                                                       recorded_by=chair.user) for agency in agencies.values()])
            referrals = []
            for position, case_id in enumerate(case_ids[at:at + per_meeting], start=1):
                case = cases[case_id]
                referrals.append(ConferenceReferral(
                    case=case, referred_by_id=leads.get(case.lead_agency_id, chair.user.pk),
                    referred_for_id=case.lead_agency_id,
                    referred_at=held_at - datetime.timedelta(days=rng.randint(8, 20)),
                    criteria=["visible_high"] + (["repeat"] if rng.random() < 0.3 else []), risk_level="high",
                    consent_basis="consent", she_knows="yes", status="discussed", meeting=meeting, position=position,
                    children_in_household=rng.choice((0, 0, 1, 2, 3)), discussion_summary="Discussed; actions agreed.",
                    discussed_at=held_at))
            at += per_meeting
            ConferenceReferral.objects.bulk_create(referrals, batch_size=500)
            Research.objects.bulk_create([
                Research(referral=r, agency=agencies[name], involvement="Known to us", recorded_by=chair.user)
                for r in referrals for name in INVITED[:2]], batch_size=1000)
            actions, tasks = [], []
            for r in referrals:
                for name in rng.sample(INVITED[1:], 2):
                    due = held_at + datetime.timedelta(days=14)
                    open_ = due > now or rng.random() < 0.05
                    actions.append(ConferenceAction(
                        referral=r, meeting=meeting, owner_agency=agencies[name], description="Bench action",
                        due_at=due, agreed_by=chair.user, agreed_at=held_at,
                        status="open" if open_ else "done",
                        closed_at=None if open_ else due + datetime.timedelta(days=rng.randint(-10, 4))))
            ConferenceAction.objects.bulk_create(actions, batch_size=1000)
            for action in actions:
                if action.status == "open":
                    tasks.append(Task(case_id=action.referral.case_id, kind=TaskKind.CONFERENCE_ACTION,
                                      owner_agency=action.owner_agency, due_at=action.due_at,
                                      escalate_at=action.due_at + datetime.timedelta(days=2),
                                      remind_at=action.due_at - datetime.timedelta(days=2),
                                      subject=action.subject, opened_at=held_at,
                                      opened_by_rule=f"conference:{meeting.pk}"))
            Task.objects.bulk_create(tasks, batch_size=1000, ignore_conflicts=False)
            refresh_cases([r.case_id for r in referrals])
        print(f"  meeting {meetings - n + 1}/{meetings}: {len(referrals)} cases, {len(actions)} actions "
              f"({time.perf_counter() - started:.0f} s)", flush=True)
    with transaction.atomic():
        pending = [ConferenceReferral(case=cases[case_id], referred_by_id=leads.get(cases[case_id].lead_agency_id,
                                                                                     chair.user.pk),
                                      referred_for_id=cases[case_id].lead_agency_id,
                                      referred_at=now - datetime.timedelta(days=rng.randint(1, 13)),
                                      criteria=["visible_high"], risk_level=rng.choice(("high", "medium")),
                                      consent_basis="consent", she_knows="yes")
                   for case_id in case_ids[at:at + waiting]]
        ConferenceReferral.objects.bulk_create(pending, batch_size=500)
        refresh_cases([r.case_id for r in pending])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # both databases know it
    print(f"  set up in {time.perf_counter() - started:.0f} s", flush=True)
    return series


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=26)
    parser.add_argument("--per-meeting", type=int, default=200)
    parser.add_argument("--waiting", type=int, default=400)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--budget", type=float, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    area = Area.objects.get(code=AREA["code"])
    cases = Case.objects.filter(area=area).count()
    series = ConferenceSeries.objects.filter(area=area, name="Northshire MARAC (bench)").first()
    if series is None:
        print(f"Setting up a year of conferences on {cases:,} cases …", flush=True)
        series = setup(area, meetings=args.meetings, per_meeting=args.per_meeting, waiting=args.waiting,
                       seed=args.seed)
    coordinator, police, probation = actor("marac"), actor("police"), actor("probation")
    meeting = Meeting.objects.filter(series=series, closed_at__isnull=False).order_by("-held_at").first()
    agenda_size = meeting.agenda.count()
    first = meeting.agenda.order_by("position").first()
    today = timezone.localdate()
    quarter_start = datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = quarter_start - datetime.timedelta(days=1)
    start = datetime.date(end.year, 3 * ((end.month - 1) // 3) + 1, 1)
    kw = {"runs": args.runs, "warmup": args.warmup, "budget": args.budget}
    rows = [
        (f"figures, {start} to {end}", timed(lambda: figures(area, start, end), **kw)),
        ("coordinator's waiting list", timed(lambda: selectors.waiting_held(coordinator, area), **kw)),
        (f"meeting access + agenda ({agenda_size} cases), police",
         timed(lambda: selectors.agenda_of(meeting_access_for(police, meeting)), **kw)),
        ("one agenda case's item, police",
         timed(lambda: selectors.item_of(first, meeting_access_for(police, meeting).items[first.pk]), **kw)),
        ("probation's tasks (25)", timed(lambda: tasks_for(probation, limit=25), **kw)),
        (f"minutes for the police ({agenda_size} cases)", timed(lambda: selectors.minutes_for(police, meeting),
                                                                 **kw)),
        ("refresh one agenda case's access", timed(lambda: refresh_cases([first.case_id]), **kw)),
    ]
    version = connection.vendor
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(",")[0]
    print(f"\n{cases:,} cases; {ConferenceReferral.objects.filter(case__area=area).count():,} conference referrals, "
          f"{ConferenceAction.objects.count():,} actions; {version}; load {os.getloadavg()[0]:.1f}")
    print("| read | p50 / p95 ms |\n|---|---|")
    for label, stats in rows:
        print(f"| {label} | {fmt(stats)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
