"""The country profile shows the way to the next level and marks its criteria in the roadmap table.

Data: tests/test_dashboard_data.py. AM 2025, legal: paperless attained, electronic has legal.b "partial"
(w 1, p 0.5): 0.8 · 1 − 0.5 = 0.30 points lacking, made up by legal.b alone. tech is at the top level.
"""
import re

from tests.test_dashboard_data import seeded  # noqa: F401  (fixture)

URL = "/dashboard/country/{code}?questionnaire=mini-maturity@2026.1&cycle=2025"


def section(html: str, key: str) -> str:
    return re.search(rf'data-testid="roadmap-{key}"(.*?)</section>', html, re.S).group(1)


def test_the_profile_says_how_many_points_a_dimension_lacks_and_marks_the_criteria_that_make_them_up(
        client, seeded, make_user, auth):
    auth.login(make_user("analyst"))
    html = client.get(URL.format(code="AM")).get_data(as_text=True)
    legal = section(html, "legal")
    assert "lacks 0.30 weighted points" in legal and "“Electronic”" in legal
    marked = re.findall(r'data-testid="to-next-level".*?font-monospace">([\w.-]+)<', legal, re.S)
    assert marked == ["legal.b"]
    assert 'data-testid="next-level-tech"' not in html  # the top stage is attained


def test_in_russian_the_way_is_translated(client, seeded, make_user, auth):
    auth.login(make_user("analyst"))
    client.post("/language/ru")
    html = client.get(URL.format(code="BY")).get_data(as_text=True)
    tech = section(html, "tech")
    # BY tech: tech.a "no" (w 1) at paperless: 0.8 · 1 − 0 = 0.80
    assert "не хватает 0.80 взвешенных баллов" in tech and re.findall(r'data-testid="to-next-level".*?font-monospace">([\w.-]+)<', tech, re.S) \
        == ["tech.a"]
