"""The trends page's "comparable criteria only" switch recomputes every cycle on the shared criteria.

Mini maturity 2026.1 -> 2026.2: legal.b's weight goes from 1 to 3, so it is no longer comparable;
legal.a, tech.a and tech.b are (tech.c is a text question: never scored). AM's answers differ only in
legal.b: 2025 (2026.1) partial, 2026 (2026.2) none.
- full: 2025 legal (2 + 1) / 4 = 75, tech 100 -> 87.5;  2026 legal (1 + 0) / 4 = 25, tech 100 -> 62.5
- comparable: legal.a only -> legal 100, tech 100 -> 100 in both cycles
"""
import json
import re

import pytest

from app.extensions import db
from app.services import scores
from tests.test_dashboard_data import add_assessment, load_mini, mini_text

ANSWERS = {"legal.a": "full", "tech.a": "yes", "tech.b": "2"}


def add_weight_change(folder) -> None:
    """Mini 2026.1 and 2026.2 (legal.b's weight 1 -> 3) with AM's validated 2025 and 2026 assessments of the
    module docstring; inside an app context, not committed."""
    first = load_mini(folder)
    second = load_mini(folder, "2026.2", mini_text("2026.2").replace(
        "{key: legal.b, stage: electronic, type: scale, scale: impl,",
        "{key: legal.b, stage: electronic, type: scale, scale: impl, weight: 3,"))
    add_assessment(first, "AM", "2025", {**ANSWERS, "legal.b": "partial"}, "validated")
    add_assessment(second, "AM", "2026", {**ANSWERS, "legal.b": "none"}, "validated")


@pytest.fixture
def two_versions(app, countries, tmp_path):
    with app.app_context():
        add_weight_change(tmp_path)
        db.session.commit()
        scores.recompute_all()


def index_trace(html: str) -> list:
    figure = json.loads(re.search(r'id="trend-index-data">(.*?)</script>', html, re.S).group(1))
    return [(trace["name"], trace["x"], trace["y"]) for trace in figure["data"]]


def test_the_switch_recomputes_the_index_on_the_shared_criteria_and_says_how_many(
        client, two_versions, make_user, auth):
    auth.login(make_user("analyst"))
    full = client.get("/dashboard/trends?country=AM").get_data(as_text=True)
    assert index_trace(full) == [("Armenia", ["2025", "2026"], [87.5, 62.5])]
    assert 'data-testid="comparable-note"' not in full
    like = client.get("/dashboard/trends?country=AM&comparable=1").get_data(as_text=True)
    assert index_trace(like) == [("Armenia", ["2025", "2026"], [100.0, 100.0])]
    assert "recomputed on the 3 criteria that versions 2026.1, 2026.2 share" in like
    assert re.search(r'id="f-comparable"\s+aria-describedby="f-comparable-help" checked', like)


def test_the_switch_works_per_dimension(client, two_versions, make_user, auth):
    auth.login(make_user("analyst"))
    html = client.get("/dashboard/trends?country=AM&comparable=1&dimension=legal").get_data(as_text=True)
    assert index_trace(html) == [("Armenia", ["2025", "2026"], [100.0, 100.0])]
    plain = client.get("/dashboard/trends?country=AM&dimension=legal").get_data(as_text=True)
    assert index_trace(plain) == [("Armenia", ["2025", "2026"], [75.0, 25.0])]


def test_in_russian_the_note_is_translated(client, two_versions, make_user, auth):
    auth.login(make_user("analyst"))
    client.post("/language/ru")
    html = client.get("/dashboard/trends?country=AM&comparable=1").get_data(as_text=True)
    assert "пересчитаны по 3 критериям, общим для версий 2026.1, 2026.2" in html


def test_the_other_tabs_and_the_exports_do_not_carry_the_switch(client, two_versions, make_user, auth):
    auth.login(make_user("analyst"))
    html = client.get("/dashboard/trends?country=AM&comparable=1").get_data(as_text=True)
    tabs = re.search(r'<ul class="nav nav-tabs.*?</ul>', html, re.S).group(0)
    assert "comparable" not in tabs
