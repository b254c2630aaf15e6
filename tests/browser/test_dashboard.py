"""An analyst opens the comparison in a real browser: the radar is drawn, one trace per country and the EEU
average, in both
languages, with no Content-Security-Policy violation, and the chart downloads as a PNG."""
import pytest

from tests.browser.conftest import login, seed_comparison

pytestmark = pytest.mark.browser
PASSWORD = "Browser-Analyst-2026!"
EMAIL = "dashboard.analyst@example.org"
COMPARISON = "/dashboard/?questionnaire=mini-maturity@2026.1&status=submitted"


@pytest.fixture(scope="module")
def dashboard_data(live_server, tmp_path_factory):
    """The test's own questionnaire, assessments (AM, BY validated; KZ submitted) and analyst."""
    return seed_comparison(live_server, tmp_path_factory, EMAIL, "Dashboard analyst", PASSWORD)


def open_comparison(page, server, errors):
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    login(page, server.url, EMAIL, PASSWORD)
    page.goto(server.url + COMPARISON)
    page.wait_for_selector("#radar[data-drawn=true]")


def test_the_radar_is_drawn_with_one_trace_per_country_in_english(page, dashboard_data):
    errors = []
    open_comparison(page, dashboard_data, errors)
    assert page.locator("#radar svg.main-svg").count() >= 1
    assert page.locator("#radar .polarlayer g.trace").count() == 4
    legend = page.locator("#radar .legend .legendtext").all_text_contents()
    assert legend == ["Armenia", "Belarus", "Kazakhstan", "EEU average (mean of the 3 countries shown)"]
    assert "Legal framework" in page.locator("#radar .angularaxistick").all_text_contents()
    assert page.locator("#heatmap[data-drawn=true] .heatmaplayer").count() == 1
    assert errors == [], "the page logged errors (a CSP violation or a missing asset?)"


def test_the_radar_speaks_russian_after_switching_the_language(page, dashboard_data):
    errors = []
    open_comparison(page, dashboard_data, errors)
    page.click("button[data-lang=ru]")
    page.wait_for_selector("#radar[data-drawn=true]")
    assert page.locator("#radar .polarlayer g.trace").count() == 4
    assert page.locator("#radar .legend .legendtext").all_text_contents() == [
        "Армения", "Беларусь", "Казахстан", "Среднее по ЕАЭС (среднее показанных стран: 3)"]
    assert "Правовая основа" in page.locator("#radar .angularaxistick").all_text_contents()
    camera = page.locator("#radar .modebar-btn[data-val=png], #radar .modebar-btn[data-title*=PNG]").first
    assert camera.get_attribute("data-title") == "Скачать график в формате PNG"
    assert errors == []


def test_a_chart_downloads_as_png(page, dashboard_data):
    errors = []
    open_comparison(page, dashboard_data, errors)
    page.hover("#radar")
    with page.expect_download() as download:
        page.locator("#radar .modebar-btn[data-title*=PNG]").first.click()
    assert download.value.suggested_filename == "radar.png"
    assert download.value.path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert errors == []
