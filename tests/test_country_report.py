"""The country report: every part is there, from the stored scores and the engine, in both languages.

Data: tests/test_dashboard_data.py. AM 2025 (validated): overall level 1 ("Paperless"), index 87.5; legal 75
(electronic lacks 0.8 - 0.5 = 0.30 points: legal.b), tech 100 (top). EEU average over AM and BY 2025:
legal 50, tech 50. Release time (tech.b): AM 9 (2024) -> 2 (2025), change -7.
"""
import json
import re

from tests.test_dashboard_data import seeded  # noqa: F401  (fixture)

URL = "/dashboard/country/AM/report?questionnaire=mini-maturity@2026.1&cycle=2025"


def part(html: str, name: str) -> str:
    return re.search(rf'data-testid="{name}"(.*?)</(section|table|div)>', html, re.S).group(1)


def test_the_report_has_every_part(client, seeded, make_user, auth):
    auth.login(make_user("analyst"))
    html = client.get(URL).get_data(as_text=True)
    assert re.search(r'data-testid="report-level">\s*Paperless', html)
    assert 'data-testid="report-index">87.5' in html
    levels = part(html, "report-levels")
    assert re.findall(r'<td class="text-end">([\d.]+)</td>', levels)[:2] == ["75.0", "50.0"]
    way = part(html, "report-next-level")
    assert "0.30 weighted points lacking" in way and "Electronic declaring has priority" in way
    kpis = part(html, "report-kpi-table")
    assert "Release time, hours" in kpis and "2024: <strong>9</strong> → 2025: <strong>2</strong>" in kpis and "-7" in kpis
    assert "How to read this report" in html and "Paperless → Electronic" in html
    radar = json.loads(re.search(r'id="report-radar-data">(.*?)</script>', html, re.S).group(1))
    assert [t["name"] for t in radar["data"]] == ["Armenia", "EEU average (mean of the 2 countries shown)"]
    assert radar["data"][1]["r"] == [50.0, 50.0, 50.0] and radar["layout"]["width"] == 660


def test_the_profile_links_to_the_report_and_the_report_speaks_russian(client, seeded, make_user, auth):
    auth.login(make_user("analyst"))
    profile = client.get("/dashboard/country/AM?questionnaire=mini-maturity@2026.1&cycle=2025").get_data(as_text=True)
    assert "/dashboard/country/AM/report?questionnaire=mini-maturity@2026.1&amp;cycle=2025" in profile
    client.post("/language/ru")
    html = client.get(URL).get_data(as_text=True)
    assert "Как читать этот отчёт" in html and "Безбумажная → Электронная" in html


def test_a_national_user_gets_no_report_of_what_they_may_not_see(app, client, seeded, make_user, auth):
    app.config["NATIONAL_SEE_OTHER_COUNTRIES"] = False
    auth.login(make_user("coordinator", "BY"))
    html = client.get(URL).get_data(as_text=True)
    assert 'data-testid="no-series"' in html and "87.5" not in html
