import pytest

from tests.conftest import make_config


def test_the_login_page_is_served_with_bootstrap_from_the_app(client):
    page = client.get("/login").get_data(as_text=True)
    assert "/bootstrap/static/css/bootstrap.min.css" in page
    assert "cdn" not in page.lower()
    with client.get("/bootstrap/static/css/bootstrap.min.css") as response:
        assert response.status_code == 200


def test_security_headers_are_set(client):
    headers = client.get("/login").headers
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cache-Control"] == "no-store"


def test_pages_have_no_inline_scripts(client, auth, make_user):
    auth.login(make_user("coordinator", "KZ"))
    for path in ("/login", "/"):
        page = client.get(path).get_data(as_text=True)
        assert page.count("<script") == page.count("<script src=")


def test_the_language_switch_shows_the_page_in_russian(client, auth, make_user):
    auth.login(make_user("coordinator", "RU"))
    client.post("/language/ru", data={"next": "/"})
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="ru">' in page
    assert "Координатор" in page and "Россия" in page and "Выйти" in page


def test_the_language_follows_the_browser_before_any_choice(client):
    page = client.get("/login", headers={"Accept-Language": "ru-RU,ru;q=0.9"}).get_data(as_text=True)
    assert "Войти" in page


def test_an_unknown_language_is_refused(client):
    assert client.post("/language/fr").status_code == 400


def test_navigation_depends_on_the_role(client, auth, make_user):
    auth.login(make_user("respondent", "AM"))
    page = client.get("/").get_data(as_text=True)
    assert "Administration" not in page


def test_a_missing_page_says_so_without_details(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_a_missing_page_answers_json_to_json_clients(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.json["error"] == "Page not found"


def test_an_unexpected_error_shows_a_page_that_leaks_nothing(app, client):
    app.config["PROPAGATE_TEST_ERRORS"] = False

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret database password in a stack trace")

    response = client.get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong" in body and "secret" not in body and "Traceback" not in body


def test_a_state_change_without_a_csrf_token_is_refused(tmp_path):
    from app import create_app

    app = create_app(make_config("sqlite://", tmp_path, WTF_CSRF_ENABLED=True))
    response = app.test_client().post("/language/ru")
    assert response.status_code == 400


@pytest.mark.parametrize("path", ["/", "/language/en"])
def test_pages_need_a_login_or_a_token(client, path):
    response = client.get(path) if path == "/" else client.post(path)
    assert response.status_code in (302, 400)


def test_the_kept_page_chrome_follows_every_change_and_carries_this_requests_tokens(app, client, auth, make_user):
    """The navigation bar is rendered once per kind and kept (app.chrome): a new name or country name
    shows on the next page (the unread count: tests/test_notifications.py), another user never sees the first one's menu, and the forms of
    the kept header carry the request's own CSRF token and return path."""
    import re

    from app.extensions import db
    from app.models import Country, User
    first, second = make_user("coordinator", "AM", name="Anna First"), make_user("coordinator", "AM", name="Boris Second")
    auth.login(first)
    page = client.get("/assessments/").get_data(as_text=True)
    assert "Anna First" in page and "Boris Second" not in page
    meta = re.search(r'<meta name="csrf-token" content="([^"]+)"', page).group(1)
    header_tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', page.split("<main", 1)[0]))
    assert header_tokens == {meta}
    assert 'name="next" value="/assessments/?"' in page
    with app.app_context():
        user = db.session.get(User, first.id)
        user.name = "Anna Renamed"
        db.session.get(Country, "AM").name_en = "Armenia (renamed)"
        db.session.commit()
    page = client.get("/assessments/?x=1").get_data(as_text=True)
    assert "Anna Renamed" in page and "Anna First" not in page and "Armenia (renamed)" in page
    assert 'name="next" value="/assessments/?x=1"' in page
    auth.logout()
    auth.login(second)
    page = client.get("/assessments/").get_data(as_text=True)
    assert "Boris Second" in page and "Anna" not in page.split("<main", 1)[0]
