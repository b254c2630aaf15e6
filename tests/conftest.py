"""Shared fixtures: an app per test on every configured database, a client, a CLI runner, auth."""
import contextlib
import io
import os
import uuid
from datetime import datetime, timedelta, timezone

import pyotp
import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from benchmarks.common import create_database
from config import TestConfig

PASSWORD = "Correct-Horse-Battery-9"
PG_URL = os.environ.get("TEST_DATABASE_URL", "")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def pytest_configure(config) -> None:
    if os.environ.get("REQUIRE_POSTGRES") == "1" and not PG_URL:
        raise pytest.UsageError("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")


@contextlib.contextmanager
def throwaway_pg_database(prefix: str):
    """Create a PostgreSQL database named prefix + random hex on TEST_DATABASE_URL's server, yield its URL,
    drop it afterwards (never the database named in the URL); fails the test when the server is unreachable."""
    try:
        url, drop = create_database(PG_URL, prefix)
    except sa.exc.OperationalError as error:
        pytest.fail(f"PostgreSQL at {sa.make_url(PG_URL).render_as_string()} is not reachable: {error}")
    try:
        yield url
    finally:
        drop()


@pytest.fixture(scope="session")
def pg_database():
    """A throw-away PostgreSQL database for this test session (never the one named in the URL)."""
    with throwaway_pg_database("cm_test_") as url:
        yield url


def make_config(url: str, tmp_path, **overrides) -> type[TestConfig]:
    attrs = {"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": str(tmp_path / "uploads"), **overrides}
    return type("TestConfigForTest", (TestConfig,), attrs)


def database_url(request) -> str:
    return "sqlite://" if request.param == "sqlite" else request.getfixturevalue("pg_database")


@contextlib.contextmanager
def fresh_schema(application):
    """Yield `application` on an empty schema (drop_all, create_all); afterwards drop it and dispose the engine.
    Tests push their own app context when they need one: a context held across test-client requests would
    share `g` (and the cached locale) between requests."""
    with application.app_context():
        db.drop_all()
        db.create_all()
    try:
        yield application
    finally:
        with application.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


@pytest.fixture(params=BACKENDS)
def app(request, tmp_path):
    """A fresh app and empty schema per test, on SQLite and (with TEST_DATABASE_URL) PostgreSQL."""
    overrides = getattr(request, "param_overrides", {})
    with fresh_schema(create_app(make_config(database_url(request), tmp_path, **overrides))) as application:
        yield application


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def countries(app):
    """The five EEU members and a few others."""
    from app.services.countries import EEU_MEMBERS, sync_countries

    with app.app_context():
        sync_countries(EEU_MEMBERS + ("DE", "CN"))


@pytest.fixture
def make_user(app, countries):
    """Create a user: make_user("coordinator", "AM") -> User (password PASSWORD)."""
    from app.services.accounts import create_user

    def make(role: str, country: str | None = None, email: str | None = None, **kwargs):
        email = email or f"{role}.{(country or 'eec').lower()}.{uuid.uuid4().hex[:6]}@example.org"
        with app.app_context():
            user = create_user(email=email, name=kwargs.pop("name", f"{role.title()} {country or 'EEC'}"),
                               role=role, country_code=country, password=PASSWORD, **kwargs)
            db.session.refresh(user)
            db.session.expunge(user)
        return user

    return make


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, user_or_email, password: str = PASSWORD, **kwargs):
        email = getattr(user_or_email, "email", user_or_email)
        return self._client.post("/login", data={"email": email, "password": password}, **kwargs)

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


DATA = os.path.join(os.path.dirname(__file__), "data")


@pytest.fixture
def mini_version(app):
    """The small test questionnaire, loaded; returns its QuestionnaireVersion id."""
    from app.services import questionnaires

    with app.app_context():
        questionnaires.load_paths([os.path.join(DATA, "mini-2026.1.yaml")])
        return questionnaires.find_version("mini", "2026.1").id


@pytest.fixture
def start(app, mini_version):
    """start(user, country="AM", cycle="2026") -> assessment id, through the service."""
    from app.models import QuestionnaireVersion, User
    from app.services.assessments import start_assessment

    def make(user, country: str | None = None, cycle: str = "2026", **kwargs) -> int:
        with app.app_context():
            version = db.session.get(QuestionnaireVersion, mini_version)
            owner = db.session.get(User, user.id)
            return start_assessment(owner, country or owner.country_code, version, cycle, **kwargs).id

    return make


@pytest.fixture
def save(client):
    """save(assessment_id, key, base_revision=0, **fields) -> response of the autosave endpoint."""
    def post(assessment_id: int, key: str, base_revision: int = 0, **fields):
        return client.post(f"/assessments/{assessment_id}/answers/{key}",
                           json={"base_revision": base_revision, **fields})

    return post


def answer_with_evidence(client, save, assessment_id: int, hours: str, law: bytes) -> None:
    """As the logged-in country user: answer every required question of the mini questionnaire (legal.e-docs
    full, legal.e-signature yes, release.hours `hours`) and attach `law` as law.pdf, the evidence legal.e-docs
    requires."""
    save(assessment_id, "legal.e-docs", value="full")
    save(assessment_id, "legal.e-signature", value="yes")
    save(assessment_id, "release.hours", value=hours)
    client.post(f"/assessments/{assessment_id}/answers/legal.e-docs/attachments",
                data={"file": (io.BytesIO(law), "law.pdf")}, content_type="multipart/form-data")


#: the moment second-factor codes are checked at in tests (the totp_code fixture fixes the clock there)
TOTP_NOW = datetime(2026, 11, 30, 12, 0, 10, tzinfo=timezone.utc)


@pytest.fixture
def totp_code(monkeypatch):
    """Fix the second factor's clock (app.services.totp.now) at TOTP_NOW; no test depends on the real clock.

    Returns code(secret, steps=0): the 6-digit code of `steps` 30-second steps after TOTP_NOW.
    """
    from app.services import totp

    monkeypatch.setattr(totp, "now", lambda: TOTP_NOW)
    return lambda secret, steps=0: pyotp.TOTP(secret).at(TOTP_NOW + timedelta(seconds=30 * steps))
