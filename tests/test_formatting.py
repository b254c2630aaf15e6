"""One human-readable size formatter, error pages that keep the navigation and state the limit."""
import io

import pytest

from app.formatting import human_size, sentence


@pytest.mark.parametrize("size, english", [(0, "0 bytes"), (1, "1 byte"), (193, "193 bytes"), (1023, "1023 bytes"),
                                           (1024, "1.0 KB"), (1536, "1.5 KB"), (200 * 1024, "200 KB"),
                                           (10 * 1024 * 1024, "10 MB"), (1024 * 1024 + 1, "1.0 MB")])
def test_sizes_read_as_people_write_them(app, size, english):
    with app.test_request_context():
        assert human_size(size) == english


def test_sizes_are_in_russian_for_russian_readers(app):
    with app.test_request_context(headers={"Accept-Language": "ru"}):
        assert human_size(193) == "193 байта"
        assert human_size(1536) == "1,5 КБ"


def test_a_message_shown_alone_starts_with_a_capital():
    assert sentence("the revision column was changed") == "The revision column was changed"
    assert sentence("") == ""


def test_an_upload_over_the_limit_keeps_the_navigation_states_the_limit_and_offers_a_way_back(
        app, client, auth, make_user, start):
    app.config["MAX_CONTENT_LENGTH"] = 2048
    coordinator = make_user("coordinator", "AM")
    assessment = start(coordinator)
    auth.login(coordinator)
    referrer = f"http://localhost/assessments/{assessment}/section/legal"
    response = client.post(f"/assessments/{assessment}/answers/legal.e-docs/attachments",
                           data={"file": (io.BytesIO(b"x" * 5000), "big.pdf")}, content_type="multipart/form-data",
                           headers={"Referer": referrer, "Accept": "text/html,*/*"})
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "allowed maximum of 2.0 KB" in page
    assert 'id="mainnav"' in page and "/assessments/" in page
    assert f'href="{referrer}"' in page


def test_an_error_page_for_a_browser_is_html_even_when_it_accepts_anything(client):
    response = client.get("/no/such/page", headers={"Accept": "*/*"})
    assert response.status_code == 404 and response.mimetype == "text/html"


def test_an_attachment_of_193_bytes_is_listed_as_193_bytes(app, client, auth, make_user, start):
    coordinator = make_user("coordinator", "AM")
    assessment = start(coordinator)
    auth.login(coordinator)
    client.post(f"/assessments/{assessment}/answers/legal.e-docs/attachments",
                data={"file": (io.BytesIO(b"%PDF-1.7" + b"x" * 185), "law.pdf")}, content_type="multipart/form-data")
    page = client.get(f"/assessments/{assessment}/section/legal").get_data(as_text=True)
    assert "(193 bytes)" in page and "0 KB" not in page


def test_a_refused_post_to_its_own_page_offers_that_page_again(app, client, auth, make_user, start):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    coordinator = make_user("coordinator", "AM")
    assessment = start(coordinator)
    auth.login(coordinator)
    form = f"http://localhost/assessments/{assessment}/upload"
    response = client.post(f"/assessments/{assessment}/upload", data={"file": (io.BytesIO(b"x" * 3000), "a.csv")},
                           content_type="multipart/form-data", headers={"Referer": form, "Accept": "text/html"})
    assert response.status_code == 413 and f'href="{form}"' in response.get_data(as_text=True)
