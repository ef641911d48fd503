"""Time the reads of a national caseload: name search, the home list and the case page, on a seeded database.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/concord_bench .venv/bin/python bench/national_reads.py
    … --runs 30 --duration 15 --connections 4 --query khan --skip-http

Acts as three demo accounts (concord.demo.partnership.DEMO_LOGINS: police, IDVA, probation), each an
Actor of their one membership, and measures, after warm-up, p50/p95 over --runs runs of:

(a) a name search as the search page pages it: `case_search(actor, query)` through the page's
    CappedPaginator (a count of at most 1,001 rows, then the first 25);
(b) a hand-written SQL query giving the same answer: people by name_key (and alias), then their
    cases, then the access rule; checked against (a) (count and the 25 ids). Written for the derived
    access table (access_agencyaccess) when it exists, else for the consent ledger itself, and
    labelled with which it used;
(c) the home list, paged the same way: `case_list(actor)`, capped count and the first 25 rows;
(c2) the home list filtered to high risk, and the agency's tasks due (the home page's task list);
(d) the case page (the first case of the actor's home list): SQL statements of one warm request and
    its in-process time (django.test.Client), then through gunicorn (`concord.wsgi`, 2 sync
    workers, production settings) one request at a time, and the rate under load with wrk
    (`apt-get install wrk`; a Python thread pool when it is missing) beside the login page's rate in
    the same run.

Everything runs with production settings (CONCORD_DEBUG off, like the server): the field keys are
the environment's or var/dev-keys.json's (bench/concord_env.py, the same as bench/seed_national.py
used), a throwaway secret key signs the sessions, CONCORD_SSL_REDIRECT=0 (plain HTTP on 127.0.0.1),
static files are collected into a temporary CONCORD_VAR_DIR, and the cache is the database table
(`createcachetable`) unless CACHE_URL is set.

Signing in: the script creates the sessions itself, as django.test.Client.force_login does, with the
markers concord.accounts.middleware expects of a session that passed the second factor (allauth's
"mfa" authentication record) and the acting membership. RequireMFAMiddleware also requires that the
account has a TOTP authenticator: the three demo accounts are given one if they have none (the only
change this script makes to the database, besides sessions, the cache table and the access-log
entries the case pages write).
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import concord_env  # noqa: E402

ROOT = concord_env.ROOT
ACCOUNTS = ("police", "idva", "probation")

TARGETS = {
    "search": "name search p95 < 100 ms and within 2x of the hand-written query",
    "home": "home list p95 < 100 ms",
    "page": "case page p95 < 80 ms through gunicorn, at >= 25% of the login page's rate",
}

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK_RESULT requests=%d duration_us=%d errors=%d non2xx3xx=%d p50=%d p95=%d p99=%d\\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""

# A list of pages for wrk: each of its threads starts at its own place in the list and walks on.
WRK_WALK = """
local threads = 0
setup = function(thread) thread:set("start", threads * 100003) threads = threads + 1 end
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[((start or 0) + counter) % #paths + 1])
end
"""
# Cases to walk for the rate of pages rendered afresh: more than a process keeps, and than a run asks for.
FRESH_CASES = 3000

# (b), against the derived access table: matching people, their cases, then the access rule.
HAND_SQL_DERIVED = """
WITH matched_people AS (
        SELECT p.id FROM people_person p WHERE p.area_id = %(area)s AND {person_words}
    UNION
        SELECT a.person_id FROM people_personalias a JOIN people_person p ON p.id = a.person_id
        WHERE p.area_id = %(area)s AND {alias_words}
), matched_cases AS (
        SELECT c.id FROM cases_case c WHERE c.survivor_id IN (SELECT id FROM matched_people)
    UNION
        SELECT cp.case_id FROM cases_caseparticipant cp WHERE cp.person_id IN (SELECT id FROM matched_people)
), visible AS (
    SELECT m.id FROM matched_cases m
    WHERE EXISTS (SELECT 1 FROM access_agencyaccess x
                  WHERE x.case_id = m.id AND x.agency_id = %(agency)s AND x.basis IN ('lead', 'consent', 'override')
                    AND x.valid_from <= %(now)s AND x.valid_until > %(now)s)
)
SELECT c.id, c.reference, c.status, c.updated_at, s.given_name, s.family_name, l.name, count(*) OVER ()
FROM cases_case c JOIN visible v ON v.id = c.id
JOIN people_person s ON s.id = c.survivor_id JOIN accounts_agency l ON l.id = c.lead_agency_id
WHERE (NOT c.is_restricted OR EXISTS (SELECT 1 FROM cases_restrictedcasemember r
                                      WHERE r.case_id = c.id AND r.user_id = %(user)s AND r.removed_at IS NULL))
  AND NOT EXISTS (SELECT 1 FROM cases_conflictofinterest k WHERE k.case_id = c.id AND k.user_id = %(user)s)
ORDER BY c.updated_at DESC, c.id DESC
LIMIT 25
"""

# (b) when there is no derived table: the same rule read from the ledger (lead; involved, with her latest
# agency- and sector-level sharing decisions in force; an override in force).
HAND_SQL_LEDGER = """
WITH matched_people AS (
        SELECT p.id FROM people_person p WHERE p.area_id = %(area)s AND {person_words}
    UNION
        SELECT a.person_id FROM people_personalias a JOIN people_person p ON p.id = a.person_id
        WHERE p.area_id = %(area)s AND {alias_words}
), matched_cases AS (
        SELECT c.id FROM cases_case c WHERE c.survivor_id IN (SELECT id FROM matched_people)
    UNION
        SELECT cp.case_id FROM cases_caseparticipant cp WHERE cp.person_id IN (SELECT id FROM matched_people)
), visible AS (
    SELECT c.id FROM matched_cases m JOIN cases_case c ON c.id = m.id
    LEFT JOIN LATERAL (SELECT d.id, d.decision, d.decided_at, d.expires_at FROM consent_consentdecision d
                       WHERE d.case_id = c.id AND d.scope = 'share_agency' AND d.agency_id = %(agency)s
                         AND d.decided_at <= %(now)s ORDER BY d.decided_at DESC, d.id DESC LIMIT 1) ag ON TRUE
    LEFT JOIN LATERAL (SELECT d.id, d.decision, d.decided_at, d.expires_at FROM consent_consentdecision d
                       WHERE d.case_id = c.id AND d.scope = 'share_sector' AND d.sector = %(sector)s
                         AND d.decided_at <= %(now)s ORDER BY d.decided_at DESC, d.id DESC LIMIT 1) se ON TRUE
    WHERE c.area_id = %(area)s AND (
        c.lead_agency_id = %(agency)s
        OR EXISTS (SELECT 1 FROM consent_override o WHERE o.case_id = c.id AND o.agency_id = %(agency)s
                   AND o.ended_at IS NULL AND o.starts_at <= %(now)s AND o.expires_at > %(now)s)
        OR (EXISTS (SELECT 1 FROM cases_caseagency ca WHERE ca.case_id = c.id AND ca.agency_id = %(agency)s
                    AND ca.ended_at IS NULL)
            AND ((ag.decision = 'given' AND (ag.expires_at IS NULL OR ag.expires_at > %(now)s)
                  AND (se.decision IS NULL OR se.decision = 'given' OR se.decided_at < ag.decided_at
                       OR (se.decided_at = ag.decided_at AND se.id < ag.id)))
                 OR (ag.decision IS NULL AND se.decision = 'given'
                     AND (se.expires_at IS NULL OR se.expires_at > %(now)s)))))
)
SELECT c.id, c.reference, c.status, c.updated_at, s.given_name, s.family_name, l.name, count(*) OVER ()
FROM cases_case c JOIN visible v ON v.id = c.id
JOIN people_person s ON s.id = c.survivor_id JOIN accounts_agency l ON l.id = c.lead_agency_id
WHERE (NOT c.is_restricted OR EXISTS (SELECT 1 FROM cases_restrictedcasemember r
                                      WHERE r.case_id = c.id AND r.user_id = %(user)s AND r.removed_at IS NULL))
  AND NOT EXISTS (SELECT 1 FROM cases_conflictofinterest k WHERE k.case_id = c.id AND k.user_id = %(user)s)
ORDER BY c.updated_at DESC, c.id DESC
LIMIT 25
"""


def summary(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    p95 = statistics.quantiles(ordered, n=20, method="inclusive")[18] if len(ordered) > 1 else ordered[0]
    return {"p50": statistics.median(ordered), "p95": p95, "min": ordered[0], "max": ordered[-1],
            "n": len(ordered)}


def timed(run, *, runs: int, warmup: int, budget: float) -> dict[str, float]:
    """p50/p95 of `runs` runs after `warmup`; fewer runs (at least 5) when they would take more than
    `budget` seconds, judged by the warm-up."""
    started = time.perf_counter()
    for _ in range(warmup):
        run()
    each = (time.perf_counter() - started) / max(warmup, 1)
    if each * runs > budget:
        runs = max(5, int(budget / max(each, 1e-9)))
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return summary(samples)


def fmt(stats: dict[str, float] | None) -> str:
    if not stats:
        return "–"
    runs = "" if stats["n"] >= 20 else f" (n={stats['n']})"
    return f"{stats['p50']:.1f} / {stats['p95']:.1f}{runs}"


# --- sessions ------------------------------------------------------------------------------------

def ensure_totp(user) -> bool:
    """RequireMFAMiddleware signs out a session of an account without TOTP: give the account one."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return False
    TOTP.activate(user, generate_totp_secret())
    return True


def signed_in_session(user, membership) -> str:
    """A session as after allauth's sign-in with password and TOTP, for the acting membership.

    The auth keys are those django.contrib.auth.login writes (as django.test.Client.force_login
    does); then the second-factor record concord.accounts.selectors.session_passed_mfa looks for and
    the markers of concord.accounts.middleware."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from concord.accounts import middleware, selectors

    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    now = time.time()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "allauth.account.auth_backends.AuthenticationBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[selectors.AUTHENTICATION_METHODS_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session[middleware.SESSION_STARTED] = now
    session[middleware.SESSION_LAST_SEEN] = now
    session[middleware.SESSION_MEMBERSHIP] = membership.pk
    session.save()
    return session.session_key


# --- HTTP ------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str, cookie: str | None = None) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wrk(port: int, path: str | list[str], cookie: str | None, *, duration: int, connections: int,
        script: Path) -> dict:
    """The rate of one page, or of a list of pages, each connection walking its own stretch of the list."""
    if isinstance(path, list):
        walk = script.with_name("walk.lua")
        paths = ", ".join(f'"{p}"' for p in path)
        walk.write_text(f"paths = {{{paths}}}\n" + WRK_WALK + script.read_text())
        script, path = walk, path[0]
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(script)]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,  # noqa: S603
                            check=True).stdout
    found = dict(re.findall(r"(\w+)=(\d+)", output.split("WRK_RESULT", 1)[1]))
    seconds = int(found["duration_us"]) / 1e6
    return {"rate": int(found["requests"]) / seconds, "requests": int(found["requests"]),
            "errors": int(found["errors"]) + int(found["non2xx3xx"]),
            "p50": int(found["p50"]) / 1000, "p95": int(found["p95"]) / 1000, "tool": "wrk"}


def thread_pool_load(port: int, path: str | list[str], cookie: str | None, *, duration: int,
                     connections: int) -> dict:
    """Without wrk: `connections` threads requesting the page (or walking the list) for `duration` seconds."""
    samples: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + duration
    paths = path if isinstance(path, list) else [path]
    turns = iter(range(10**9))

    def loop() -> None:
        while time.perf_counter() < stop:
            started = time.perf_counter()
            try:
                status, _body = get(port, paths[next(turns) % len(paths)], cookie)
            except OSError:
                status = 0
            with lock:
                samples.append((time.perf_counter() - started) * 1000)
                errors[0] += status != 200

    threads = [threading.Thread(target=loop) for _ in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats = summary(samples)
    return {"rate": len(samples) / (time.perf_counter() - started), "requests": len(samples), "errors": errors[0],
            "p50": stats["p50"], "p95": stats["p95"], "tool": "threads"}


class Gunicorn:
    def __init__(self, port: int, env: dict[str, str], *, worker_class: str = "sync", threads: int = 1):
        gunicorn = Path(sys.executable).parent / "gunicorn"
        command = [str(gunicorn), "concord.wsgi:application", "--workers", "2", "--worker-class", worker_class,
                   "--threads", str(threads), "--bind", f"127.0.0.1:{port}", "--log-level", "warning"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603
        self.port = port
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(port, "/accounts/login/")[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn exited at start")
            time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not answer /accounts/login/ within 60 s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- the run -------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--query", default="khan")
    parser.add_argument("--duration", type=int, default=15, help="seconds of load per page (15)")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections under load (4)")
    parser.add_argument("--budget", type=float, default=60,
                        help="seconds per measurement at most; slower reads get fewer runs (60)")
    parser.add_argument("--skip-http", action="store_true", help="only the in-process measurements")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"],
                        help="gunicorn's 2 workers: sync (one request at a time each) or gthread (--threads each)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker (4)")
    args = parser.parse_args()

    concord_env.configure()
    for name in ("CONCORD_DEBUG", "CONCORD_DEMO", "CONCORD_TESTING"):
        if os.environ.pop(name, None):
            print(f"note: {name} unset: measuring with production settings", file=sys.stderr)
    os.environ.setdefault("CONCORD_ALLOWED_HOSTS", "127.0.0.1")
    os.environ["CONCORD_SSL_REDIRECT"] = "0"
    var_dir = tempfile.mkdtemp(prefix="concord-national-reads-")
    os.environ["CONCORD_VAR_DIR"] = var_dir
    try:
        return run(args, var_dir)
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def run(args, var_dir: str) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from concord import policy
    from concord.accounts.models import Membership, User
    from concord.cases.models import Case
    from concord.cases.selectors import case_list, case_search, cases_listed
    from concord.demo.partnership import EMAIL_DOMAIN
    from concord.people.models import ContactPoint, name_key
    from concord.policy import cases_visible_to
    from concord.protocols.selectors import tasks_for
    from concord.web import case_page
    from concord.web.pagination import COUNT_CAP, PAGE_SIZE, CappedPaginator, paginate_counting_with_page

    if connection.vendor != "postgresql":
        print(f"DATABASE_URL points at {connection.vendor}; this benchmark is for PostgreSQL.", file=sys.stderr)
        return 2
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        print(f"The database lacks {len(pending)} migration(s) of this code ({pending[0][0]}, …): run "
              "CONCORD_DEBUG=1 DATABASE_URL=… .venv/bin/python manage.py migrate first.", file=sys.stderr)
        return 2
    load_at_start = os.getloadavg()
    cases = Case.objects.count()
    try:
        sample = ContactPoint.objects.first()
        keys_ok = sample is None or bool(sample.value)
    except RuntimeError:
        keys_ok = False
    if not keys_ok:
        print("The protected fields do not decrypt with these keys: give the keys the database was seeded "
              "with (CONCORD_FIELD_KEYS, CONCORD_BLIND_INDEX_KEY).", file=sys.stderr)
        return 2
    if not os.environ.get("CACHE_URL"):
        call_command("createcachetable", verbosity=0)
    # Production pages name their static files through the manifest: collect them (into the temporary
    # CONCORD_VAR_DIR) before the first page is rendered, here or in gunicorn.
    subprocess.run([sys.executable, str(ROOT / "manage.py"), "collectstatic", "--no-input", "-v", "0"],  # noqa: S603
                   cwd=ROOT, env=dict(os.environ), check=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version'), "
                       "pg_size_pretty(pg_database_size(current_database()))")
        pg_version, db_size = cursor.fetchone()
    tables = set(connection.introspection.table_names())
    derived = "access_agencyaccess" in tables
    hand_sql, hand_label = ((HAND_SQL_DERIVED, "derived access table") if derived
                            else (HAND_SQL_LEDGER, "consent ledger (no access_agencyaccess table)"))
    print(f"{cases:,} cases in {connection.settings_dict['NAME']} ({db_size}), PostgreSQL {pg_version}; "
          f"keys {concord_env.key_fingerprint()}; load average {load_at_start[0]:.1f}; "
          f"hand-written query reads the {hand_label}", flush=True)

    actors = []
    for local in ACCOUNTS:
        user = User.objects.get(email=f"{local}@{EMAIL_DOMAIN}")
        membership = (Membership.objects.select_related("user", "agency__area")
                      .filter(user=user, is_active=True).order_by("pk").first())
        actors.append((local, policy.Actor(user=user, membership=membership)))

    # Every word of the query in the name (as case_search asks), each a trigram-indexable LIKE.
    words = {f"w{i}": f"%{word}%" for i, word in enumerate(name_key(args.query).split())}
    sql = hand_sql.format(person_words=" AND ".join(f"p.name_key LIKE %({w})s" for w in words),
                          alias_words=" AND ".join(f"a.name_key LIKE %({w})s" for w in words))

    def measure(run):
        return timed(run, runs=args.runs, warmup=args.warmup, budget=args.budget)

    results: dict[str, dict] = {}
    for local, actor in actors:
        row: dict = {"agency": actor.agency.name}
        results[local] = row
        print(f"\n{local}: {actor.agency.name}", flush=True)

        def search(a=actor):
            # As the search page pages it: the first page's ids with their count in one statement, then
            # those 25 cases with what a row shows.
            page = paginate_counting_with_page(case_search(a, args.query), 1,
                                               rows_of=lambda ids: cases_listed(a, ids))
            return page.paginator.count, [c.pk for c in page.object_list]

        def hand(a=actor):
            params = {"area": a.area.pk, "agency": a.agency.pk, "user": a.user.pk, "now": timezone.now(),
                      "sector": a.agency.sector, **words}
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                fetched = cursor.fetchall()
            return (min(fetched[0][-1], COUNT_CAP) if fetched else 0), [r[0] for r in fetched]

        def home(a=actor):
            pages = CappedPaginator(case_list(a), PAGE_SIZE)
            return pages.count, [c.pk for c in pages.page(1).object_list]

        expected, by_hand = search(), hand()
        row["matches"] = expected[0]
        row["same_answer"] = expected == by_hand
        row["search"] = measure(search)
        print(f"  (a) case_search {args.query!r}: {expected[0]:,} cases; p50/p95 {fmt(row['search'])} ms", flush=True)
        row["hand"] = measure(hand)
        print(f"  (b) hand-written SQL ({hand_label}): {by_hand[0]:,} cases, "
              f"{'same answer' if row['same_answer'] else 'DIFFERENT ANSWER'}; p50/p95 {fmt(row['hand'])} ms",
              flush=True)
        visible, first_page = home()
        row["visible"] = visible
        row["home"] = measure(home)
        print(f"  (c) case_list: {visible:,} visible; p50/p95 {fmt(row['home'])} ms", flush=True)

        def high_risk(a=actor):
            # The home list filtered to a risk level (the level is kept beside each case).
            pages = CappedPaginator(case_list(a, risk="high"), PAGE_SIZE)
            return pages.count, [c.pk for c in pages.page(1).object_list]

        def tasks(a=actor):
            return [row.task.pk for row in tasks_for(a, limit=25)]

        row["high_visible"] = high_risk()[0]
        row["high_risk"] = measure(high_risk)
        row["tasks_due"] = len(tasks())
        row["tasks"] = measure(tasks)
        print(f"  (c2) case_list(risk='high'): {row['high_visible']:,}; p50/p95 {fmt(row['high_risk'])} ms; "
              f"tasks_due_for: {row['tasks_due']} listed; p50/p95 {fmt(row['tasks'])} ms", flush=True)

        case = Case.objects.get(pk=first_page[0])
        row["reference"] = case.reference
        row["url"] = reverse("web:case", args=[case.reference])
        row["cookie"] = f"{settings.SESSION_COOKIE_NAME}={signed_in_session(actor.user, actor.membership)}"
        if ensure_totp(actor.user):
            print(f"  gave {actor.user.email} a TOTP authenticator (RequireMFAMiddleware needs one)", flush=True)
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies[settings.SESSION_COOKIE_NAME] = row["cookie"].split("=", 1)[1]
        response = client.get(row["url"])
        if response.status_code != 200:
            print(f"  case page {row['url']} answered {response.status_code}: not signed in?", file=sys.stderr)
            return 1
        with CaptureQueriesContext(connection) as queries:
            client.get(row["url"])
        row["statements"] = len(queries.captured_queries)
        row["page_in_process"] = measure(lambda c=client, u=row["url"]: c.get(u))

        def rendered(c=client, u=row["url"]):  # not as kept: the body read and rendered afresh
            caches[case_page.CACHE].clear()
            return c.get(u)

        caches[case_page.CACHE].clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(row["url"])
        row["statements_rendered"] = len(queries.captured_queries)
        row["page_rendered"] = measure(rendered)
        print(f"  (d) case page {case.reference}: kept {row['statements']} SQL statements, in process p50/p95 "
              f"{fmt(row['page_in_process'])} ms; rendered {row['statements_rendered']} statements, "
              f"{fmt(row['page_rendered'])} ms", flush=True)
        # For the rate of pages rendered afresh through gunicorn: a different case for every request.
        row["fresh_urls"] = [reverse("web:case", args=[reference]) for reference in
                             cases_visible_to(actor).order_by("-pk").values_list("reference", flat=True)[:FRESH_CASES]]

    login_rates: list[dict] = []
    if not args.skip_http:
        env = dict(os.environ)
        script = Path(var_dir) / "report.lua"
        script.write_text(WRK_SCRIPT)
        load = ((lambda path, cookie: wrk(port, path, cookie, duration=args.duration,
                                          connections=args.connections, script=script))
                if shutil.which("wrk") else
                (lambda path, cookie: thread_pool_load(port, path, cookie, duration=args.duration,
                                                       connections=args.connections)))
        port = free_port()
        threads = args.threads if args.worker_class == "gthread" else 1
        server = Gunicorn(port, env, worker_class=args.worker_class, threads=threads)
        try:
            print(f"\ngunicorn: 2 {args.worker_class} workers" + (f" of {threads} threads" if threads > 1 else "")
                  + ", production settings", flush=True)
            for _ in range(10):  # both workers warm
                get(port, "/accounts/login/")
            login_rates.append(load("/accounts/login/", None))
            print(f"  login page: {login_rates[-1]['rate']:.1f}/s", flush=True)
            for local, _actor in actors:
                row = results[local]
                status, body = get(port, row["url"], row["cookie"])
                if status != 200 or row["reference"].encode() not in body:
                    print(f"  {local}: the case page answered {status} through gunicorn", file=sys.stderr)
                    return 1

                def one(r=row):
                    status, _body = get(port, r["url"], r["cookie"])
                    assert status == 200, status

                row["page_http"] = measure(one)
                row["page_load"] = load(row["url"], row["cookie"])
                row["page_load_fresh"] = load(row["fresh_urls"], row["cookie"])
                status, _body = get(port, row["url"], row["cookie"])
                row["still_signed_in"] = status == 200
                print(f"  {local}: one at a time p50/p95 {fmt(row['page_http'])} ms; under load "
                      f"{row['page_load']['rate']:.1f}/s, p50/p95 {row['page_load']['p50']:.0f}/"
                      f"{row['page_load']['p95']:.0f} ms, {row['page_load']['errors']} errors; a different case "
                      f"each time: {row['page_load_fresh']['rate']:.1f}/s, {row['page_load_fresh']['errors']} "
                      f"errors", flush=True)
            login_rates.append(load("/accounts/login/", None))
            print(f"  login page again: {login_rates[-1]['rate']:.1f}/s", flush=True)
        finally:
            server.stop()

    report(args, results, login_rates, cases=cases, db_size=db_size, pg_version=pg_version,
           hand_label=hand_label, load_at_start=load_at_start[0])
    return 0


def report(args, results, login_rates, *, cases, db_size, pg_version, hand_label, load_at_start) -> None:
    login = statistics.fmean(r["rate"] for r in login_rates) if login_rates else None
    tool = login_rates[0]["tool"] if login_rates else "–"
    print()
    print(f"{datetime.date.today()}, {os.cpu_count()} cores, PostgreSQL {pg_version}, Python "
          f"{platform.python_version()}; {cases:,} cases ({db_size}); load average {load_at_start:.1f} at start, "
          f"{os.getloadavg()[0]:.1f} at the end; {args.runs} runs after {args.warmup} warm-up; query "
          f"{args.query!r}; hand-written query on the {hand_label}")
    if login:
        print(f"login page: {' then '.join(f'{r['rate']:.0f}' for r in login_rates)} pages/s ({tool}, "
              f"{args.connections} connections, {args.duration} s each)")
    print()
    print("p50 / p95 in ms | " + " | ".join(results))
    print("|---|" + "---|" * len(results))
    lines = [
        ("agency", lambda r: r["agency"]),
        (f"(a) name search {args.query!r}: count + first 25", lambda r: fmt(r["search"])),
        ("matches", lambda r: f"{r['matches']:,}"),
        ("(b) hand-written SQL (same answer?)",
         lambda r: f"{fmt(r['hand'])} ({'same' if r['same_answer'] else 'DIFFERENT'})"),
        ("(a) / (b) at p50", lambda r: f"{r['search']['p50'] / r['hand']['p50']:.1f}x"),
        ("(c) home list: count + first 25", lambda r: fmt(r["home"])),
        ("visible cases", lambda r: f"{r['visible']:,}"),
        ("(d) case page, kept: SQL statements", lambda r: str(r["statements"])),
        ("(d) case page, kept, in process", lambda r: fmt(r["page_in_process"])),
        ("(d) case page, rendered: SQL statements", lambda r: str(r["statements_rendered"])),
        ("(d) case page, rendered, in process", lambda r: fmt(r["page_rendered"])),
    ]
    if login:
        lines += [
            ("(d) case page via gunicorn, one at a time (kept)", lambda r: fmt(r.get("page_http"))),
            ("(d) case page via gunicorn under load (kept): pages/s",
             lambda r: f"{r['page_load']['rate']:.1f} ({100 * r['page_load']['rate'] / login:.0f}% of login)"),
            ("(d) … latency under load", lambda r: f"{r['page_load']['p50']:.0f} / {r['page_load']['p95']:.0f}"),
            ("(d) … errors", lambda r: str(r["page_load"]["errors"])),
            (f"(d) a different case each request (of {FRESH_CASES:,}, rendered): pages/s",
             lambda r: f"{r['page_load_fresh']['rate']:.1f} ({100 * r['page_load_fresh']['rate'] / login:.0f}% "
                       "of login)"),
            ("(d) … latency under load", lambda r: f"{r['page_load_fresh']['p50']:.0f} / "
                                                   f"{r['page_load_fresh']['p95']:.0f}"),
        ]
    for label, value in lines:
        print(f"| {label} | " + " | ".join(value(r) for r in results.values()) + " |")
    print()
    print("targets: " + "; ".join(TARGETS.values()))


if __name__ == "__main__":
    raise SystemExit(main())
