"""WCAG 2.1 AA in a real browser: axe-core on every page, for every role, in both languages, at 1366 and
1024 px (no violation allowed), no horizontal scrolling at either width, and keyboard-only use of a section
page and a dashboard.

axe-core comes from npm (tests/browser/vendor/axe.min.js, MPL-2.0, licence beside it). It is never served
by the app: the test answers a request for /__axe__.js itself (page.route), so the page's CSP
(script-src 'self') stays exactly as users get it.

The crawler follows every same-site link of each page (no downloads, no POST), and checks each kind of
page once per assessment status (a draft, a returned and a validated assessment look different), so the
pages added later are checked without listing them here.
"""
from __future__ import annotations

import glob
import io
import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from app.extensions import db
from app.services.demo import DEMO_PASSWORD
from tests.browser.conftest import login

pytestmark = pytest.mark.browser

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
WIDTHS = (1366, 1024)
ROLES = {"respondent": "am.respondent@demo.example", "coordinator": "by.coordinator@demo.example",
         "analyst": "analyst@demo.example", "admin": "admin@demo.example"}
NOT_PAGES = re.compile(r"/logout|\.csv|\.xlsx|format=(?:csv|xlsx)|\.png|\.svg|/attachments/|/language/|/static/|/bootstrap/|"
                       r"/plotly|workbook")


@pytest.fixture(scope="module")
def demo_server(live_server):
    """The live server with the shipped questionnaires, the demo assessments and an evidence file."""
    import sqlalchemy as sa
    from werkzeug.datastructures import FileStorage

    from app.models import Assessment, User
    from app.services import attachments, demo, questionnaires
    from app.services.questionnaires import parsed

    root = Path(__file__).resolve().parents[2]
    with live_server.app.app_context():
        questionnaires.load_paths(sorted(glob.glob(str(root / "questionnaires" / "*" / "*.yaml"))))
        demo.seed_assessments()
        db.session.commit()
        returned = db.session.scalars(sa.select(Assessment).where(Assessment.status == "returned")).one()
        coordinator = db.session.scalars(sa.select(User).where(User.email == ROLES["coordinator"])).one()
        attachments.add(coordinator, returned, parsed(returned.questionnaire_version).questions[0].key,
                        FileStorage(io.BytesIO(b"%PDF-1.7 evidence"), filename="evidence.pdf"))
        db.session.remove()
    return live_server


def pattern(path: str) -> str:
    """The kind of page: keys of sections, questions and countries replaced; one variant with a query.

    Assessment ids stay: the crawl is given one assessment per status (a draft, a submitted, a returned and
    a validated assessment look different), and checks each kind of page of each of them.
    """
    parsed = urlparse(path)
    kind = re.sub(r"/(history|section|country|upload)/[^/]+", r"/\1/X", parsed.path)
    if parsed.query or "/history/" in kind:  # filter variants and histories look alike for every assessment
        return re.sub(r"/\d+", "/N", kind) + ("?" if parsed.query else "")
    return kind


def representatives() -> set[int]:
    """One assessment id per status (the first), as the pages of the assessments to check."""
    import sqlalchemy as sa

    from app.models import Assessment

    rows = db.session.execute(sa.select(sa.func.min(Assessment.id)).group_by(Assessment.status)).scalars()
    return set(rows)


def run_axe(page) -> list[dict]:
    page.add_script_tag(url=page.url.split("/", 3)[0] + "//" + urlparse(page.url).netloc + "/__axe__.js")
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
           .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                 nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))""", AXE_TAGS)


#: every drawn, visible chart is as wide as its box again (Plotly's responsive re-layout is done)
CHARTS_FIT = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).every(p =>
    !p.offsetParent || !p._fullLayout || Math.abs(p._fullLayout.width - p.getBoundingClientRect().width) < 2)"""


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (horizontal scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def check_page(page, label: str, problems: list[str]) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_function(CHARTS_FIT)  # responsive charts re-layout after a resize
        for violation in run_axe(page):
            problems.append(f"{label} @{width}px: {violation['id']} ({violation['impact']}): {violation['help']} "
                            f"-> {violation['nodes']}")
        if overflow(page) > 0:
            problems.append(f"{label} @{width}px: horizontal scrolling of {overflow(page)} px")
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def crawl(page, base: str, start: list[str], problems: list[str], label: str, ids: set[int]) -> list[str]:
    """Visit every same-site page reachable from start (assessment pages of `ids` only); axe each kind once."""
    queue, seen, kinds, checked = list(start), set(), set(), []
    while queue:
        path = queue.pop(0)
        if path in seen or NOT_PAGES.search(path):
            continue
        seen.add(path)
        kind = pattern(path)
        numbers = {int(n) for n in re.findall(r"/(?:assessments|review)/(\d+)", path)}
        if kind in kinds or not numbers <= ids:
            continue
        kinds.add(kind)
        response = page.goto(base + path)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        if page.locator("[data-figure]").count():
            page.wait_for_selector("[data-figure][data-drawn=true]", timeout=15000)
        check_page(page, f"{label} {path}", problems)
        checked.append(path)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))"):
            href = href.split("#")[0]
            if href.startswith("/") and not href.startswith("//") and href not in seen:
                queue.append(href)
    return checked


