"""KPI trends: a number question's values per country over cycles, across versions through the crosswalk.

Mini maturity 2026.1 -> 2026.2 (same keys) -> 2027.1 (tech.b renamed technology.b). Release time (hours,
bands: <= 4 scores 1, else 0). AM: 9 (2025), 2 (2026), 1.5 (2027); BY: 6 (2025), not applicable in 2026.
"""
import json
import re

import pytest

from app.extensions import db
from app.models import Answer
from app.services import scores
from tests.test_dashboard_data import add_assessment, load_mini, renamed_text

BASE = {"legal.a": "full", "legal.b": "full", "tech.a": "yes"}


@pytest.fixture
def kpi_data(app, countries, tmp_path):
    with app.app_context():
        first, second = load_mini(tmp_path), load_mini(tmp_path, "2026.2")
        third = load_mini(tmp_path, "2027.1", renamed_text())
        add_assessment(first, "AM", "2025", {**BASE, "tech.b": "9"}, "validated")
        add_assessment(second, "AM", "2026", {**BASE, "tech.b": "2"}, "validated")
        add_assessment(third, "AM", "2027", {"legal.a": "full", "technology.b": "1.5"}, "validated")
        add_assessment(first, "BY", "2025", {**BASE, "tech.b": "6"}, "validated")
        by_2026 = add_assessment(second, "BY", "2026", BASE, "validated")
        db.session.add(Answer(assessment_id=by_2026.id, question_key="tech.b", value=None, not_applicable=True))
        db.session.commit()
        scores.recompute_all()


def trace(html: str) -> dict:
    figure = json.loads(re.search(r'id="kpi-trend-data">(.*?)</script>', html, re.S).group(1))
    return figure


def test_the_values_follow_the_renamed_question_across_three_versions(client, kpi_data, make_user, auth):
    auth.login(make_user("analyst"))
    html = client.get("/dashboard/kpis?country=AM&country=BY").get_data(as_text=True)
    figure = trace(html)
    assert [(t["name"], t["x"], t["y"]) for t in figure["data"]] == [
        ("Armenia", ["2025", "2026", "2027"], [9.0, 2.0, 1.5]), ("Belarus", ["2025"], [6.0])]
    assert figure["layout"]["yaxis"]["title"]["text"] == "hours"
    assert [s["y0"] for s in figure["layout"]["shapes"]] == [4]
    assert figure["layout"]["annotations"][0]["text"] == "≤ 4: scores 1"
    table = re.search(r'data-testid="kpi-table">(.*?)</table>', html, re.S).group(1)
    assert re.findall(r'<td class="text-end">([^<]*)</td>', table) == ["9", "2", "1.5", "6", "—", "—"]


def test_a_national_user_sees_only_the_values_they_may_read(client, kpi_data, make_user, auth):
    auth.login(make_user("coordinator", "BY"))
    figure = trace(client.get("/dashboard/kpis?country=AM&country=BY").get_data(as_text=True))
    assert [t["name"] for t in figure["data"]] == ["Belarus"]


def test_the_kpi_is_chosen_in_the_url_and_the_page_speaks_russian(client, kpi_data, make_user, auth):
    auth.login(make_user("analyst"))
    client.post("/language/ru")
    html = client.get("/dashboard/kpis?kpi=technology.b&country=AM").get_data(as_text=True)
    assert 'value="technology.b" selected' in html and "Динамика показателей" in html
    assert trace(html)["layout"]["yaxis"]["title"]["text"] == "ч"
