"""Page latency under concurrent users: gunicorn serving the demo database, N client threads.

    .venv/bin/python benchmarks/pages.py [--users 50] [--requests 20] [--think 3.0] [--workers 2] [--threads 2]

Prepares a fresh SQLite database with the demo data (as `make run` does), starts gunicorn on
127.0.0.1, logs every simulated user in (not timed: argon2 is slow on purpose), then each user
requests a mix of pages, pausing a random 0..2x `--think` seconds between requests as a person
reading the page would (--think 0 is a stress test, not a model of officials). Prints p50/p95/p99 latency per page and overall, and throughput.
The clients run on the same 2 cores as the server, so the figures are pessimistic.
"""
import argparse
import glob
import http.cookiejar
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "Demo-Customs-2026!"
USERS = [f"{c}.{r}@demo.example" for c in ("am", "by", "kz", "kg", "ru") for r in ("coordinator", "respondent")]
USERS += ["analyst@demo.example"]


def prepare(database: str) -> None:
    from flask_migrate import upgrade

    from app import create_app
    from app.services import countries, demo, questionnaires
    from config import DevelopmentConfig

    config = type("Bench", (DevelopmentConfig,), {"SQLALCHEMY_DATABASE_URI": database})
    app = create_app(config)
    with app.app_context():
        upgrade()
        countries.sync_countries()
        demo.seed_accounts()
        questionnaires.load_paths(sorted(glob.glob(str(ROOT / "questionnaires/*/*.yaml"))))
        demo.seed_assessments()


def start_server(database: str, port: int, workers: int, threads: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database, "APP_ENV": "development", "RATELIMIT_STORAGE_URI": "memory://",
           "LOGIN_RATE_LIMIT": "100000 per minute"}
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "--workers", str(workers), "--threads",
                               str(threads), "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
                              cwd=ROOT, env=env)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


class Client:
    def __init__(self, base: str, email: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = self.opener.open(f"{base}/login").read().decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"email": email, "password": PASSWORD, "csrf_token": token}).encode()
        self.opener.open(f"{base}/login", data=data).read()

    def get(self, path: str) -> float:
        started = time.perf_counter()
        with self.opener.open(self.base + path) as response:
            response.read()
            assert response.status == 200, (path, response.status)
        return time.perf_counter() - started


def pages_for(email: str) -> list[str]:
    own = {"am": 3, "by": 6, "kz": 9, "kg": 12, "ru": 15}.get(email[:2], 9)
    return ["/", "/assessments/", f"/assessments/{own}", f"/assessments/{own}/section/legal", "/dashboard/"]


def run(base: str, users: int, requests: int, think: float) -> dict[str, list[float]]:
    clients = [Client(base, USERS[i % len(USERS)]) for i in range(users)]
    timings: dict[str, list[float]] = {}
    lock = threading.Lock()
    barrier = threading.Barrier(users)

    def work(client, email):
        paths = pages_for(email)
        rng = random.Random(email)
        barrier.wait()
        for i in range(requests):
            time.sleep(rng.uniform(0, 2 * think))
            path = paths[i % len(paths)]
            elapsed = client.get(path)
            with lock:
                timings.setdefault(path.split("/")[1] + ("/section" if "section" in path else ""), []).append(elapsed)

    threads = [threading.Thread(target=work, args=(c, USERS[i % len(USERS)])) for i, c in enumerate(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    timings["_wall"] = [time.perf_counter() - started]
    return timings


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if len(values) > 1 else values[0]


def report(timings: dict[str, list[float]], users: int) -> None:
    wall = timings.pop("_wall")[0]
    every = [v for values in timings.values() for v in values]
    print(f"{'page':<22}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}")
    for name, values in sorted(timings.items()):
        print(f"{'/' + name:<22}{len(values):>6}{1000 * percentile(values, 50):>10.1f}"
              f"{1000 * percentile(values, 95):>10.1f}{1000 * percentile(values, 99):>10.1f}")
    print(f"{'all':<22}{len(every):>6}{1000 * percentile(every, 50):>10.1f}{1000 * percentile(every, 95):>10.1f}"
          f"{1000 * percentile(every, 99):>10.1f}")
    print(f"{users} concurrent users, {len(every)} requests in {wall:.2f} s = {len(every) / wall:.0f} requests/s "
          "(think time included)")
    print(f"p95 against the 100 ms target: {percentile(every, 95) / 0.1:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--think", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=5057)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database = f"sqlite:///{tmp}/bench.sqlite3"
        prepare(database)
        server = start_server(database, args.port, args.workers, args.threads)
        try:
            report(run(f"http://127.0.0.1:{args.port}", args.users, args.requests, args.think), args.users)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
