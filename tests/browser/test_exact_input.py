"""Issue 10 in a real browser: a decimal comma in Russian, refusals that stay visible, a hung save."""
import itertools

import pytest

from app.extensions import db
from app.services.demo import DEMO_PASSWORD
from tests.browser.conftest import login, start_mini_draft

pytestmark = pytest.mark.browser
_cycles = itertools.count(2060)
RESPONDENT, COORDINATOR = "am.respondent@demo.example", "am.coordinator@demo.example"
HOURS = "#release\\.hours-value"


@pytest.fixture
def assessment(live_server):
    """A fresh draft of the mini questionnaire for Armenia, in a cycle of its own."""
    return start_mini_draft(live_server, COORDINATOR, str(next(_cycles)))


def stored(live_server, assessment_id: int, key: str):
    from app.models import Answer

    with live_server.app.app_context():
        answer = db.session.scalar(db.select(Answer).filter_by(assessment_id=assessment_id, question_key=key))
        return None if answer is None else (answer.value, answer.evidence_url, answer.revision)


def open_section(page, live_server, assessment_id: int, lang: str = "en") -> None:
    login(page, live_server.url, RESPONDENT, DEMO_PASSWORD)
    page.goto(f"{live_server.url}/assessments/{assessment_id}/section/release")
    if page.get_attribute("html", "lang") != lang:  # the choice is remembered for the user
        page.click(f"button[data-lang={lang}]")
        page.wait_for_selector(f"html[lang={lang}]")


def test_nine_comma_five_typed_in_russian_is_stored_as_nine_and_a_half(page, live_server, assessment):
    open_section(page, live_server, assessment, "ru")
    assert page.get_attribute(HOURS, "inputmode") == "decimal" and page.get_attribute(HOURS, "type") == "text"
    page.fill(HOURS, "9,5")
    page.wait_for_selector("#save-status[data-state=saved]")
    assert page.inner_text("#save-status") == "Все изменения сохранены"
    assert stored(live_server, assessment, "release.hours")[0] == "9.5"
    page.reload()
    assert page.input_value(HOURS) == "9,5"  # shown back with the Russian decimal mark


def test_an_ambiguous_number_is_refused_before_anything_is_sent(page, live_server, assessment):
    open_section(page, live_server, assessment)
    saves = []
    page.on("request", lambda request: saves.append(request.url) if "/answers/" in request.url else None)
    page.fill(HOURS, "1,500")
    page.wait_for_selector("#save-status[data-state=refused]")
    assert "thousands separator" in page.inner_text("#release\\.hours-value-error")
    assert page.get_attribute(HOURS, "aria-invalid") == "true" and page.input_value(HOURS) == "1,500"
    assert saves == [] and stored(live_server, assessment, "release.hours") is None
    page.fill(HOURS, "1500,5")  # now unambiguous, but above 720 hours
    page.wait_for_selector("#release\\.hours-value-error:has-text('range')")
    page.fill(HOURS, "15,5")
    page.wait_for_selector("#save-status[data-state=saved]")
    assert page.inner_text("#release\\.hours-value-error") == ""
    assert stored(live_server, assessment, "release.hours")[0] == "15.5"


def test_a_refused_link_keeps_its_text_says_not_saved_and_leaving_warns(page, live_server, assessment):
    open_section(page, live_server, assessment)
    page.click("#q-release\\.hours summary")
    page.fill("#release\\.hours-url", "javascript:alert(1)")
    page.wait_for_selector("#save-status[data-state=refused]")
    assert page.input_value("#release\\.hours-url") == "javascript:alert(1)"
    assert "http" in page.inner_text("#release\\.hours-url-error")
    assert stored(live_server, assessment, "release.hours") is None
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    with page.expect_event("dialog"):
        page.close(run_before_unload=True)
    assert dialogs == ["beforeunload"]
    # dismissed, the warning leaves the page open: close it without the handler before the context goes
    # (Chromium could crash closing a context whose page had just refused to unload, taking the browser
    # and the following tests with it)
    page.close()


def test_a_hung_save_times_out_and_is_sent_again(browser, live_server, assessment):
    context = browser.new_context()
    context.add_init_script("window.cmSaveTimeoutMs = 1500;")
    page = context.new_page()
    open_section(page, live_server, assessment)
    held = []
    page.route("**/answers/release.hours", lambda route: held.append(route))  # never answered
    page.fill(HOURS, "12")
    page.wait_for_selector("#save-status[data-state=offline]", timeout=10_000)
    assert held and stored(live_server, assessment, "release.hours") is None
    page.unroute("**/answers/release.hours")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector("#save-status[data-state=saved]")
    assert stored(live_server, assessment, "release.hours")[0] == "12"
    context.close()


def test_a_comment_has_a_visible_counter(page, live_server, assessment):
    open_section(page, live_server, assessment)
    page.click("#q-release\\.hours summary")
    page.fill("#release\\.hours-comment", "Statistics 2025")
    assert page.inner_text("#release\\.hours-comment-count").replace("\u00a0", " ").replace(",", " ") == "15 / 10 000"
