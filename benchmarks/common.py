"""Steps the benchmarks share (imported after the benchmark put the repository root on sys.path)."""
from __future__ import annotations

import glob
import http.cookiejar
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent


def seed_demo(app) -> None:
    """Bring an empty database to the demo state the benchmarks measure, as `make setup` does.

    Migrates to the newest revision, syncs the country list, creates the demo accounts (password
    `app.services.demo.DEMO_PASSWORD`), loads every questionnaire in `questionnaires/*/*.yaml` and seeds the
    demo assessments; demo cycles are not opened. Runs in its own application context of `app`.
    """
    from flask_migrate import upgrade

    from app.services import countries, demo, questionnaires

    with app.app_context():
        upgrade()
        countries.sync_countries()
        demo.seed_accounts()
        questionnaires.load_paths(sorted(glob.glob(str(ROOT / "questionnaires/*/*.yaml"))))
        demo.seed_assessments()


def create_database(server_url: str, prefix: str):
    """Create a PostgreSQL database named prefix + random hex on `server_url`'s server (never the database
    the URL names); returns (its URL, a function that drops it). Raises sqlalchemy.exc.OperationalError
    when the server is unreachable: the benchmarks then run on SQLite only, the tests fail."""
    server = sa.make_url(server_url)
    name = f"{prefix}{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError:
        admin.dispose()
        raise

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


class HttpSession:
    """One browser session over HTTP (its own cookie jar); redirects are followed as a browser does."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
        """(status, body) of one request; an HTTP error status is returned, not raised."""
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read().decode(errors="replace")

    def post_form(self, path: str, fields: dict) -> tuple[int, str]:
        return self.request(path, urllib.parse.urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})


def log_in(page, base: str, email: str, password: str) -> None:
    """Log in through the login form in a Playwright page, and wait for the page that follows."""
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("main form [type=submit]")
    page.wait_for_load_state()
