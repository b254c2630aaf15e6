"""A demo coordinator logs in with a real browser and sees the home page in both languages."""
import re

import pytest

from app.services.demo import DEMO_PASSWORD
from tests.browser.conftest import login

pytestmark = pytest.mark.browser


def test_a_demo_coordinator_logs_in_and_switches_to_russian(page, live_server):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    login(page, live_server.url, "am.coordinator@demo.example", DEMO_PASSWORD)
    assert page.locator("h1").inner_text() == "Welcome, Demo coordinator AM"
    assert "Armenia" in page.get_by_test_id("whoami").inner_text()
    page.click("button[data-lang=ru]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text() == "Здравствуйте, Demo coordinator AM"
    assert re.search("Координатор.*Армения", page.get_by_test_id("whoami").inner_text())
    assert errors == [], "the page logged errors (a CSP violation or a missing asset?)"


def test_a_wrong_password_keeps_the_visitor_on_the_login_page(page, live_server):
    login(page, live_server.url, "am.coordinator@demo.example", "wrong-password-123")
    assert "Wrong e-mail or password" in page.locator(".alert").inner_text()
