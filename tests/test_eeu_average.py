"""The EEU average on the comparison: a dashed radar trace and a table row (tests/test_dashboard_data.py).

AM 2025: legal 75, tech 100, overall 87.5, levels 1 and 2; BY 2025: legal 25, tech 0, overall 12.5, levels 0
and 0. Average: legal 50, tech 50, overall 50; levels 0.5 and 1.
"""
import re

from tests.test_dashboard_pages import figures
from tests.test_dashboard_data import seeded  # noqa: F401  (fixture)

Q = "questionnaire=mini-maturity@2026.1"
LABEL = "EEU average (mean of the 2 countries shown)"


def test_the_radar_has_a_dashed_average_trace_of_the_indices(client, seeded, make_user, auth):
    auth.login(make_user("analyst"))
    radar = figures(client.get(f"/dashboard/?{Q}"))["radar"]
    average = radar["data"][-1]
    assert [t["name"] for t in radar["data"]] == ["Armenia", "Belarus", LABEL]
    assert average["r"] == [50.0, 50.0, 50.0] and average["line"]["dash"] == "dash"


def test_in_the_level_view_the_average_is_the_mean_level(client, seeded, make_user, auth):
    auth.login(make_user("analyst"))
    radar = figures(client.get(f"/dashboard/?{Q}&view=level"))["radar"]
    assert radar["data"][-1]["r"] == [0.5, 1.0, 0.5]


def test_the_tables_have_an_average_row(client, seeded, make_user, auth):
    auth.login(make_user("analyst"))
    html = client.get(f"/dashboard/?{Q}").get_data(as_text=True)
    row = re.search(r'data-testid="average-row">(.*?)</tr>', html, re.S).group(1)
    assert LABEL in row and "50.0" in row
    values = re.search(r'data-testid="average-values-row">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r"\d+\.\d", values) == ["50.0", "50.0", "50.0"]


def test_one_country_alone_has_no_average(client, seeded, make_user, auth):
    auth.login(make_user("analyst"))
    page = client.get(f"/dashboard/?{Q}&country=AM")
    assert [t["name"] for t in figures(page)["radar"]["data"]] == ["Armenia"]
    assert 'data-testid="average-row"' not in page.get_data(as_text=True)
