"""A cycle run end to end in a real browser: open, fill, submit late, remind, return, notify, validate, close."""
from datetime import timedelta

import pytest

from app.extensions import db
from app.services.demo import DEMO_PASSWORD
from tests.browser.conftest import fill_and_submit, login, reply_to_flag_and_resubmit
from tests.conftest import DATA
from tests.smtp_sink import configure_mail, smtp_sink  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser
ANALYST, AM_COORD, AM_RESP, BY_COORD = ("analyst@demo.example", "am.coordinator@demo.example",
                                        "am.respondent@demo.example", "by.coordinator@demo.example")


def _today(app):
    from app.services import cycles

    with app.app_context():
        return cycles.deadlines.local_today(cycles.now(), cycles.time_zone())


def _page(browser, live_server, email):
    page = browser.new_context().new_page()
    login(page, live_server.url, email, DEMO_PASSWORD)
    return page


def _bell(page) -> str:
    badge = page.locator("[data-testid=unread-count]")
    return badge.inner_text() if badge.count() else "0"


def test_a_cycle_from_opening_to_closing(browser, live_server, smtp_sink):
    app, base = live_server.app, live_server.url
    sink, port = smtp_sink
    configure_mail(app, port)
    with app.app_context():
        from app.services import questionnaires

        if questionnaires.find_version("mini", "2026.1") is None:
            questionnaires.load_paths([f"{DATA}/mini-2026.1.yaml"])
    today = _today(app)

    # Open: the analyst opens a cycle whose submission deadline was yesterday, with drafts for the EEU members.
    analyst = _page(browser, live_server, ANALYST)
    analyst.goto(f"{base}/cycles/new")
    analyst.fill("#label", "E2E")
    analyst.select_option("#questionnaire", label="Mini questionnaire (2026.1)")
    analyst.fill("#submission_deadline", (today - timedelta(days=1)).isoformat())
    analyst.fill("#review_deadline", (today + timedelta(days=30)).isoformat())
    assert analyst.is_checked("input[name=countries][value=AM]") and analyst.is_checked("#create_drafts")
    analyst.click("[data-testid=open-cycle] [type=submit]")
    assert "Cycle E2E was opened: 5 draft(s) started" in analyst.inner_text("main")

    # Fill and submit late: the Armenian coordinator sees the overdue deadline on the home page.
    country = _page(browser, live_server, AM_COORD)
    own = country.locator("[data-cycle=E2E] [data-testid=own-deadline]")
    assert "Overdue by 1 day" in own.inner_text()
    own.locator("a", has_text="Open").click()
    assessment = int(country.url.rstrip("/").split("/")[-1])
    fill_and_submit(country, base, assessment)
    country.goto(f"{base}/")
    assert "Submitted late" in country.locator("[data-cycle=E2E] [data-testid=own-deadline]").inner_text()

    # Remind: the timer's `flask notifications send-due` reminds the countries that have not submitted.
    result = app.test_cli_runner().invoke(args=["notifications", "send-due"])
    assert "E2E\tBY\toverdue\t1 recipient(s)" in result.output and "\tAM\t" not in result.output
    assert "reminders sent: 0" in app.test_cli_runner().invoke(args=["notifications", "send-due"]).output
    belarus = _page(browser, live_server, BY_COORD)
    assert _bell(belarus) == "1"
    belarus.click("[data-testid=bell]")
    assert "Submission overdue: Belarus, cycle E2E" in belarus.inner_text("[data-testid=notifications]")

    # Return: the analyst is told of the late submission, opens it from the list, flags and returns it.
    analyst.goto(f"{base}/notifications/")
    submitted = analyst.locator("[data-kind=submitted]", has_text="Armenia, cycle E2E")
    assert "It was submitted after the submission deadline" in submitted.inner_text()
    submitted.locator("button", has_text="Open").click()
    assert analyst.url.endswith(f"/review/{assessment}")
    flag = analyst.locator("#q-release\\.hours")
    flag.locator("summary").click()
    flag.locator("textarea[name=comment]").fill("Please give the source of the 3 hours.")
    flag.locator("button[type=submit]").click()
    analyst.click("[data-testid=return]")  # a confirmation step lists the flags that go back
    analyst.check("#confirm")
    analyst.click("main form [type=submit]")
    assert analyst.inner_text("[data-testid=status]") == "Returned"

    # Notify: the coordinator reads it in Russian, in the app and by e-mail; replies and submits again.
    country.goto(f"{base}/")
    assert _bell(country) == "1"
    country.click("button[data-lang=ru]")
    country.click("[data-testid=bell]")
    returned = country.locator("[data-kind=returned]")
    assert "Оценка возвращена на доработку: Армения, цикл E2E" in returned.inner_text()
    assert "Please give the source of the 3 hours." in returned.inner_text()
    sink.wait_for(1)
    mails = sink.to(AM_COORD)
    assert mails and "Please give the source of the 3 hours." in mails[-1].get_content()
    returned.locator("button").click()  # opens the assessment and marks it read
    assert _bell(country) == "0"
    country.click("button[data-lang=en]")
    reply_to_flag_and_resubmit(country, base, assessment, "Customs statistics 2025, table 4.")

    # Validate: the analyst sees the reply among the notifications and validates; the country is told.
    analyst.goto(f"{base}/notifications/")
    assert "Customs statistics 2025, table 4." in analyst.inner_text("[data-kind=flag_answered]")
    analyst.goto(f"{base}/review/{assessment}")
    analyst.click("[data-testid=validate]")  # the answered flag needs a reason before validating
    analyst.locator("main form textarea").first.fill("The source is given.")
    analyst.check("#confirm")
    analyst.click("main form [type=submit]")
    assert analyst.inner_text("[data-testid=status]") == "Validated"
    respondent = _page(browser, live_server, AM_RESP)
    respondent.click("[data-testid=bell]")
    assert "Assessment validated: Armenia, cycle E2E" in respondent.inner_text("[data-testid=notifications]")

    # Close: with Kazakhstan still under review, closing asks for confirmation first.
    _submit_kazakhstan(app)
    analyst.goto(f"{base}/dashboard/overview?questionnaire=mini@2026.1&cycle=E2E&status=submitted")
    table = analyst.locator("[data-testid=overview-table]")
    assert "Submitted late" in table.locator("tr[data-country=AM]").inner_text()
    assert "Overdue by 1 day" in table.locator("tr[data-country=BY]").inner_text()
    analyst.goto(f"{base}/cycles/")
    analyst.click("[data-testid=close-E2E]")
    assert "Kazakhstan" in analyst.inner_text("[data-testid=under-review]")
    analyst.click("[data-testid=confirm-close]")
    assert "Cycle E2E was closed." in analyst.inner_text("main")
    assert analyst.locator("tr[data-cycle=E2E]").get_attribute("data-status") == "closed"


def _submit_kazakhstan(app):
    from app.models import Assessment, User
    from app.services import workflow
    from app.services.assessments import save_answer
    from tests.cycle_helpers import COMPLETE

    with app.app_context():
        coordinator = db.session.scalar(db.select(User).where(User.email == "kz.coordinator@demo.example"))
        item = db.session.scalar(db.select(Assessment).where(Assessment.cycle == "E2E", Assessment.country_code == "KZ"))
        for key, changes in COMPLETE:
            save_answer(coordinator, item, key, changes, None)
        assert workflow.submit(coordinator, item) == []
