"""CSRF on every state change (autosave included), login rate limit, second factor."""
import re
import urllib.parse

import pytest

from app import create_app
from app.extensions import db
from tests.conftest import PASSWORD, make_config


@pytest.fixture
def csrf_app(tmp_path, request):
    """An app with CSRF protection on, as in production."""
    app = create_app(make_config("sqlite://", tmp_path, WTF_CSRF_ENABLED=True))
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


def _token(page: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def _login_with_csrf(client, email):
    token = _token(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})


def _setup(app):
    from app.models import QuestionnaireVersion, User
    from app.services import countries, questionnaires
    from app.services.accounts import create_user
    from app.services.assessments import start_assessment
    from tests.conftest import DATA

    with app.app_context():
        countries.sync_countries(("AM",))
        user = create_user(email="coord@customs.am", name="C", role="coordinator", country_code="AM",
                           password=PASSWORD)
        questionnaires.load_paths([f"{DATA}/mini-2026.1.yaml"])
        version = db.session.scalar(db.select(QuestionnaireVersion))
        return start_assessment(db.session.get(User, user.id), "AM", version, "2026").id


def test_login_without_a_csrf_token_is_refused(csrf_app):
    _setup(csrf_app)
    response = csrf_app.test_client().post("/login", data={"email": "coord@customs.am", "password": PASSWORD})
    assert response.status_code == 400


def test_autosave_needs_the_csrf_token_in_a_header(csrf_app):
    assessment = _setup(csrf_app)
    client = csrf_app.test_client()
    assert _login_with_csrf(client, "coord@customs.am").status_code == 302
    page = client.get(f"/assessments/{assessment}/section/legal").get_data(as_text=True)
    url = f"/assessments/{assessment}/answers/legal.e-docs"
    refused = client.post(url, json={"base_revision": 0, "value": "full"})
    # refused as out of date: the autosave keeps the edit and asks for a new login (app.security._csrf_refused)
    assert refused.status_code == 401 and "session has ended" in refused.get_json()["error"]
    accepted = client.post(url, json={"base_revision": 0, "value": "full"}, headers={"X-CSRFToken": _token(page)})
    assert accepted.status_code == 200


def test_logins_are_rate_limited(tmp_path):
    app = create_app(make_config("sqlite://", tmp_path, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute"))
    with app.app_context():
        db.create_all()
    client = app.test_client()
    codes = [client.post("/login", data={"email": "x@y.org", "password": "wrong-password-1"}).status_code
             for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert "Too many attempts" in client.post("/login", data={}).get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()


def _enrol(client, totp_code):
    page = client.get("/account/security").get_data(as_text=True)
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7]+)<', page).group(1)
    client.post("/account/security", data={"code": totp_code(secret)})
    return secret


def test_a_user_enrols_a_second_factor_and_then_needs_a_code(app, client, auth, make_user, totp_code):
    user = make_user("analyst")
    auth.login(user)
    secret = _enrol(client, totp_code)
    auth.logout()
    response = auth.login(user)
    assert response.location == "/login/verify"
    assert client.get("/").status_code == 302  # half logged in is not logged in
    client.post("/login/verify", data={"code": "000000"})
    assert client.get("/").status_code == 302
    # the enrolment used up the current code: the next one (within the allowed drift) logs in
    client.post("/login/verify", data={"code": totp_code(secret, steps=1)})
    assert client.get("/").status_code == 200


def test_staff_must_enrol_when_the_configuration_requires_it(app, client, auth, make_user, totp_code):
    app.config["REQUIRE_TOTP_FOR_STAFF"] = True
    auth.login(make_user("admin"))
    response = client.get("/")
    assert response.status_code == 302 and response.location == "/account/security"
    _enrol(client, totp_code)
    assert client.get("/").status_code == 200


def test_national_users_are_not_forced_to_enrol(app, client, auth, make_user):
    app.config["REQUIRE_TOTP_FOR_STAFF"] = True
    auth.login(make_user("respondent", "KZ"))
    assert client.get("/").status_code == 200


def test_the_enrolment_qr_code_is_a_standalone_svg_image(client, auth, make_user):
    auth.login(make_user("analyst"))
    page = client.get("/account/security").get_data(as_text=True)
    uri = re.search(r'<img src="(data:image/svg\+xml[^"]+)"', page).group(1)
    assert "xmlns" in urllib.parse.unquote(uri)  # an SVG without its namespace does not render as an image


def test_a_second_factor_code_is_accepted_once_only(app, client, auth, make_user, totp_code):
    user = make_user("analyst")
    auth.login(user)
    secret = _enrol(client, totp_code)
    auth.logout()
    code = totp_code(secret, steps=1)
    auth.login(user)
    client.post("/login/verify", data={"code": code})
    assert client.get("/").status_code == 200
    auth.logout()
    auth.login(user)
    client.post("/login/verify", data={"code": code})  # replayed
    assert client.get("/").status_code == 302
