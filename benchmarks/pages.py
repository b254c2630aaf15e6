"""Pages and autosave against bare Flask, measured in one run on the same gunicorn settings.

    .venv/bin/python benchmarks/pages.py [--database-url URL] [--scenario closed|think|transfer|all]
                                         [--duration 10] [--connections 50] [--workers 2] [--threads 2]

Prepares a fresh database with the demo data (as `make run` does): a temporary SQLite file by
default, or a new throw-away database on the PostgreSQL server that --database-url names (dropped
at the end). Starts two gunicorn servers with the same settings on that database: the product
(wsgi:app) and the anchor (benchmarks/anchor_app.py: bare Flask + Flask-SQLAlchemy, one query of
15 rows rendered by Jinja, and a load-check-update-commit JSON save).

Scenarios:

- closed: closed loop, --connections connections, no think time, --duration seconds per request
  kind (wrk where installed, a Python generator otherwise). Every main page is compared with the
  anchor's read-and-render page and autosave with the anchor's save; prints throughput,
  p50/p95/p99 and the ratio with its target (issue 16: pages >= 40 %, autosave >= 50 %,
  p95 <= 150 ms).
- think: --users simulated officials pausing a random 0..2x --think seconds between pages, as
  people reading a page would; prints p50/p95/p99 per page.
- cpu: CPU time per request in-process (thread CPU time, Flask's test client), product against
  anchor: the same ratios without the HTTP layer, and steady on a machine shared with others.
- transfer: Chromium (Playwright) opens the comparison dashboard twice in one browser profile and
  prints the bytes transferred on the first and the repeat load (targets 1.6 MB and 50 kB).

The load generator runs on the same cores as the servers, and on a shared machine the absolute
figures move with the neighbours' load; the ratios, measured minutes apart in one run, are the
figures to compare.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import loadgen  # noqa: E402
from benchmarks.common import seed_demo  # noqa: E402

PASSWORD = "Demo-Customs-2026!"
PAGE_TARGET, SAVE_TARGET, P95_TARGET = 0.40, 0.50, 0.150
FIRST_LOAD_TARGET, REPEAT_LOAD_TARGET = 1_600_000, 50_000


# ---- the database ----------------------------------------------------------------------------

def prepare(database: str) -> None:
    """Migrate and fill the database and build the compressed static files, as `make setup` does."""
    from app import assets, create_app
    from config import DevelopmentConfig

    config = type("Bench", (DevelopmentConfig,), {"SQLALCHEMY_DATABASE_URI": database})
    app = create_app(config)
    assets.compress(app)  # as `make install` does; nothing to do when the copies are up to date
    seed_demo(app)


class Database:
    """A temporary SQLite file, or a throw-away database on the PostgreSQL server of the URL."""

    def __init__(self, url: str | None):
        import sqlalchemy as sa

        self._tmp = tempfile.mkdtemp(prefix="bench-pages-")
        self._server = None
        if not url or url.startswith("sqlite"):
            self.url = f"sqlite:///{self._tmp}/bench.sqlite3"
            return
        self._server = sa.make_url(url)
        self._name = f"bench_pages_{uuid.uuid4().hex[:10]}"
        self._admin = sa.create_engine(self._server, isolation_level="AUTOCOMMIT")
        with self._admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{self._name}"'))
        self.url = self._server.set(database=self._name).render_as_string(hide_password=False)

    def close(self) -> None:
        import sqlalchemy as sa

        if self._server is not None:
            with self._admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{self._name}" WITH (FORCE)'))
            self._admin.dispose()
        shutil.rmtree(self._tmp, ignore_errors=True)


# ---- the servers -----------------------------------------------------------------------------

def start_server(app: str, database: str, port: int, workers: int, threads: int, cwd: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database, "APP_ENV": "development", "RATELIMIT_STORAGE_URI": "memory://",
           "LOGIN_RATE_LIMIT": "100000 per minute", "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "--workers", str(workers), "--threads",
                               str(threads), "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app],
                              cwd=cwd, env=env)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return server
        except urllib.error.HTTPError:
            return server  # it answers (404 or a redirect to the login page)
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"gunicorn {app} did not start")


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()


# ---- what is requested -----------------------------------------------------------------------

@dataclass
class Fixture:
    """Ids and sessions the scenarios use, read from the prepared database."""

    ids: dict[str, int]  # "AM-2026" -> assessment id
    save_targets: list[dict]  # answers the save scenarios change: id, assessment, key, revision, values

    def assessment(self, country: str, cycle: str = "2026") -> int:
        return self.ids[f"{country}-{cycle}"]


def read_fixture(database: str) -> Fixture:
    """Assessment ids, and for the save scenarios the answers of editable assessments to option questions
    without a skip rule (so that every save is valid and stays visible)."""
    import sqlalchemy as sa

    from app import create_app
    from app.extensions import db
    from app.models import Answer, Assessment
    from app.services.questionnaires import parsed
    from config import DevelopmentConfig

    app = create_app(type("Bench", (DevelopmentConfig,), {"SQLALCHEMY_DATABASE_URI": database}))
    with app.app_context():
        assessments = db.session.scalars(sa.select(Assessment)).all()
        ids = {f"{a.country_code}-{a.cycle}": a.id for a in assessments}
        targets = {}
        for a in assessments:
            if a.status not in ("draft", "returned"):
                continue
            questionnaire = parsed(a.questionnaire_version)
            for answer in db.session.scalars(sa.select(Answer).where(Answer.assessment_id == a.id)
                                             .order_by(Answer.id)):
                question = questionnaire.question(answer.question_key)
                if question.options and question.show_if is None and not answer.not_applicable:
                    # one answer per question key: the save's JSON names the answer by its key
                    targets.setdefault(answer.question_key, {
                        "id": answer.id, "assessment": a.id, "country": a.country_code, "key": answer.question_key,
                        "revision": answer.revision, "values": [o.value for o in question.options[:2]]})
        db.engine.dispose()
    return Fixture(ids, list(targets.values()))


def current_revisions(database: str, targets: list[dict]) -> None:
    """Refresh the targets' revisions once the previous save run has drained (requests that were in
    flight when the load generator stopped still commit), and order each target's two values so that
    the value sent with a revision (values[revision % 2]) always differs from the stored one: a save
    that changes nothing keeps its revision (it stores nothing), and the next save would conflict."""
    import sqlalchemy as sa

    engine = sa.create_engine(database)
    previous = None
    for _ in range(40):
        with engine.connect() as conn:
            stored = {i: (rev, value) for i, rev, value in conn.execute(
                sa.text("SELECT id, revision, value FROM answer")).all()}
        if stored == previous:
            break
        previous = stored
        time.sleep(0.5)
    engine.dispose()
    for target in targets:
        target["revision"], value = stored[target["id"]]
        first, second = target["values"][:2]
        target["values"] = [first, second] if (first != value) == (target["revision"] % 2 == 0) else [second, first]


def login(base: str, email: str) -> loadgen.Session:
    """A logged-in session of the product: its cookie header and CSRF token."""
    import http.cookiejar
    import re

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", loadgen.USER_AGENT)]  # the agent of the load that follows
    page = opener.open(f"{base}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"email": email, "password": PASSWORD, "csrf_token": token}).encode()
    opener.open(f"{base}/login", data=data).read()
    page = opener.open(f"{base}/").read().decode()
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return loadgen.Session(cookie, csrf)


# ---- closed loop -----------------------------------------------------------------------------

PAGES = (  # name, who, path (format fields: assessment ids), target ratio against the anchor page
    # the floor under every page: the health check (its statements, a JSON answer) anonymous, then with a
    # logged-in session (session cookie, user and session row, CSRF, language, headers): the difference
    # is what logging in costs every request before any page is built
    ("health check, anonymous (/healthz)", None, "/healthz", None),
    ("health check, logged in (/healthz)", "am.coordinator", "/healthz", None),
    ("home", "am.coordinator", "/", None),
    ("assessments list", "am.coordinator", "/assessments/", None),
    ("assessment overview", "am.coordinator", "/assessments/{AM-2026}", None),
    ("section", "am.coordinator", "/assessments/{AM-2026}/section/legal", PAGE_TARGET),
    ("review", "analyst", "/review/{KZ-2026}", PAGE_TARGET),
    ("country profile", "analyst", "/dashboard/country/AM", PAGE_TARGET),
    ("comparison dashboard", "analyst", "/dashboard/", PAGE_TARGET),
)


def closed_loop(app_base: str, anchor_base: str, database: str, fixture: Fixture, args) -> list[tuple]:
    """Measure, round after round, the anchor page, every page, the anchor save and autosave.

    Each ratio is taken within one round (against the mean of the anchor measured just before and just
    after the pages), so a neighbour's load that comes and goes moves both sides; the report shows the
    median over the rounds. Rows: (name, [Result per round], [anchor rate per round] or None, target).
    """
    sessions = {}

    def session(who: str | None) -> loadgen.Session | None:
        if who is None:
            return None
        if who not in sessions:
            sessions[who] = login(app_base, f"{who}@demo.example")
        return sessions[who]

    run = loadgen.runner(args.connections, args.duration, force_python=args.python_generator)
    anchor_url = f"{anchor_base}/read/{fixture.assessment('AM')}"
    targets = fixture.save_targets
    by_country = {t["country"]: session(f"{t['country'].lower()}.coordinator") for t in targets}
    results: dict[str, list] = {}
    anchor_rates: dict[str, list[float]] = {"page": [], "save": []}
    for _round in range(args.rounds):
        before = run.get(anchor_url, None, "anchor read-and-render")
        for name, who, path, _target in PAGES:
            results.setdefault(name, []).append(run.get(app_base + path.format(**fixture.ids), session(who), name))
        after = run.get(anchor_url, None, "anchor read-and-render")
        results.setdefault("anchor page", []).extend([before, after])
        anchor_rates["page"].append((before.rate + after.rate) / 2)
        current_revisions(database, targets)
        anchor_save = run.save(targets, lambda t: f"{anchor_base}/save/{t['id']}", None, "anchor save",
                               field="comment", values=["saved by the anchor", "saved again by the anchor"],
                               key_field="id")
        current_revisions(database, targets)
        autosave = run.save(targets, lambda t: f"{app_base}/assessments/{t['assessment']}/answers/{t['key']}",
                            by_country, "autosave", field="value")
        results.setdefault("anchor save", []).append(anchor_save)
        results.setdefault("autosave", []).append(autosave)
        anchor_rates["save"].append(anchor_save.rate)
    rows = [("anchor: read and render (15 rows, Jinja)", results["anchor page"], None, None)]
    rows += [(name, results[name], anchor_rates["page"], target) for name, _who, _path, target in PAGES]
    rows.append(("anchor: load, check revision, update, commit", results["anchor save"], None, None))
    rows.append(("autosave", results["autosave"], anchor_rates["save"], SAVE_TARGET))
    return rows


def report_closed(rows: list[tuple], args, generator: str) -> bool:
    print(f"\nClosed loop: {args.connections} connections, no think time, {args.duration:g} s per measurement, "
          f"{args.rounds} rounds, gunicorn {args.workers} workers x {args.threads} threads, load generator: "
          f"{generator}. Figures are medians over the rounds; the ratio is taken within each round.")
    print(f"{'request':<46}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}{'ratio':>8}"
          f"{'rounds':>12}{'target':>8}  verdict")
    ok = True
    median = statistics.median
    for name, results, anchor_rates, target in rows:
        rate, p50, p95, p99 = (median(getattr(r, f) for r in results) for f in ("rate", "p50", "p95", "p99"))
        errors = sum(r.errors for r in results)
        ratios = [r.rate / a for r, a in zip(results, anchor_rates)] if anchor_rates else []
        ratio = median(ratios) if ratios else None
        spread = f"{100 * min(ratios):.0f}-{100 * max(ratios):.0f} %" if ratios else ""
        verdict = ""
        if anchor_rates:
            good = (target is None or ratio >= target) and p95 <= P95_TARGET and not errors
            verdict = "ok" if good else "BELOW TARGET"
            ok = ok and good
        print(f"{name:<46}{rate:>8.0f}{1000 * p50:>9.1f}{1000 * p95:>9.1f}{1000 * p99:>9.1f}{errors:>8}"
              f"{'' if ratio is None else f'{100 * ratio:.0f} %':>8}{spread:>12}"
              f"{'' if target is None else f'{100 * target:.0f} %':>8}  {verdict}")
    for name, results, _anchor_rates, _target in rows:
        kinds: dict[str, int] = {}
        for result in results:
            for kind, count in result.error_kinds.items():
                kinds[kind] = kinds.get(kind, 0) + count
        if kinds:
            print(f"  errors of {name}: " + ", ".join(f"{count} x {kind}" for kind, count in sorted(kinds.items())))
    print(f"(targets: pages {100 * PAGE_TARGET:.0f} % of the anchor page, autosave {100 * SAVE_TARGET:.0f} % of the "
          f"anchor save, every page p95 <= {1000 * P95_TARGET:.0f} ms; errors = non-2xx or failed requests; rounds = "
          f"the lowest and highest ratio of the rounds: a wide range means the machine's load moved, and the "
          f"in-process scenario (cpu) is the steadier figure)")
    return ok


# ---- CPU time per request -----------------------------------------------------------------------

def cpu_ratios(database: str, fixture: Fixture, repeat: int) -> bool:
    """CPU seconds per request in-process (Flask test client, no HTTP server), product against anchor.

    thread_time counts only this thread's CPU, so the ratio holds on a machine whose neighbours come and
    go; it is the capacity-per-core ratio the closed loop measures, without the servers' and the load
    generator's own costs (which are the same for both sides).
    """
    import time

    from app import create_app
    from config import DevelopmentConfig

    app = create_app(type("Bench", (DevelopmentConfig,), {"SQLALCHEMY_DATABASE_URI": database,
                                                         "WTF_CSRF_ENABLED": False}))
    os.environ["DATABASE_URL"] = database
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import anchor_app

    anchor = anchor_app.create_app().test_client()
    clients = {}

    def client(who):
        if who not in clients:
            clients[who] = app.test_client()
            if who is not None:
                clients[who].post("/login", data={"email": f"{who}@demo.example", "password": PASSWORD})
        return clients[who]

    def cpu(send, n) -> float:
        send()
        best = []
        for _ in range(5):
            started = time.thread_time()
            for _ in range(n):
                send()
            best.append((time.thread_time() - started) / n)
        return min(best)

    def getter(c, url):
        def send():
            response = c.get(url)
            assert response.status_code == 200, (url, response.status_code)
        return send

    page_anchor = cpu(getter(anchor, f"/read/{fixture.assessment('AM')}"), 10 * repeat)
    print(f"\nCPU time per request in-process (best of 5 x {repeat} requests, thread CPU time):")
    print(f"{'request':<46}{'CPU ms':>8}{'ratio':>8}{'target':>8}")
    print(f"{'anchor: read and render (15 rows, Jinja)':<46}{1000 * page_anchor:>8.2f}")
    ok = []
    for name, who, path, target in PAGES:
        ms = cpu(getter(client(who), path.format(**fixture.ids)), repeat)
        ok.append(target is None or page_anchor / ms >= target)
        print(f"{name:<46}{1000 * ms:>8.2f}{f'{100 * page_anchor / ms:.0f} %':>8}"
              f"{'' if target is None else f'{100 * target:.0f} %':>8}")
    current_revisions(database, fixture.save_targets)
    target = next(t for t in fixture.save_targets if t["country"] == "AM")
    saver = client("am.coordinator")

    def save():  # every save changes the answer (one that changes nothing stores and scores nothing)
        current = target.get("current")
        value = next(v for v in target["values"] if v != current)
        response = saver.post(f"/assessments/{target['assessment']}/answers/{target['key']}",
                              json={"base_revision": target["revision"], "value": value})
        assert response.status_code == 200, response.get_data(as_text=True)
        answer = response.get_json()["answer"]
        assert answer["value"] == value, answer
        target["revision"], target["current"] = answer["revision"], value

    def anchor_save():
        response = anchor.post(f"/save/{target['id']}", json={"base_revision": target["revision"], "comment": "x"})
        assert response.status_code == 200
        target["revision"] = response.get_json()["revision"]

    save_anchor = cpu(anchor_save, 2 * repeat)
    autosave = cpu(save, repeat)
    print(f"{'anchor: load, check revision, update, commit':<46}{1000 * save_anchor:>8.2f}")
    print(f"{'autosave':<46}{1000 * autosave:>8.2f}{f'{100 * save_anchor / autosave:.0f} %':>8}"
          f"{f'{100 * SAVE_TARGET:.0f} %':>8}")
    return all(ok) and save_anchor / autosave >= SAVE_TARGET


# ---- think time ------------------------------------------------------------------------------

def think_time(app_base: str, fixture: Fixture, args) -> None:
    """Officials reading at a human pace: each user pauses between pages."""
    users = [f"{c}.{r}" for c in ("am", "by", "kz", "kg", "ru") for r in ("coordinator", "respondent")]
    users.append("analyst")
    sessions = {u: login(app_base, f"{u}@demo.example") for u in users}

    def pages_of(user: str) -> list[str]:
        code = user[:2].upper() if user != "analyst" else "KZ"
        own = fixture.assessment(code)
        return ["/", "/assessments/", f"/assessments/{own}", f"/assessments/{own}/section/legal",
                "/dashboard/", "/dashboard/country/AM"]

    plan = [(sessions[users[i % len(users)]], [app_base + p for p in pages_of(users[i % len(users)])])
            for i in range(args.users)]
    timings, wall = loadgen.think_loop(plan, args.requests, args.think)
    print(f"\nThink time: {args.users} users, {args.requests} pages each, pause 0..{2 * args.think:g} s "
          "between pages")
    print(f"{'page':<34}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    every = []
    for name, values in sorted(timings.items()):
        every += values
        print(f"{name:<34}{len(values):>6}{1000 * loadgen.percentile(values, 50):>9.1f}"
              f"{1000 * loadgen.percentile(values, 95):>9.1f}{1000 * loadgen.percentile(values, 99):>9.1f}")
    print(f"{'all':<34}{len(every):>6}{1000 * loadgen.percentile(every, 50):>9.1f}"
          f"{1000 * loadgen.percentile(every, 95):>9.1f}{1000 * loadgen.percentile(every, 99):>9.1f}")
    print(f"{len(every)} requests in {wall:.1f} s (think time included)")


# ---- transfer --------------------------------------------------------------------------------

def transfer(app_base: str) -> bool:
    from benchmarks.transfer_size import dashboard_transfer

    first, repeat = dashboard_transfer(app_base, "analyst@demo.example", PASSWORD)
    print("\nTransfer of the comparison dashboard (Chromium, bytes received incl. headers):")
    ok = True
    for name, load, target in (("first load", first, FIRST_LOAD_TARGET), ("repeat load", repeat, REPEAT_LOAD_TARGET)):
        good = load.total <= target
        ok = ok and good
        print(f"  {name:<12}{load.total:>12,} bytes in {load.requests} responses "
              f"(target <= {target:,}): {'ok' if good else 'ABOVE TARGET'}")
        for url, size in load.largest(4):
            print(f"      {size:>10,}  {url}")
    return ok


# ---- main ------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None,
                        help="sqlite (default: a temporary file) or a PostgreSQL server URL (a throw-away "
                             "database is created on it)")
    parser.add_argument("--scenario", choices=("closed", "cpu", "think", "transfer", "all"), default="all")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=float, default=4.0, help="seconds per measurement (closed loop)")
    parser.add_argument("--rounds", type=int, default=3, help="closed loop: every measurement this many times")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=12, help="pages per user (think time)")
    parser.add_argument("--think", type=float, default=3.0)
    parser.add_argument("--cpu-requests", type=int, default=20, help="cpu: requests per timing")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=5057, help="the product; the anchor uses the next port")
    parser.add_argument("--python-generator", action="store_true", help="use the Python generator even if wrk "
                                                                        "is installed")
    args = parser.parse_args()
    database = Database(args.database_url)
    servers = []
    try:
        print(f"database: {database.url.split('@')[-1]}")
        prepare(database.url)
        fixture = read_fixture(database.url)
        app_base, anchor_base = f"http://127.0.0.1:{args.port}", f"http://127.0.0.1:{args.port + 1}"
        servers.append(start_server("wsgi:app", database.url, args.port, args.workers, args.threads, ROOT))
        servers.append(start_server("anchor_app:app", database.url, args.port + 1, args.workers, args.threads,
                                    ROOT / "benchmarks"))
        ok = True
        if args.scenario in ("closed", "all"):
            rows = closed_loop(app_base, anchor_base, database.url, fixture, args)
            generator = "Python" if args.python_generator or not shutil.which("wrk") else "wrk"
            ok = report_closed(rows, args, generator) and ok
        if args.scenario in ("cpu", "all"):
            ok = cpu_ratios(database.url, fixture, args.cpu_requests) and ok
        if args.scenario in ("transfer", "all"):
            ok = transfer(app_base) and ok
        if args.scenario in ("think", "all"):
            think_time(app_base, fixture, args)
        if args.scenario != "think":
            print("\nevery target met" if ok else "\nsome targets are not met (see above)")
    finally:
        for server in servers:
            stop(server)
        database.close()


if __name__ == "__main__":
    main()
