"""A live server on a migrated SQLite file with demo data, and Playwright driving Debian's Chromium."""
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from app import create_app
from benchmarks.common import log_in
from tests.conftest import make_config

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"REQUIRE_BROWSER=1 but Chromium was not found at {CHROMIUM}")
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


def build_live_app(tmp_path):
    """A migrated SQLite database with countries and the demo data, as `make run` prepares it."""
    from flask_migrate import upgrade

    from app.services import countries, demo

    app = create_app(make_config(f"sqlite:///{tmp_path}/live.db", tmp_path, WTF_CSRF_ENABLED=True))
    with app.app_context():
        upgrade()
        countries.sync_countries()
        demo.seed_accounts()
    return app


class LiveServer:
    def __init__(self, app):
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._thread.join(timeout=5)
        self._server.server_close()
        with self.app.app_context():
            from app.extensions import db

            db.engine.dispose()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    with LiveServer(build_live_app(tmp_path_factory.mktemp("live"))) as server:
        yield server


def wait_saved(page) -> None:
    """Until the autosave says every change of the section is saved (nothing queued, sent or refused)."""
    page.wait_for_selector("#save-status[data-state=saved]")


def saving(key: str):
    """A predicate for page.expect_response: the answer to the autosave POST of one question."""
    return lambda response: response.request.method == "POST" and response.url.endswith(f"/answers/{key}")


login = log_in  # the login form, as the transfer benchmark fills it in (benchmarks.common)


def seed_comparison(live_server, tmp_path_factory, email: str, name: str, password: str):
    """The mini questionnaire, the assessments of `tests.test_dashboard_data.ANSWERS` with their scores, and an
    analyst (`email`, `password`) who may read them; returns the live server for the tests' fixture."""
    from app.extensions import db
    from app.services import accounts, scores
    from tests.test_dashboard_data import ANSWERS, add_assessment, load_mini

    with live_server.app.app_context():
        version = load_mini(tmp_path_factory.mktemp("questionnaires"))
        for (code, cycle), (answers, status) in ANSWERS.items():
            add_assessment(version, code, cycle, answers, status)
        db.session.commit()
        scores.recompute_all()
        accounts.create_user(email=email, name=name, role="analyst", password=password)
        db.session.remove()
    return live_server


def start_mini_draft(live_server, coordinator_email: str, cycle_label: str) -> int:
    """The id of a fresh draft of the mini questionnaire for Armenia in cycle `cycle_label`, started by the
    coordinator `coordinator_email` (the questionnaire is loaded on first use)."""
    from app.extensions import db
    from app.models import User
    from app.services import questionnaires
    from app.services.assessments import start_assessment
    from tests.conftest import DATA

    with live_server.app.app_context():
        if questionnaires.find_version("mini", "2026.1") is None:
            questionnaires.load_paths([f"{DATA}/mini-2026.1.yaml"])
        coordinator = db.session.scalar(db.select(User).where(User.email == coordinator_email))
        version = questionnaires.find_version("mini", "2026.1")
        return start_assessment(coordinator, "AM", version, cycle_label).id


def fill_and_submit(page, base_url: str, assessment_id: int) -> None:
    """As the country: answer every required question of the mini questionnaire through the autosave (legal.e-docs
    full with its evidence link, legal.e-signature yes, release.hours 3) and submit; asserts the status reads
    'Submitted' (English interface)."""
    page.goto(f"{base_url}/assessments/{assessment_id}/section/legal")
    page.check("#legal\\.e-docs-3")
    page.fill("#legal\\.e-docs-url", "https://law.example.am/45")
    page.check("#legal\\.e-signature-1")
    wait_saved(page)
    page.goto(f"{base_url}/assessments/{assessment_id}/section/release")
    with page.expect_response(saving("release.hours")):  # sent after the typing pause
        page.fill("#release\\.hours-value", "3")
    wait_saved(page)
    page.goto(f"{base_url}/assessments/{assessment_id}/submit")
    page.click("main form [type=submit]")
    assert page.inner_text("[data-testid=status]") == "Submitted"


def reply_to_flag_and_resubmit(page, base_url: str, assessment_id: int, reply: str) -> None:
    """As the country: answer the review flag on `release.hours` with `reply` and submit the assessment again;
    asserts the status reads 'Submitted' (English interface)."""
    page.goto(f"{base_url}/assessments/{assessment_id}/section/release")
    card = page.locator("#q-release\\.hours")
    card.locator("textarea[name=response]").fill(reply)
    card.locator(".review-flag button[type=submit]").click()
    page.goto(f"{base_url}/assessments/{assessment_id}/submit")
    page.click("main form [type=submit]")
    assert page.inner_text("[data-testid=status]") == "Submitted"
