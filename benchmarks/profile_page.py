"""Where one request spends its time: cProfile of a page (or an autosave) in-process, on the demo data.

    .venv/bin/python benchmarks/profile_page.py [--user am.coordinator] [--repeat 50] [--sort tottime]
                                                [--database-url URL] PATH [PATH ...]
    .venv/bin/python benchmarks/profile_page.py --save    # autosave of one answer, repeatedly

Prepares the demo database as benchmarks/pages.py does (PATH may name assessments as {AM-2026}),
warms each page up once, then profiles --repeat requests through Flask's test client and prints
the milliseconds per request and the functions that take the most time, and the number of SQL
statements per request.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.pages import PASSWORD, Database, prepare, read_fixture  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=["/assessments/{AM-2026}/section/legal"])
    parser.add_argument("--user", default="am.coordinator")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--save", action="store_true", help="profile autosave instead of pages")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    import sqlalchemy as sa

    from app import create_app
    from app.extensions import db
    from config import DevelopmentConfig

    database = Database(args.database_url)
    try:
        prepare(database.url)
        fixture = read_fixture(database.url)
        app = create_app(type("Bench", (DevelopmentConfig,), {"SQLALCHEMY_DATABASE_URI": database.url,
                                                             "WTF_CSRF_ENABLED": False}))
        client = app.test_client()
        client.post("/login", data={"email": f"{args.user}@demo.example", "password": PASSWORD})
        statements = [0]
        with app.app_context():
            sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.__setitem__(0, statements[0] + 1))
        requests = _save_requests(client, fixture) if args.save else _page_requests(client, args.paths, fixture)
        for name, send in requests:
            send()
            statements[0] = 0
            profiler = cProfile.Profile(time.thread_time)  # CPU time: a busy neighbour does not count
            started = time.thread_time()
            profiler.enable()
            for _ in range(args.repeat):
                send()
            profiler.disable()
            elapsed = (time.thread_time() - started) / args.repeat
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
            print(f"\n=== {name}: {1000 * elapsed:.1f} ms of CPU per request under the profiler, "
                  f"{statements[0] / args.repeat:.1f} SQL statements per request")
            print("\n".join(out.getvalue().splitlines()[6:]))
            _phases(pstats.Stats(profiler), args.repeat)
    finally:
        database.close()


#: where a request's time goes, by the functions that mark each phase (file suffix, function name)
PHASES = (
    ("whole request (Flask wsgi_app)", "flask/app.py", "wsgi_app"),
    ("before the view: session, user, guards", "flask/app.py", "preprocess_request"),
    ("session cookie and server-side session", "app/services/sessions.py", "resume"),
    ("user loaded for the request", "app/services/accounts.py", "load_user"),
    ("the view", "flask/app.py", "dispatch_request"),
    ("templates rendered", "flask/templating.py", "_render"),
    ("base layout (navigation, bell, menus) with the page inside", "templates/base.html", "root"),
    ("section page: the question cards", "templates/assessments/_question.html", "macro"),
    ("review page: the questions", "templates/review/assessment.html", "block_content"),
    ("dashboard page body", "templates/dashboard/_layout.html", "block_content"),
    ("notifications bell count", "app/services/notifications.py", "unread_count"),
    ("SQL statements executed (ORM)", "sqlalchemy/orm/session.py", "_execute_internal"),
    ("scoring engine", "scoring/engine.py", "score"),
    ("URL building", "app/urls.py", "url_for"),
    ("after the view: headers, session save", "flask/app.py", "process_response"),
)


def _phases(stats: pstats.Stats, repeat: int) -> None:
    """Cumulative milliseconds per request (under the profiler) of the functions in PHASES."""
    found = {}
    for (filename, _line, name), (_cc, _nc, _tt, cumulative, _callers) in stats.stats.items():
        for label, suffix, function in PHASES:
            if name == function and filename.endswith(suffix):
                found[label] = max(found.get(label, 0.0), cumulative)
    whole = found.get(PHASES[0][0]) or 1.0
    print("phase (cumulative, under the profiler; phases nest)        ms/request   share")
    for label, _suffix, _function in PHASES:
        if label in found:
            print(f"  {label:<58} {1000 * found[label] / repeat:8.2f}   {100 * found[label] / whole:5.1f} %")


def _page_requests(client, paths, fixture):
    def getter(path):
        def send():
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        return send
    return [(p, getter(p.format(**fixture.ids))) for p in paths]


def _save_requests(client, fixture):
    target = next(t for t in fixture.save_targets if t["country"] == "AM")
    url = f"/assessments/{target['assessment']}/answers/{target['key']}"

    def send():  # every save changes the answer (one that changes nothing stores and scores nothing)
        value = next(v for v in target["values"] if v != target.get("current"))
        response = client.post(url, json={"base_revision": target["revision"], "value": value})
        assert response.status_code == 200, response.get_data(as_text=True)
        target["revision"], target["current"] = response.get_json()["answer"]["revision"], value
    return [(f"autosave {url}", send)]


if __name__ == "__main__":
    main()
