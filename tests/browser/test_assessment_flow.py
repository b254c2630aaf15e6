"""Officials fill in a section in a real browser: autosave, reload, conflicts, offline, review cycle."""
import itertools

import pytest

from app.extensions import db
from app.services.demo import DEMO_PASSWORD
from tests.browser.conftest import (fill_and_submit, login, reply_to_flag_and_resubmit, saving, start_mini_draft,
                                   wait_saved)

pytestmark = pytest.mark.browser
_cycles = itertools.count(2030)
RESPONDENT, COORDINATOR, ANALYST = ("am.respondent@demo.example", "am.coordinator@demo.example",
                                    "analyst@demo.example")


@pytest.fixture
def assessment(live_server):
    """A fresh draft of the mini questionnaire for Armenia, in a cycle of its own."""
    return start_mini_draft(live_server, COORDINATOR, str(next(_cycles)))


def _section(page, base, assessment, dimension="legal"):
    page.goto(f"{base}/assessments/{assessment}/section/{dimension}")


def test_a_respondent_fills_in_a_section_and_sees_the_values_after_reload(page, live_server, assessment):
    login(page, live_server.url, RESPONDENT, DEMO_PASSWORD)
    _section(page, live_server.url, assessment)
    page.check("#legal\\.e-docs-3")  # "Full"
    page.wait_for_selector("#q-legal\\.e-signature:not(.d-none)")  # skip logic shows the follow-up
    with page.expect_response(saving("legal.e-docs")):  # sent after the typing pause
        page.fill("#legal\\.e-docs-comment", "Law No. 45 of 2024, article 3")
    wait_saved(page)
    page.check("#legal\\.e-signature-1")  # "Yes": a second radio group on the same page
    wait_saved(page)
    page.reload()
    assert page.is_checked("#legal\\.e-docs-3") and page.is_checked("#legal\\.e-signature-1")
    assert page.input_value("#legal\\.e-docs-comment") == "Law No. 45 of 2024, article 3"
    assert page.inner_text(".section-progress[data-dimension=legal]") == "100 %"


def test_two_people_editing_the_same_answer_see_the_conflict_and_lose_nothing(browser, live_server, assessment):
    first, second = browser.new_context(), browser.new_context()
    a, b = first.new_page(), second.new_page()
    login(a, live_server.url, RESPONDENT, DEMO_PASSWORD)
    login(b, live_server.url, COORDINATOR, DEMO_PASSWORD)
    _section(a, live_server.url, assessment)
    _section(b, live_server.url, assessment)
    a.check("#legal\\.e-docs-2")  # Partial
    wait_saved(a)
    b.check("#legal\\.e-docs-3")  # Full, based on the stale revision
    b.wait_for_selector("#save-status[data-state=conflict]")
    panel = b.locator("#q-legal\\.e-docs .conflict-panel")
    assert "Partial" in panel.locator(".theirs").inner_text()
    assert "Full" in panel.locator(".mine").inner_text()
    b.click("#q-legal\\.e-docs .keep-mine")
    wait_saved(b)
    a.reload()
    assert a.is_checked("#legal\\.e-docs-3")
    first.close()
    second.close()


def test_an_edit_made_offline_is_saved_when_the_connection_returns(browser, live_server, assessment):
    context = browser.new_context()
    page = context.new_page()
    login(page, live_server.url, RESPONDENT, DEMO_PASSWORD)
    _section(page, live_server.url, assessment, "release")
    context.set_offline(True)
    page.fill("#release\\.hours-value", "12")
    page.wait_for_selector("#save-status[data-state=offline]")
    pending = page.evaluate(f"localStorage.getItem('cm:pending:{assessment}')")
    assert '"12"' in pending
    context.set_offline(False)
    wait_saved(page)
    page.reload()
    assert page.input_value("#release\\.hours-value") == "12"
    context.close()


def test_the_full_cycle_submit_flag_return_answer_validate(browser, live_server, assessment):
    country = browser.new_context().new_page()
    login(country, live_server.url, COORDINATOR, DEMO_PASSWORD)
    fill_and_submit(country, live_server.url, assessment)

    analyst = browser.new_context().new_page()
    login(analyst, live_server.url, ANALYST, DEMO_PASSWORD)
    analyst.goto(f"{live_server.url}/review/{assessment}")
    flag = analyst.locator("#q-release\\.hours")
    flag.locator("summary").click()
    flag.locator("textarea[name=comment]").fill("Please give the source of the 3 hours.")
    flag.locator("button[type=submit]").click()
    analyst.click("[data-testid=return]")  # a confirmation step: the flags going back are listed
    assert "Please give the source of the 3 hours." in analyst.inner_text("[data-testid=flags-to-return]")
    analyst.check("#confirm")
    analyst.click("main form [type=submit]")
    assert analyst.inner_text("[data-testid=status]") == "Returned"

    _section(country, live_server.url, assessment, "release")
    assert "Please give the source" in country.locator("#q-release\\.hours").inner_text()
    reply_to_flag_and_resubmit(country, live_server.url, assessment, "Customs statistics 2025, table 4.")

    analyst.goto(f"{live_server.url}/review/{assessment}")
    assert "Customs statistics 2025, table 4." in analyst.inner_text("main")
    analyst.click("[data-testid=validate]")
    assert "Customs statistics 2025, table 4." in analyst.inner_text("[data-testid=unresolved-flags] ~ fieldset")
    analyst.check("#confirm")
    analyst.click("main form [type=submit]")  # not sent: the answered flag needs a reason first
    assert analyst.inner_text("[data-testid=status]") == "Submitted"
    analyst.locator("main form textarea").first.fill("The source is given; accepted.")
    analyst.check("#confirm")
    analyst.click("main form [type=submit]")
    assert analyst.inner_text("[data-testid=status]") == "Validated"
    analyst.go_back()  # the confirmation page again, saying there is nothing left to confirm: no resubmission
    assert analyst.locator("[data-testid=not-submitted]").count() == 1


def test_an_edit_made_after_the_session_ended_is_kept_and_saved_after_login(browser, live_server, assessment):
    context = browser.new_context()
    page = context.new_page()
    login(page, live_server.url, RESPONDENT, DEMO_PASSWORD)
    _section(page, live_server.url, assessment, "release")
    _end_sessions(live_server, RESPONDENT)  # as after the idle timeout or a password change
    page.fill("#release\\.hours-value", "30")
    page.wait_for_selector("#save-status[data-state=session]")
    login(page, live_server.url, RESPONDENT, DEMO_PASSWORD)
    _section(page, live_server.url, assessment, "release")
    wait_saved(page)
    page.reload()
    assert page.input_value("#release\\.hours-value") == "30"
    assert page.evaluate(f"localStorage.getItem('cm:pending:{assessment}')") == "{}"
    context.close()


def _end_sessions(live_server, email: str) -> None:
    """Invalidate the user's sessions on the server side, as a password change does."""
    from app.models import User

    with live_server.app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == email))
        user.session_token = f"ended-{next(_cycles)}"
        db.session.commit()


def test_a_follow_up_answered_right_after_its_condition_is_saved_too(page, live_server, assessment):
    login(page, live_server.url, RESPONDENT, DEMO_PASSWORD)
    _section(page, live_server.url, assessment)
    page.check("#legal\\.e-docs-3")  # shows the follow-up question...
    page.check("#legal\\.e-signature-1")  # ...which is answered before the first save has returned
    wait_saved(page)
    page.reload()
    assert page.is_checked("#legal\\.e-docs-3") and page.is_checked("#legal\\.e-signature-1")
    assert page.inner_text("#q-legal\\.e-signature .question-status") == ""
