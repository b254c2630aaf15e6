"""Two gunicorn servers on one PostgreSQL database, as behind a load balancer without sticky sessions.

Runs in CI (.ci/run sets TEST_DATABASE_URL and REQUIRE_POSTGRES=1); an unreachable PostgreSQL fails
the test rather than skipping it. Without TEST_DATABASE_URL (a laptop with SQLite only) it is skipped.
"""
import contextlib
import http.client
import shutil
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from tests.conftest import DATA, PASSWORD, PG_URL, make_config, throwaway_pg_database
from tests.smtp_sink import free_port

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")

pytestmark = pytest.mark.skipif(not PG_URL and os.environ.get("REQUIRE_POSTGRES") != "1",
                                reason="needs PostgreSQL: set TEST_DATABASE_URL (CI does)")


class Browser:
    """A cookie-keeping HTTP client that can be pointed at either server, like a browser behind a balancer."""

    def __init__(self, cookie: str | None = None):
        self.cookie = cookie

    def request(self, port: int, method: str, path: str, body: bytes | None = None, content_type: str | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"User-Agent": "two-server-test"}
        if self.cookie:
            headers["Cookie"] = f"session={self.cookie}"
        if content_type:
            headers["Content-Type"] = content_type
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            match = re.match(r"session=([^;]*)", header)
            if match:
                self.cookie = match.group(1) or None
        conn.close()
        return response.status, response.headers, data

    def get(self, port: int, path: str):
        return self.request(port, "GET", path)

    def token(self, port: int, path: str = "/login") -> str:
        page = self.get(port, path)[2].decode()
        return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)

    def post(self, port: int, path: str, fields: dict, token_from: str = "/login"):
        fields = {**fields, "csrf_token": self.token(port, token_from)}
        return self.request(port, "POST", path, urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def upload(self, port: int, path: str, token: str, filename: str, content: bytes):
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
                f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self.request(port, "POST", path, body, f"multipart/form-data; boundary={boundary}")


@pytest.fixture
def database_url():
    """A new PostgreSQL database for the two servers, migrated to the head and given one assessment."""
    with throwaway_pg_database("cm_servers_") as url:
        yield url


def _prepare(url: str, tmp_path) -> int:
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db
    from app.models import QuestionnaireVersion, User
    from app.services import accounts, assessments, countries, questionnaires

    app = create_app(make_config(url, tmp_path / "setup"))
    with app.app_context():
        upgrade()
        countries.sync_countries(("AM",))
        user = accounts.create_user(email="coord@customs.am", name="Coordinator", role="coordinator",
                                    country_code="AM", password=PASSWORD)
        questionnaires.load_paths([os.path.join(DATA, "mini-2026.1.yaml")])
        version = db.session.scalar(sa.select(QuestionnaireVersion))
        assessment = assessments.start_assessment(db.session.get(User, user.id), "AM", version, "2026").id
        db.session.remove()
        db.engine.dispose()
    return assessment


@contextlib.contextmanager
def _servers(database_url: str, tmp_path, **extra_env):
    """Two gunicorn servers (two workers each) with their own UPLOAD_DIR and one database; yields their ports."""
    secret = secrets.token_hex(32)
    ports, processes = [free_port(), free_port()], []
    for number, port in enumerate(ports):
        env = {**os.environ, "APP_ENV": "production", "SECRET_KEY": secret, "DATABASE_URL": database_url,
               "SESSION_COOKIE_SECURE": "0", "UPLOAD_DIR": str(tmp_path / f"server{number}"),
               "LOGIN_RATE_LIMIT": "1000 per minute", **extra_env}
        processes.append(subprocess.Popen(
            [str(GUNICORN), "--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "120", "wsgi:app"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    try:
        for port, process in zip(ports, processes):
            _wait_healthy(port, process)
        yield ports
    finally:
        for process in processes:
            _stop(process)


def _stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stderr:
        process.stderr.close()


@pytest.fixture
def two_servers(database_url, tmp_path):
    assessment = _prepare(database_url, tmp_path)
    with _servers(database_url, tmp_path) as ports:
        yield ports, assessment, database_url


def _wait_healthy(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn on port {port} exited: {process.stderr.read().decode()[-2000:]}")
        try:
            status, _headers, body = Browser().get(port, "/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    pytest.fail(f"gunicorn on port {port} did not become healthy")


def _login(browser: Browser, port: int, password: str = PASSWORD):
    return browser.post(port, "/login", {"email": "coord@customs.am", "password": password})


def test_two_servers_share_files_previews_sessions_and_the_login_lock(two_servers):
    (one, two), assessment, url = two_servers

    # Logged in through one server, the session works on the other.
    browser = Browser()
    assert _login(browser, one)[0] == 302
    assert browser.get(two, "/assessments/")[0] == 200

    # Upload through one, download through the other (each has its own, empty UPLOAD_DIR).
    content = b"%PDF-1.7 evidence " + os.urandom(300_000)
    section = f"/assessments/{assessment}/section/legal"
    token = browser.token(two, section)
    status, _headers, _body = browser.upload(one, f"/assessments/{assessment}/answers/legal.e-docs/attachments",
                                             token, "law.pdf", content)
    assert status == 302
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        attachment_id = conn.scalar(sa.text("SELECT id FROM attachment"))
    status, headers, body = browser.get(two, f"/assessments/{assessment}/attachments/{attachment_id}")
    assert status == 200 and body == content and "attachment" in headers["Content-Disposition"]

    # A workbook previewed through one server is applied through the other.
    csv_file = b"question_key,value\nlegal.e-docs,full\n"
    status, headers, page = browser.upload(two, f"/assessments/{assessment}/upload", token, "answers.csv", csv_file)
    assert status == 303, page[-500:]  # the preview has its own address (reload and Back are safe)
    preview = re.search(r"/upload/([A-Za-z0-9_-]{43})$", headers["Location"]).group(1)
    status, _headers, page = browser.get(one, f"/assessments/{assessment}/upload/{preview}")
    assert status == 200 and f"/upload/{preview}/apply" in page.decode()
    body = urlencode({"csrf_token": token}).encode()
    status, _headers, _body = browser.request(one, "POST", f"/assessments/{assessment}/upload/{preview}/apply", body,
                                              "application/x-www-form-urlencoded")
    assert status == 302
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT value FROM answer WHERE question_key = 'legal.e-docs'")) == "full"

    # Log out through one: the copied cookie is refused by the other.
    copied = browser.cookie
    assert browser.post(one, "/logout", {}, token_from="/assessments/")[0] == 302
    status, headers, _body = Browser(copied).get(two, "/assessments/")
    assert status == 302 and "/login" in headers["Location"]
    status, _headers, _body = Browser(copied).get(one, "/assessments/")
    assert status == 302

    # Failed logins through both servers lock the one account; then even the right password is refused.
    attacker = Browser()
    codes = [_login(attacker, (one, two)[n % 2], password=f"wrong-{n}-password")[0] for n in range(7)]
    assert codes == [200] * 5 + [429, 429]
    assert _login(Browser(), two)[0] == 429 and _login(Browser(), one)[0] == 429
    with engine.connect() as conn:
        assert conn.scalar(sa.text("SELECT failures FROM login_throttle WHERE login = 'coord@customs.am'")) == 5
        refused = conn.scalar(sa.text("SELECT count(*) FROM audit_event WHERE action = 'login.failure'"))
        assert refused == 9
    engine.dispose()


@pytest.fixture
def redis_url():
    """A throw-away redis-server on a free port (CI installs it; see .ci/run)."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("redis-server is not installed (.ci/run installs it)")
        pytest.skip("redis-server is not installed")
    port = free_port()
    process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            break
        time.sleep(0.2)
    yield f"redis://127.0.0.1:{port}/0"
    _stop(process)


def test_the_per_address_limit_counts_across_servers_with_a_shared_storage(database_url, redis_url, tmp_path):
    """With RATELIMIT_STORAGE_URI on redis, 4 logins a minute from one address means 4 over both servers and
    all their workers (with memory:// each of the four workers would allow 4)."""
    _prepare(database_url, tmp_path)
    with _servers(database_url, tmp_path, RATELIMIT_STORAGE_URI=redis_url, LOGIN_RATE_LIMIT="4 per minute") as ports:
        browser = Browser()
        codes = [browser.post(ports[n % 2], "/login", {"email": f"someone{n}@example.org", "password": "x" * 12})[0]
                 for n in range(8)]
    assert codes[:4] == [200] * 4 and codes[4:] == [429] * 4
