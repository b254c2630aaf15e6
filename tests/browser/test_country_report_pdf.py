"""The country report prints on A4 with Chromium (page.pdf()): three pages, one per part, with the text
there, in English and in Russian."""
import io

import pytest
from pypdf import PdfReader

from tests.browser.conftest import login, seed_comparison

pytestmark = pytest.mark.browser
PASSWORD = "Browser-Analyst-2026!"
EMAIL = "report.analyst@example.org"
REPORT = "/dashboard/country/AM/report?questionnaire=mini-maturity@2026.1&cycle=2025"
A4_POINTS = (595, 842)


@pytest.fixture(scope="module")
def report_data(live_server, tmp_path_factory):
    return seed_comparison(live_server, tmp_path_factory, EMAIL, "Report analyst", PASSWORD)


def printed(page, server, lang: str) -> PdfReader:
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    login(page, server.url, EMAIL, PASSWORD)
    if page.locator(f"button[data-lang={lang}]").count():
        page.click(f"button[data-lang={lang}]")
        page.wait_for_load_state()
    page.goto(server.url + REPORT)
    page.wait_for_selector("#report-radar[data-drawn=true]")
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    assert errors == [], "the report logged errors (a CSP violation or a missing asset?)"
    return reader


def texts(reader: PdfReader) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in reader.pages]


def test_the_report_prints_on_three_a4_pages_in_english(page, report_data):
    reader = printed(page, report_data, "en")
    assert len(reader.pages) == 3
    # A4 is 595.3 x 841.9 points; Chromium rounds the page box up to whole CSS pixels
    assert all(abs(float(p.mediabox.width) - A4_POINTS[0]) < 2 and abs(float(p.mediabox.height) - A4_POINTS[1]) < 2
               for p in reader.pages)
    first, second, third = texts(reader)
    assert "Digital customs maturity: Armenia" in first and "87.5" in first
    assert "EEU average" in first and "Levels and evidence coverage by dimension" in first
    assert "Digital Customs Maturity Dashboards" not in first  # the navigation bar is not printed
    assert "The way to the next level" in second and "0.30 weighted points lacking" in second
    assert "Performance indicators" in third and "How to read this report" in third


def test_the_report_prints_in_russian(page, report_data):
    reader = printed(page, report_data, "ru")
    assert len(reader.pages) == 3
    first, second, third = texts(reader)
    assert "Зрелость цифровой таможни: Армения" in first and "Среднее по ЕАЭС" in first
    assert "Путь к следующему уровню" in second
    assert "Как читать этот отчёт" in third
