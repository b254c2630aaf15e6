"""One safe-redirect check for every `next`: the language switch, the login and the second-factor step."""
import pytest

from app.redirects import is_safe_path
from app.request_guard import MAX_ARG_LENGTH
from tests.conftest import PASSWORD

TRICKY = [
    "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "\t//evil.example", "/ /evil.example",
    "//evil.example", "///evil.example", "////evil.example/path", "/\\evil.example", "\\\\evil.example",
    "\\/evil.example", "/\\/evil.example", "/%2F/evil.example", "/%2f%2fevil.example", "%2F%2Fevil.example",
    "/%5Cevil.example", "/%5c%5cevil.example", "/%09/evil.example", "/%0d%0a/evil.example", "/%252F%252Fevil.example",
    "/%00/evil.example", "/\x00/evil.example", "/\x7f/evil.example", "https://evil.example/", "http:/evil.example",
    "HTTPS://evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>",
    "evil.example", "@evil.example", " https://evil.example", "", "/" + "a" * 2100,
]
SAFE = ["/", "/assessments/", "/assessments/3/section/legal?x=1#q-legal.e-docs", "/dashboard/?country=AM",
        "/a/%D0%BF%D1%83%D1%82%D1%8C"]


@pytest.mark.parametrize("target", TRICKY)
def test_tricky_values_are_not_safe(target):
    assert not is_safe_path(target)


@pytest.mark.parametrize("target", SAFE)
def test_local_paths_are_safe(target):
    assert is_safe_path(target)


def test_non_strings_are_not_safe():
    assert not any(is_safe_path(value) for value in (None, 1, ["/"], b"/"))


@pytest.mark.parametrize("target", TRICKY)
def test_the_language_switch_never_leaves_the_site(client, target):
    response = client.post("/language/en", data={"next": target})
    if "\x00" in target:
        assert response.status_code == 400  # NUL is refused before any view runs (issue 10, app/request_guard.py)
        return
    assert response.status_code == 302 and response.location == "/"


@pytest.mark.parametrize("target", SAFE)
def test_the_language_switch_returns_to_the_page(client, target):
    assert client.post("/language/ru", data={"next": target}).location == target


def test_login_never_leaves_the_site(client, make_user):
    user = make_user("analyst")
    for target in TRICKY:
        response = client.post("/login", query_string={"next": target},
                               data={"email": user.email, "password": PASSWORD})
        if "\x00" in target or len(target) > MAX_ARG_LENGTH:
            assert response.status_code == 400  # refused before any view runs (issue 10, app/request_guard.py)
            continue
        assert response.status_code == 302 and response.location == "/", target
        client.post("/logout")


def test_the_second_factor_step_never_leaves_the_site(app, client, make_user, totp_code):
    import pyotp

    from app.extensions import db
    from app.models import User

    user = make_user("analyst")
    secret = pyotp.random_base32()
    with app.app_context():
        db.session.get(User, user.id).totp_secret = secret
        db.session.commit()
    client.post("/login", query_string={"next": "/\t/evil.example"}, data={"email": user.email, "password": PASSWORD})
    response = client.post("/login/verify", data={"code": totp_code(secret)})
    assert response.status_code == 302 and response.location == "/"


def _as_a_browser_reads_it(target: str) -> str:
    """What a WHATWG URL parser does before finding the host: drop tabs and line breaks, read \\ as /."""
    from urllib.parse import unquote

    cleaned = "".join(ch for ch in target if ch not in "\t\n\r").replace("\\", "/").strip("\x00 ")
    return unquote(cleaned)


def test_no_accepted_value_leads_to_another_host():
    from urllib.parse import urlsplit

    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(["/", "//", "\\", "\t", "\r", "\n", "%2F", "%5C", "%09", "%25", "evil.example", ":",
                              "@", "?", "#", "http:", " ", "\x00", ".", "a", "й"])

    @settings(max_examples=400, deadline=None)
    @given(st.lists(pieces, max_size=8).map("".join) | st.text(max_size=30))
    def check(target):
        if is_safe_path(target):
            seen = urlsplit(_as_a_browser_reads_it(target))
            assert not seen.scheme and not seen.netloc and seen.path.startswith("/"), target

    check()


def test_a_link_back_is_the_local_path_of_a_referrer_on_this_site_only():
    from app.redirects import local_path

    assert local_path("http://host/assessments/3?tab=a", "http://host/") == "/assessments/3?tab=a"
    assert local_path("http://host/", "http://host/") == "/"
    assert local_path("http://other/assessments/3", "http://host/") is None
    assert local_path("http://host//evil.example/", "http://host/") is None
    assert local_path("http://host/%5Cevil.example", "http://host/") is None
    assert local_path(None, "http://host/") is None


def test_an_error_page_links_back_only_to_a_page_of_this_site(client):
    page = client.get("/no-such-page", headers={"Referer": "http://localhost/login?next=/x"}).get_data(as_text=True)
    assert 'href="http://localhost/login?next=/x" data-testid="error-back"' in page
    for referrer in ("http://evil.example/", "http://localhost//evil.example/", "http://localhost/no-such-page"):
        page = client.get("/no-such-page", headers={"Referer": referrer}).get_data(as_text=True)
        assert 'data-testid="error-back"' not in page, referrer
