import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, User
from tests.conftest import PASSWORD


def _events(app, action):
    with app.app_context():
        return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


def test_a_user_logs_in_and_sees_the_home_page(client, auth, make_user):
    user = make_user("coordinator", "AM", name="Anna Petrosyan")
    response = auth.login(user)
    assert response.status_code == 302 and response.location == "/"
    page = client.get("/").get_data(as_text=True)
    assert "Anna Petrosyan" in page and "Armenia" in page


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_wrong_password_is_refused_and_recorded(app, client, auth, make_user):
    user = make_user("respondent", "BY")
    response = auth.login(user, password="not-the-password-at-all")
    assert response.status_code == 200
    assert "Wrong e-mail or password" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302
    assert [e.target for e in _events(app, "login.failure")] == [user.email]


def test_an_unknown_email_is_refused_the_same_way(app, auth, countries):
    response = auth.login("nobody@example.org")
    assert "Wrong e-mail or password" in response.get_data(as_text=True)
    assert len(_events(app, "login.failure")) == 1


def test_a_disabled_user_cannot_log_in(app, client, auth, make_user):
    user = make_user("analyst")
    with app.app_context():
        db.session.get(User, user.id).active = False
        db.session.commit()
    auth.login(user)
    assert client.get("/").status_code == 302
    assert _events(app, "login.failure")[0].after == {"reason": "disabled"}


def test_a_successful_login_is_recorded(app, auth, make_user):
    user = make_user("admin")
    auth.login(user)
    assert [e.user_id for e in _events(app, "login.success")] == [user.id]


def test_logout_ends_the_session(client, auth, make_user):
    auth.login(make_user("analyst"))
    auth.logout()
    assert client.get("/").status_code == 302


def test_login_starts_a_fresh_session(client, auth, make_user):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    auth.login(make_user("analyst"))
    with client.session_transaction() as session:
        assert "planted" not in session


def test_a_password_change_ends_other_sessions(app, client, auth, make_user):
    user = make_user("analyst")
    auth.login(user)
    with app.app_context():
        db.session.get(User, user.id).session_token = "rotated"
        db.session.commit()
    assert client.get("/").status_code == 302


def test_login_only_follows_local_next_urls(auth, make_user):
    user = make_user("analyst")
    assert auth.login(user, query_string={"next": "https://evil.example/"}).location == "/"


def test_login_follows_a_local_next_url(client, make_user):
    user = make_user("analyst")
    response = client.post("/login?next=/static/css/app.css", data={"email": user.email, "password": PASSWORD})
    assert response.location == "/static/css/app.css"


def test_passwords_are_hashed_with_argon2id(app, make_user):
    user = make_user("analyst")
    with app.app_context():
        assert db.session.get(User, user.id).password_hash.startswith("$argon2id$")


def test_the_idle_timeout_logs_the_user_out(app, client, auth, make_user):
    from datetime import timedelta

    from app.models import UserSession

    auth.login(make_user("analyst"))
    with app.app_context():
        for row in db.session.scalars(db.select(UserSession)):
            row.last_seen_at -= timedelta(minutes=31)
        db.session.commit()
    response = client.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")
    assert "Your session ended after 30 idle minutes" in client.get(response.location).get_data(as_text=True)
