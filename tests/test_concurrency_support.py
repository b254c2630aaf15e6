"""Support for the race tests: a real threaded server on a file SQLite database or PostgreSQL,
HTTP clients with their own sessions, and a barrier that releases concurrent requests together.

No tests here; tests/test_concurrency.py and tests/test_concurrency_services.py use it (import the
fixtures `live` and `people` from here).
"""
from __future__ import annotations

import json
import os
import threading
import uuid
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from app.models import AuditEvent
from benchmarks.common import HttpSession
from tests.conftest import BACKENDS, DATA, PASSWORD, fresh_schema, make_config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAIN = os.path.join(ROOT, "questionnaires", "digital-customs-maturity", "2026.1.yaml")


@dataclass
class Live:
    """An app served by a threaded werkzeug server on a free loopback port."""

    app: object
    base: str


def serve(url: str, tmp_path):
    """Create the schema on `url`, start a threaded server; a generator the fixture yields from."""
    with fresh_schema(create_app(make_config(url, tmp_path))) as app:
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield Live(app, f"http://127.0.0.1:{server.server_port}")
        finally:
            server.shutdown()
            thread.join()
            server.server_close()


@pytest.fixture(params=BACKENDS)
def live(request, tmp_path):
    """The app served on a file SQLite database and (with TEST_DATABASE_URL) on PostgreSQL."""
    url = f"sqlite:///{tmp_path}/live.sqlite3" if request.param == "sqlite" else request.getfixturevalue("pg_database")
    yield from serve(url, tmp_path)


@pytest.fixture
def people(live):
    """Users by role, and the two questionnaires loaded."""
    from app.services import accounts, countries, questionnaires

    with live.app.app_context():
        countries.sync_countries(countries.EEU_MEMBERS)
        questionnaires.load_paths([os.path.join(DATA, "mini-2026.1.yaml"), MAIN])
        made = {}
        for role, country in (("coordinator", "AM"), ("respondent", "AM"), ("analyst", None)):
            user = accounts.create_user(email=f"{role}@example.org", name=role.title(), role=role,
                                        country_code=country, password=PASSWORD)
            made[role] = user.email
    return made


def events(live, assessment_id: int, *actions: str) -> list[AuditEvent]:
    """The audit events of these actions on the assessment, oldest first."""
    with live.app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent).where(
            AuditEvent.assessment_id == assessment_id, AuditEvent.action.in_(actions)).order_by(AuditEvent.id)))


class Client(HttpSession):
    """One browser: its own cookie jar (session), logged in as `email`."""

    def __init__(self, base: str, email: str) -> None:
        super().__init__(base)
        status, page = self.post_form("/login", {"email": email, "password": PASSWORD})
        assert status == 200 and "Log out" in page, f"login of {email} failed ({status})"

    def post_json(self, path: str, payload: dict) -> tuple[int, dict]:
        status, body = self.request(path, json.dumps(payload).encode(), {"Content-Type": "application/json"})
        try:
            return status, json.loads(body)
        except ValueError:
            return status, {"body": body[:500]}

    def upload(self, path: str, filename: str, content: bytes, content_type: str) -> tuple[int, str]:
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
                f"Content-Type: {content_type}\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self.request(path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})


def at_once(calls: list) -> list:
    """Run the callables in threads released together by a barrier; their results in order.

    An exception in a thread is re-raised here, so a crash is never mistaken for a refusal.
    """
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except BaseException as error:  # noqa: BLE001 (reported below, in the test's thread)
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
