"""Analyst views in a real browser: the measures tracker (matrix, a cell's criteria) and the trends page's
"comparable criteria only" switch, in English and Russian, with no Content-Security-Policy violation."""
import pytest

from app.extensions import db
from app.services import accounts, scores
from tests.browser.conftest import login
from tests.test_comparable_trends import add_weight_change
from tests.test_measures_tracker import add_tracker

pytestmark = pytest.mark.browser
PASSWORD = "Browser-Analyst-2026!"
EMAIL = "views.analyst@example.org"


def seed_views(app, folder) -> None:
    """The tracker questionnaire (AM, BY) and two mini versions where legal.b changes weight (AM 2025, 2026)."""
    with app.app_context():
        add_tracker(folder)
        add_weight_change(folder)
        db.session.commit()
        scores.recompute_all()
        accounts.create_user(email=EMAIL, name="Views analyst", role="analyst", password=PASSWORD)
        db.session.remove()


@pytest.fixture(scope="module")
def views(live_server, tmp_path_factory):
    seed_views(live_server.app, tmp_path_factory.mktemp("questionnaires"))
    return live_server


def start(page, server, errors):
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    login(page, server.url, EMAIL, PASSWORD)
    if page.locator("button[data-lang=en]").count():  # a test before may have left the account in Russian
        page.click("button[data-lang=en]")
        page.wait_for_load_state()


def test_the_measures_tracker_draws_the_matrix_and_a_cell_opens_its_criteria(page, views):
    errors = []
    start(page, views, errors)
    page.goto(views.url + "/dashboard/measures?questionnaire=tracker-mini@2026.1")
    page.wait_for_selector("#measures[data-drawn=true]")
    assert page.locator("#measures .heatmaplayer").count() == 1
    assert page.locator("[data-testid=measures-table] td").count() == 6
    page.click("[data-testid='cell-1.1-AM'] a")
    page.wait_for_selector("[data-testid=measure-detail]")
    assert "measure=1.1" in page.url and "cell=AM" in page.url
    detail = page.locator("[data-testid=measure-detail]").inner_text()
    assert "Measure 1.1 in Armenia" in detail and "Fully implemented" in detail
    assert page.locator("[data-testid=criterion]").count() == 2
    page.click("button[data-lang=ru]")
    page.wait_for_selector("#measures[data-drawn=true]")
    assert "Реализована · 100%" in page.locator("[data-testid='cell-2.1-AM']").inner_text()
    assert "Мера 1.1: Армения" in page.locator("[data-testid=measure-detail]").inner_text()
    assert errors == [], "the page logged errors (a CSP violation or a missing asset?)"


def test_the_comparable_switch_recomputes_the_trend_and_says_on_how_many_criteria(page, views):
    errors = []
    start(page, views, errors)
    page.goto(views.url + "/dashboard/trends?questionnaire=mini-maturity@2026.2&country=AM")
    page.wait_for_selector("#trend-index[data-drawn=true]")
    full = page.evaluate("document.getElementById('trend-index').data[0].y")
    assert full == [87.5, 62.5]
    page.check("#f-comparable")
    page.click("[data-testid=filters] button[type=submit]")
    page.wait_for_selector("#trend-index[data-drawn=true]")
    assert "comparable=1" in page.url
    assert page.evaluate("document.getElementById('trend-index').data[0].y") == [100, 100]
    assert "3 criteria" in page.locator("[data-testid=comparable-note]").inner_text()
    page.click("button[data-lang=ru]")
    page.wait_for_selector("#trend-index[data-drawn=true]")
    assert page.is_checked("#f-comparable")
    assert "по 3 критериям" in page.locator("[data-testid=comparable-note]").inner_text()
    assert errors == []
