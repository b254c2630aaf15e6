"""Administrators manage accounts; nobody else reaches the administration."""
import sqlalchemy as sa

from app.extensions import db
from app.models import AuditEvent, User
from tests.conftest import PASSWORD


def test_an_admin_creates_a_national_user(app, client, auth, make_user):
    auth.login(make_user("admin"))
    response = client.post("/admin/users", data={"email": "Officer@Customs.KZ", "name": "Aigerim Officer",
                                                 "role": "respondent", "country": "KZ",
                                                 "password": "Steppe-Eagle-2026"}, follow_redirects=True)
    assert "The user officer@customs.kz was created." in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "officer@customs.kz"))
        assert (user.role, user.country_code, user.password_hash[:9]) == ("respondent", "KZ", "$argon2id")


def test_the_admin_form_explains_a_refusal(client, auth, make_user):
    auth.login(make_user("admin"))
    response = client.post("/admin/users", data={"email": "a@eec.int", "name": "A", "role": "coordinator",
                                                 "country": "", "password": "Steppe-Eagle-2026"},
                           follow_redirects=True)
    assert "must belong to a country" in response.get_data(as_text=True)


def test_disabling_a_user_ends_their_session_at_once(app, client, auth, make_user):
    admin = make_user("admin")
    officer = make_user("coordinator", "AM")
    other = app.test_client()
    other.post("/login", data={"email": officer.email, "password": PASSWORD})
    assert other.get("/").status_code == 200
    auth.login(admin)
    client.post(f"/admin/users/{officer.id}/active")
    assert other.get("/").status_code == 302
    assert other.post("/login", data={"email": officer.email, "password": PASSWORD}).status_code == 200
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.action == "user.disable"))


def test_an_admin_cannot_disable_their_own_account(app, client, auth, make_user):
    admin = make_user("admin")
    auth.login(admin)
    response = client.post(f"/admin/users/{admin.id}/active", follow_redirects=True)
    assert "cannot disable your own account" in response.get_data(as_text=True)


def test_the_administration_lists_users_and_questionnaire_versions(client, auth, make_user, mini_version):
    auth.login(make_user("admin"))
    page = client.get("/admin/").get_data(as_text=True)
    assert "Mini questionnaire" in page and "2026.1" in page and "Published" in page


def test_only_admins_reach_the_administration(client, auth, make_user):
    auth.login(make_user("analyst"))
    assert client.get("/admin/").status_code == 403
    assert client.post("/admin/users", data={}).status_code == 403
