"""The per-account login guard: kept in the database, shared by every app instance, exact under parallel attempts."""
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from app import create_app
from app.extensions import db
from app.models import AuditEvent, LoginThrottle
from tests.conftest import BACKENDS, PASSWORD, make_config


def _failures(app, reason: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "login.failure", AuditEvent.after["reason"].as_string() == reason))


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(app, client, auth, make_user):
    user = make_user("coordinator", "AM")
    for _ in range(5):
        assert auth.login(user, password="wrong-password-123").status_code == 200
    response = auth.login(user)
    assert response.status_code == 429 and "Too many failed logins for this account" in response.get_data(as_text=True)
    assert client.get("/assessments/").status_code == 302
    assert _failures(app, "credentials") == 5 and _failures(app, "locked") == 1


def test_the_lock_grows_with_each_further_failure(app, client, auth, make_user):
    user = make_user("analyst")
    locks = []
    for _ in range(9):
        auth.login(user, password="wrong-password-123")
        with app.app_context():
            row = db.session.get(LoginThrottle, user.email)
            if row.locked_until is not None:
                locks.append(row.locked_until - row.last_failure_at)
                row.locked_until = row.last_failure_at  # let the lock run out
                db.session.commit()
    assert locks == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16)]


def test_an_unknown_address_is_locked_the_same_way(client, auth, countries):
    for _ in range(5):
        auth.login("nobody@example.org", password="wrong-password-123")
    assert auth.login("nobody@example.org", password="wrong-password-123").status_code == 429


def test_a_correct_login_clears_the_count(app, client, auth, make_user):
    user = make_user("analyst")
    for _ in range(4):
        auth.login(user, password="wrong-password-123")
    assert auth.login(user).status_code == 302
    auth.logout()
    for _ in range(4):
        auth.login(user, password="wrong-password-123")
    assert auth.login(user).status_code == 302


def test_an_admin_sees_the_lock_and_lifts_it(app, client, auth, make_user):
    user, admin = make_user("respondent", "KG"), make_user("admin")
    for _ in range(6):
        auth.login(user, password="wrong-password-123")
    auth.login(admin)
    page = client.get("/admin/").get_data(as_text=True)
    assert "Locked until" in page and "Lift lock" in page
    client.post(f"/admin/users/{user.id}/unlock")
    assert "Locked until" not in client.get("/admin/").get_data(as_text=True)
    auth.logout()
    assert auth.login(user).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEvent.target).where(AuditEvent.action == "login.unlock")) == user.email


def test_wrong_second_factor_codes_count_towards_the_lock(app, client, auth, make_user):
    import pyotp

    from app.models import User

    user = make_user("analyst")
    with app.app_context():
        db.session.get(User, user.id).totp_secret = pyotp.random_base32()
        db.session.commit()
    for _ in range(2):
        assert auth.login(user).status_code == 302  # the password is right: on to the code
        for _ in range(2):
            client.post("/login/verify", data={"code": "000000"})
    auth.login(user)
    assert client.post("/login/verify", data={"code": "000000"}).status_code == 429


@pytest.fixture(params=BACKENDS)
def shared_url(request, tmp_path):
    """One database for two app instances: a SQLite file, or a PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/shared.db"
    return request.getfixturevalue("pg_database")


def test_parallel_attempts_through_two_app_instances_share_one_lock(shared_url, tmp_path):
    """110 wrong passwords from 110 addresses through two instances: exactly 5 are checked, then the lock holds."""
    first = create_app(make_config(shared_url, tmp_path / "a"))
    second = create_app(make_config(shared_url, tmp_path / "b"))
    with first.app_context():
        db.drop_all()
        db.create_all()
        from app.services.accounts import create_user
        from app.services.countries import sync_countries

        sync_countries(("AM",))
        create_user(email="target@customs.am", name="Target", role="coordinator", country_code="AM", password=PASSWORD)

    def attempt(number: int) -> int:
        app = (first, second)[number % 2]
        response = app.test_client().post(
            "/login", data={"email": "target@customs.am", "password": f"guess-{number}-xyz"},
            environ_base={"REMOTE_ADDR": f"10.0.{number // 200}.{number % 200 + 1}"})
        return response.status_code

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            codes = list(pool.map(attempt, range(110)))
        assert codes.count(200) == 5 and codes.count(429) == 105, codes
        assert _failures(first, "credentials") == 5
        right = second.test_client().post("/login", data={"email": "target@customs.am", "password": PASSWORD})
        assert right.status_code == 429
        with second.app_context():
            until = db.session.get(LoginThrottle, "target@customs.am").locked_until
            assert until > datetime.now(timezone.utc)
    finally:
        for app in (first, second):
            with app.app_context():
                db.session.remove()
        with first.app_context():
            db.drop_all()
        for app in (first, second):
            with app.app_context():
                db.engine.dispose()


def test_any_login_input_is_answered_without_an_error(app, client, make_user):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    user = make_user("analyst")
    text = st.text(alphabet=st.characters(codec="utf-8"), max_size=40) | st.sampled_from(
        ["a\x00b@example.org", user.email + "\x00", " " + user.email.upper() + " ", "%", "'; --"])

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(text, text)
    def check(email, password):
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code in (200, 302, 429), (email, password)
        client.post("/logout")

    check()
