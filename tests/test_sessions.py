"""Server-side sessions: a copied cookie is refused once its session ends, and the user is told why."""
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, User, UserSession
from tests.conftest import PASSWORD

NEW_PASSWORD = "Granite-Lantern-Orbit-42"


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(app, cookie: str, path: str = "/assessments/"):
    """A second browser that only has the copied cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other, other.get(path)


def _shift(app, **deltas) -> None:
    with app.app_context():
        for row in db.session.scalars(sa.select(UserSession)):
            for field, delta in deltas.items():
                setattr(row, field, getattr(row, field) - delta)
        db.session.commit()


def test_each_login_records_a_session_with_address_and_browser(app, client, auth, make_user):
    user = make_user("analyst")
    auth.login(user, headers={"User-Agent": "Firefox/140 test"})
    with app.app_context():
        [row] = db.session.scalars(sa.select(UserSession)).all()
        assert (row.user_id, row.ip, row.user_agent, row.ended_at) == (user.id, "127.0.0.1", "Firefox/140 test", None)
        assert "sid" not in str(row.token_hash) and len(row.token_hash) == 64


def test_a_cookie_copied_before_logout_is_refused_afterwards(app, client, auth, make_user):
    auth.login(make_user("coordinator", "AM"))
    cookie = _cookie(client)
    auth.logout()
    _other, response = _replay(app, cookie)
    assert response.status_code == 302 and response.location.startswith("/login")
    assert "Set-Cookie" in response.headers  # the refused cookie is replaced, not renewed


def test_a_replayed_cookie_cannot_autosave(app, client, auth, make_user, start):
    user = make_user("coordinator", "AM")
    assessment = start(user)
    auth.login(user)
    cookie = _cookie(client)
    auth.logout()
    other = app.test_client()
    other.set_cookie("session", cookie)
    response = other.post(f"/assessments/{assessment}/answers/legal.e-docs", json={"base_revision": 0, "value": "yes"})
    assert response.status_code == 401 and "session has ended" in response.get_json()["error"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "answer.update")) == 0


def test_the_old_cookie_stays_refused_after_the_owner_logs_in_and_out_again(app, client, auth, make_user):
    user = make_user("respondent", "AM")
    auth.login(user)
    cookie = _cookie(client)
    auth.logout()
    auth.login(user)
    assert client.get("/assessments/").status_code == 200
    _other, response = _replay(app, cookie)
    assert response.status_code == 302
    auth.logout()
    _other, response = _replay(app, cookie)
    assert response.status_code == 302


def test_a_password_change_ends_the_other_sessions_but_not_this_one(app, client, auth, make_user):
    user = make_user("analyst")
    laptop = app.test_client()
    laptop.post("/login", data={"email": user.email, "password": PASSWORD})
    auth.login(user)
    response = client.post("/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                                         "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert client.get("/assessments/").status_code == 200
    assert laptop.get("/assessments/").status_code == 302
    assert "session has ended" in laptop.get("/login").get_data(as_text=True)


def test_a_cookie_copied_before_a_password_change_is_refused(app, client, auth, make_user):
    user = make_user("analyst")
    laptop = app.test_client()
    laptop.post("/login", data={"email": user.email, "password": PASSWORD})
    copied_from_laptop = _cookie(laptop)
    auth.login(user)
    copied_from_this_browser = _cookie(client)
    client.post("/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                            "confirm": NEW_PASSWORD})
    for cookie in (copied_from_laptop, copied_from_this_browser):
        _other, response = _replay(app, cookie)
        assert response.status_code == 302 and response.location.startswith("/login")
    assert client.get("/assessments/").status_code == 200  # the browser that changed it got a fresh session


def test_disabling_a_user_ends_their_sessions_at_once(app, client, auth, make_user):
    user = make_user("respondent", "AM")
    admin = make_user("admin")
    auth.login(user)
    admin_client = app.test_client()
    admin_client.post("/login", data={"email": admin.email, "password": PASSWORD})
    admin_client.post(f"/admin/users/{user.id}/active")
    assert client.get("/assessments/").status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(UserSession.ended_reason).where(UserSession.user_id == user.id)) == "disabled"


def test_an_account_disabled_in_the_database_itself_loses_its_session_at_the_next_request(app, client, auth,
                                                                                        make_user):
    """Disabling through the admin page also changes the session token, so the user loader refuses first;
    an account disabled outside the application (SQL) keeps its token, and the session check ends it."""
    user = make_user("respondent", "AM")
    auth.login(user)
    with app.app_context():
        db.session.execute(sa.update(User).where(User.id == user.id).values(active=False))
        db.session.commit()
    response = client.get("/assessments/")
    assert response.status_code == 302 and response.location.startswith("/login")
    assert "session has ended" in client.get(response.location).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(UserSession.ended_reason)) == "disabled"
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "session.end"))
        assert event.after["reason"] == "disabled"


def test_the_idle_limit_ends_the_session_with_its_own_message(app, client, auth, make_user):
    auth.login(make_user("analyst"))
    _shift(app, last_seen_at=timedelta(minutes=31), created_at=timedelta(minutes=31))
    response = client.get("/assessments/")
    assert response.location.startswith("/login?next=/assessments/")
    page = client.get(response.location).get_data(as_text=True)
    assert "Your session ended after 30 idle minutes" in page and "Please log in to open this page" not in page
    with app.app_context():
        assert db.session.scalar(sa.select(UserSession.ended_reason)) == "idle"


def test_the_idle_message_is_in_russian_for_a_russian_user(app, client, auth, make_user):
    client.post("/language/ru", data={"next": "/"})
    auth.login(make_user("analyst"))
    _shift(app, last_seen_at=timedelta(minutes=45))
    page = client.get("/assessments/", follow_redirects=True).get_data(as_text=True)
    assert "Сеанс завершён после 30 минут бездействия" in page


def test_an_active_session_ends_at_the_absolute_limit(app, client, auth, make_user):
    auth.login(make_user("analyst"))
    _shift(app, created_at=timedelta(hours=12, minutes=1))
    page = client.get("/assessments/", follow_redirects=True).get_data(as_text=True)
    assert "Your session ended after 12 hours" in page


def test_activity_keeps_the_session_alive(app, client, auth, make_user):
    auth.login(make_user("analyst"))
    _shift(app, last_seen_at=timedelta(minutes=29))
    assert client.get("/assessments/").status_code == 200
    with app.app_context():
        [row] = db.session.scalars(sa.select(UserSession)).all()
        assert row.ended_at is None and row.last_seen_at > row.created_at


def test_the_account_page_lists_sessions_and_ends_the_others(app, client, auth, make_user):
    user = make_user("coordinator", "KZ")
    phone = app.test_client()
    phone.post("/login", data={"email": user.email, "password": PASSWORD}, headers={"User-Agent": "PhoneBrowser/1"})
    auth.login(user, headers={"User-Agent": "DeskBrowser/2"})
    page = client.get("/account").get_data(as_text=True)
    assert "PhoneBrowser/1" in page and "DeskBrowser/2" in page and "this session" in page
    client.post("/account/sessions/end-others")
    assert phone.get("/assessments/").status_code == 302
    assert client.get("/assessments/").status_code == 200
    assert "PhoneBrowser/1" not in client.get("/account").get_data(as_text=True)


def test_one_session_can_be_ended_but_not_another_users(app, client, auth, make_user):
    user, stranger = make_user("respondent", "AM"), make_user("respondent", "BY")
    stranger_client = app.test_client()
    stranger_client.post("/login", data={"email": stranger.email, "password": PASSWORD})
    auth.login(user)
    with app.app_context():
        foreign = db.session.scalar(sa.select(UserSession.id).where(UserSession.user_id == stranger.id))
    client.post(f"/account/sessions/{foreign}/end")
    assert stranger_client.get("/assessments/").status_code == 200


def test_logout_through_the_json_api_of_a_stale_session_is_harmless(app, client, auth, make_user):
    auth.login(make_user("analyst"))
    cookie = _cookie(client)
    auth.logout()
    other, _response = _replay(app, cookie, "/")
    assert other.post("/logout").status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_old_ended_sessions_are_forgotten_at_the_next_login(app, client, auth, make_user):
    user = make_user("analyst")
    auth.login(user)
    auth.logout()
    _shift(app, last_seen_at=timedelta(days=31), created_at=timedelta(days=31))
    auth.login(user)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 1


def test_logout_and_expiry_are_in_the_audit_log(app, client, auth, make_user):
    user = make_user("analyst")
    auth.login(user)
    auth.logout()
    auth.login(user)
    _shift(app, last_seen_at=timedelta(minutes=40))
    client.get("/assessments/")
    with app.app_context():
        reasons = [e.after["reason"] for e in db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "session.end").order_by(AuditEvent.id))]
    assert reasons == ["logout", "idle"]