def new_page(browser, base: str, locale: str = "en-GB"):
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale=locale)
    page = context.new_page()
    page.route(base + "/__axe__.js", lambda route: route.fulfill(body=AXE_SOURCE, content_type="text/javascript"))
    return page


def switch_language(page, lang: str) -> None:
    if page.locator("html").get_attribute("lang") != lang:
        page.click(f"button[data-lang={lang}]")
        page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == lang


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_of_every_role_passes_axe_at_1366_and_1024_px(browser, demo_server, role, lang):
    base = demo_server.url
    page = new_page(browser, base)
    login(page, base, ROLES[role], DEMO_PASSWORD)
    switch_language(page, lang)
    problems: list[str] = []
    with demo_server.app.app_context():
        ids = representatives()
    checked = crawl(page, base, ["/", "/assessments/", "/dashboard/", "/exports/"], problems, f"{role}/{lang}", ids)
    page.context.close()
    assert len(checked) >= 10, checked  # the crawl really went through the app
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_pages_without_login_and_error_pages_pass_axe(browser, demo_server, lang):
    base = demo_server.url
    page = new_page(browser, base, locale="ru-RU" if lang == "ru" else "en-GB")
    problems: list[str] = []
    for path in ("/login", "/no/such/page"):
        page.goto(base + path)
        assert page.locator("html").get_attribute("lang") == lang
        check_page(page, f"anonymous/{lang} {path}", problems)
    login(page, base, ROLES["coordinator"], DEMO_PASSWORD)
    switch_language(page, lang)
    page.goto(base + "/assessments/999999")  # an error page with the navigation of a logged-in user
    check_page(page, f"coordinator/{lang} 404", problems)
    page.context.close()
    assert problems == [], "\n".join(problems)


def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement;
        return {tag: e.tagName, id: e.id, name: e.getAttribute('name'), text: (e.innerText || '').trim().slice(0, 60),
                inChart: !!e.closest('.chart'), visible: !!(e.offsetWidth || e.offsetHeight)}; }""")


def test_a_section_page_can_be_filled_in_with_the_keyboard_only(browser, demo_server):
    base = demo_server.url
    page = new_page(browser, base)
    login(page, base, "am.respondent@demo.example", DEMO_PASSWORD)
    switch_language(page, "en")
    page.goto(base + "/assessments/")
    page.click("[data-testid=assessment-list] a >> nth=0")
    overview = page.url
    page.goto(overview.rstrip("/") + "/section/legal")
    page.keyboard.press("Tab")
    assert focused(page)["text"] in ("Skip to content", "Перейти к содержанию")
    page.keyboard.press("Enter")  # the skip link moves focus past the navigation
    radios = page.locator("#section input[type=radio]:not([disabled])")
    first_key = radios.first.get_attribute("name").split(":")[0]
    for _ in range(60):
        page.keyboard.press("Tab")
        if (focused(page)["name"] or "").startswith(first_key + ":value"):
            break
    else:
        pytest.fail("Tab never reached the first answer of the section")
    before = page.evaluate("document.activeElement.value")
    page.keyboard.press("ArrowDown")  # a radio group: arrows choose the next option
    chosen = page.evaluate("document.activeElement.value")
    assert chosen != before and page.evaluate("document.activeElement.checked")
    page.wait_for_selector("#save-status[data-state=saved]", timeout=10000)
    page.wait_for_function("document.getElementById('section-progress-text').textContent.length > 0")
    page.reload()
    assert page.locator(f"input[name='{first_key}:value'][value='{chosen}']").is_checked()
    for _ in range(200):  # no trap: Tab goes on to the end of the page and leaves it
        page.keyboard.press("Tab")
        state = focused(page)
        if state["tag"] == "BODY" or "Next section" in state["text"] or "Следующий раздел" in state["text"]:
            break
    else:
        pytest.fail("Tab did not reach the end of the section page")
    page.context.close()


def test_a_dashboard_works_with_the_keyboard_and_the_chart_takes_no_focus(browser, demo_server):
    base = demo_server.url
    page = new_page(browser, base)
    login(page, base, ROLES["analyst"], DEMO_PASSWORD)
    switch_language(page, "en")
    page.goto(base + "/dashboard/")
    page.wait_for_selector("#radar[data-drawn=true]")
    stops = []
    for _ in range(80):
        page.keyboard.press("Tab")
        state = focused(page)
        assert not state["inChart"], f"focus went into the chart: {state}"
        assert state["visible"] or state["tag"] == "BODY", f"focus on an invisible element: {state}"
        stops.append(state)
        if state["tag"] == "BODY":
            break
    texts = [s["text"] for s in stops]
    assert "Download as PNG" in texts and "Apply" in texts
    # filters with the keyboard: untick a country with Space, apply with Enter
    page.focus("#f-country-AM")
    page.keyboard.press("Space")
    page.focus("form[data-testid=filters] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "country=AM" not in page.url and "country=BY" in page.url
    page.wait_for_selector("#radar[data-drawn=true]")
    page.focus(".chart-png[data-chart=radar]")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.path().read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert os.path.basename(download.value.suggested_filename) == "radar.png"
    page.context.close()
