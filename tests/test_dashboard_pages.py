"""The dashboard pages embed figures of the stored scores, obey the URL filters and the access rules."""
import json
import re

import plotly
import pytest

from app.extensions import db
from app.services import scores
from tests.test_dashboard_data import seeded  # noqa: F401  (fixture)

Q = "questionnaire=mini-maturity@2026.1"
SCRIPT = re.compile(r'<script type="application/json" id="([\w-]+)-data">(.*?)</script>', re.S)


def figures(response) -> dict:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return {name: json.loads(body) for name, body in SCRIPT.findall(response.get_data(as_text=True))}


@pytest.fixture
def analyst(make_user, auth):
    user = make_user("analyst")
    auth.login(user)
    return user


def test_by_default_the_comparison_opens_on_the_newest_questionnaire_version_with_data(client, seeded, analyst):
    radar = figures(client.get("/dashboard/"))["radar"]
    assert [(t["name"], t["r"]) for t in radar["data"]] == [("Armenia", [100.0, 100.0, 100.0])]


def test_the_comparison_shows_the_eeu_members_latest_validated_assessments(client, seeded, analyst):
    charts = figures(client.get(f"/dashboard/?{Q}"))
    radar, heatmap = charts["radar"], charts["heatmap"]
    assert [t["name"] for t in radar["data"]] == ["Armenia", "Belarus",
                                                  "EEU average (mean of the 2 countries shown)"]
    assert radar["data"][0]["r"] == [75.0, 100.0, 75.0]
    assert [row[1] for row in heatmap["data"][0]["text"]] == [
        "Below<br>“Paperless”<br>25.0", "Below<br>“Paperless”<br>0.0", "Below<br>“Paperless”<br>12.5"]


def test_the_figures_carry_exactly_the_stored_score_rows(app, client, seeded, analyst):
    radar = figures(client.get(f"/dashboard/?{Q}&status=submitted"))["radar"]
    with app.app_context():
        stored = {code: scores.rows_for(seeded[(code, "2025")]) for code in ("AM", "BY", "KZ")}
        expected = {code: [rows["legal"].index, rows["tech"].index] for code, rows in stored.items()}
    assert {t["name"]: t["r"][:2] for t in radar["data"][:-1]} == {
        "Armenia": expected["AM"], "Belarus": expected["BY"], "Kazakhstan": expected["KZ"]}


def test_filters_live_in_the_url(client, seeded, analyst):
    page = client.get(f"/dashboard/?{Q}&cycle=2024&view=level&country=AM&country=BY")
    radar = figures(page)["radar"]
    assert [(t["name"], t["r"]) for t in radar["data"]] == [("Armenia", [0, 1, 0])]
    html = page.get_data(as_text=True)
    assert 'value="2024" selected' in html and 'id="f-view-level" value="level" checked' in html
    assert "/exports/scores.csv?questionnaire=mini-maturity@2026.1&amp;cycle=2024&amp;status=validated" \
           "&amp;country=AM&amp;country=BY&amp;lang=en" in html


def test_pages_have_no_inline_script_and_keep_the_content_security_policy(client, seeded, analyst):
    for url in ("/dashboard/", "/dashboard/trends", "/dashboard/trends?comparable=1", "/dashboard/overview",
                "/dashboard/country/AM", "/dashboard/country/AM/report", "/dashboard/measures", "/dashboard/kpis",
                "/exports/"):
        response = client.get(url)
        html = response.get_data(as_text=True)
        scripts = re.findall(r"<script([^>]*)>", html)
        assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts), url
        assert " style=" not in html and " on" + "click=" not in html
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_plotly_is_served_by_the_app_under_a_versioned_url_with_a_long_cache(client, seeded, analyst):
    url = f"/dashboard/assets/plotly-{plotly.__version__}.min.js"
    assert url in client.get("/dashboard/").get_data(as_text=True)
    response = client.get(url)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.get_data()[:40].startswith(b"/**\n* plotly.js v")
    response.close()
    assert client.get("/dashboard/assets/plotly-0.0.1.min.js").status_code == 404


def test_the_chart_library_is_loaded_only_by_pages_that_draw_charts(client, seeded, analyst):
    plotly_url = f"/dashboard/assets/plotly-{plotly.__version__}.min.js"
    for url in ("/dashboard/", "/dashboard/trends", "/dashboard/country/AM"):
        html = client.get(f"{url}?{Q}").get_data(as_text=True)
        assert plotly_url in html and "js/charts.js" in html and "css/plotly.css" in html, url
    for url in ("/dashboard/overview", "/", "/assessments/", "/exports/"):
        html = client.get(url).get_data(as_text=True)
        assert "plotly" not in html and "js/charts.js" not in html, url


def test_the_plotly_stylesheet_was_taken_from_the_bundled_plotly_js():
    from pathlib import Path

    from plotly.offline import get_plotlyjs_version

    css = (Path(__file__).parent.parent / "app/static/css/plotly.css").read_text()
    assert f"plotly.js {get_plotlyjs_version()}" in css, "regenerate app/static/css/plotly.css for this plotly"


def test_charts_follow_the_ui_language(client, seeded, analyst):
    client.post("/language/ru")
    charts = figures(client.get(f"/dashboard/?{Q}"))
    assert charts["radar"]["config"]["locale"] == "ru"
    assert charts["radar"]["data"][0]["name"] == "Армения"
    assert charts["heatmap"]["data"][0]["y"][0] == "Правовая основа"


def test_the_trends_run_across_versions_and_mark_the_new_version(client, seeded, analyst):
    charts = figures(client.get("/dashboard/trends?country=AM"))
    index = charts["trend-index"]
    assert index["data"][0]["x"] == ["2024", "2025", "2026"] and index["data"][0]["y"] == [37.5, 87.5, 100.0]
    assert [a["text"] for a in index["layout"]["annotations"]] == ["new version 2026.2"]
    assert charts["trend-level"]["data"][0]["z"] == [[0, 1, 2]]


def test_a_dimension_trend_follows_the_dimension_key_across_versions(client, seeded, analyst):
    index = figures(client.get("/dashboard/trends?country=AM&dimension=legal"))["trend-index"]
    assert index["data"][0]["y"] == [25.0, 75.0, 100.0]


def test_the_cycle_overview_shows_every_status_and_completeness(client, seeded, analyst):
    html = client.get(f"/dashboard/overview?{Q}&cycle=2025").get_data(as_text=True)
    statuses = dict(re.findall(r'data-country="(\w\w)" data-status="(\w+)"', html))
    assert statuses == {"AM": "validated", "BY": "validated", "KG": "draft", "KZ": "submitted", "RU": "not_started"}
    assert "Not started" in html and "75%" in html


def test_the_country_profile_shows_ladder_roadmap_with_sources_and_history(client, seeded, analyst):
    response = client.get("/dashboard/country/AM?cycle=2025")
    ladder = figures(response)["ladder"]
    assert [t["y"] for t in ladder["data"]] == [[100.0, 100.0, 100.0], [50.0, 100.0, 75.0]]
    html = response.get_data(as_text=True)
    assert "Electronic declaring has priority" in html  # legal.b, half the points
    assert "Source B §2" not in html  # free-text sources are notes; pages show references (test_scoring2_pages)
    assert "Partly implemented" in html and "87.5" in html and "100%" in html
    assert html.count("/dashboard/country/AM?questionnaire=mini-maturity") >= 3  # the history links


def test_an_unknown_country_is_not_found_and_visitors_must_log_in(client, seeded, analyst, auth):
    assert client.get("/dashboard/country/XX").status_code == 404
    auth.logout()
    assert client.get("/dashboard/").status_code == 302


def test_a_national_user_sees_own_country_beside_validated_others(client, seeded, make_user, auth):
    auth.login(make_user("coordinator", "KZ"))
    names = [t["name"] for t in figures(client.get(f"/dashboard/?{Q}&status=submitted"))["radar"]["data"]]
    assert names == ["Armenia", "Belarus", "Kazakhstan", "EEU average (mean of the 3 countries shown)"]
    html = client.get("/dashboard/").get_data(as_text=True)
    assert 'value="all"' in html  # drafts of the own country may be asked for


def test_other_countries_stay_hidden_when_the_configuration_says_so(app, client, seeded, make_user, auth):
    app.config["NATIONAL_SEE_OTHER_COUNTRIES"] = False
    auth.login(make_user("respondent", "AM"))
    charts = figures(client.get(f"/dashboard/?{Q}"))
    assert [t["name"] for t in charts["radar"]["data"]] == ["Armenia"]
    html = client.get(f"/dashboard/overview?{Q}&cycle=2025").get_data(as_text=True)
    assert re.findall(r'data-country="(\w\w)"', html) == ["AM"]


def test_an_analyst_sees_no_draft_scores_in_the_overview(client, seeded, analyst, app):
    with app.app_context():
        draft_index = scores.rows_for(seeded[("KG", "2025")])["_overall"].index
        db.session.remove()
    html = client.get(f"/dashboard/overview?{Q}&cycle=2025").get_data(as_text=True)
    row = re.search(r'data-country="KG".*?</tr>', html, re.S).group(0)
    assert draft_index == 12.5 and "25%" in row and "12.5" not in row and "—" in row


def test_every_page_says_so_when_there_is_nothing_to_show_yet(client, make_user, auth):
    auth.login(make_user("analyst"))
    for url in ("/dashboard/", "/dashboard/trends", "/dashboard/trends?comparable=1", "/dashboard/overview",
                "/dashboard/country/AM", "/dashboard/country/AM/report", "/dashboard/measures", "/dashboard/kpis",
                "/exports/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "There are no assessments you may see" in client.get("/dashboard/").get_data(as_text=True)
    lines = client.get("/exports/scores.csv?bom=0").get_data(as_text=True).splitlines()
    assert lines == [",".join(["country_code", "country_name", "cycle", "questionnaire_id", "questionnaire_version",
                               "scoring_version", "assessment_id", "status", "dimension_key", "dimension_title",
                               "level", "level_label", "index", "answered", "applicable", "completeness",
                               "submitted_at", "validated_at", "evidence_coverage", "weakest_dimensions"])]


def test_the_chart_library_is_loaded_only_on_pages_with_charts(client, seeded, analyst):
    overview = client.get(f"/dashboard/overview?{Q}").get_data(as_text=True)
    assert "plotly" not in overview.lower() and "charts.js" not in overview
    comparison = client.get(f"/dashboard/?{Q}").get_data(as_text=True)
    assert "/dashboard/assets/plotly-" in comparison and "js/charts.js" in comparison


def test_every_chart_has_a_summary_and_a_table_of_its_values(client, seeded, analyst):
    page = client.get(f"/dashboard/?{Q}").get_data(as_text=True)
    for chart in ("radar", "heatmap"):
        assert f'data-testid="{chart}-summary"' in page and 'href="#values-table"' in page
        assert f'<div id="{chart}" class="chart" aria-hidden="true"' in page
    assert "has the highest overall index" in page and 'id="values-table"' in page
    assert 'role="tablist"' not in page and 'role="img"' not in page
    trends = client.get(f"/dashboard/trends?{Q}").get_data(as_text=True)
    assert 'id="trend-table"' in trends and "has the highest index" in trends


def _table_body(html: str, testid: str) -> str:
    """The <tbody> of the table with this data-testid, whitespace collapsed."""
    start = html.index(f'data-testid="{testid}"')
    return re.sub(r"\s+", " ", re.search(r"<tbody>.*?</tbody>", html[start:], re.S).group(0))


def test_the_tables_of_values_show_the_stored_scores_as_formatted_once_by_the_page(client, seeded, analyst):
    """pages.values_table and pages.ladder_table: the cells the templates used to format one by one."""
    html = client.get(f"/dashboard/?{Q}").get_data(as_text=True)
    assert _table_body(html, "values-table") == (
        '<tbody> <tr> <th scope="row"><a href="/dashboard/country/AM?questionnaire=mini-maturity@2026.1&amp;'
        'cycle=2025&amp;status=validated">Armenia</a></th> <td>2025</td><td>Validated</td> '
        '<td>Paperless<br><span class="text-secondary">75.0</span> <br><span class="text-secondary">evidence 0%'
        '</span></td> <td>Electronic<br><span class="text-secondary">100.0</span> <br><span class="text-secondary">'
        'evidence 0%</span></td> <td>Paperless<br><span class="text-secondary">87.5</span> <br>'
        '<span class="text-secondary">evidence 0%</span></td> </tr> <tr> <th scope="row"><a href="/dashboard/'
        'country/BY?questionnaire=mini-maturity@2026.1&amp;cycle=2025&amp;status=validated">Belarus</a></th> '
        '<td>2025</td><td>Validated</td> <td>Below “Paperless”<br><span class="text-secondary">25.0</span> <br>'
        '<span class="text-secondary">evidence 0%</span></td> <td>Below “Paperless”<br><span class="text-secondary">'
        '0.0</span> <br><span class="text-secondary">evidence —</span></td> <td>Below “Paperless”<br>'
        '<span class="text-secondary">12.5</span> <br><span class="text-secondary">evidence 0%</span></td> </tr> '
        '</tbody>')
    html = client.get("/dashboard/country/AM?cycle=2025").get_data(as_text=True)
    assert _table_body(html, "ladder-table") == (
        '<tbody> <tr><th scope="row">Legal framework</th> <td class="text-end">100 %</td> <td class="text-end">50 %'
        '</td> <td>Paperless</td> <td class="text-end">75.0</td></tr> <tr><th scope="row">Technology</th> '
        '<td class="text-end">100 %</td> <td class="text-end">100 %</td> <td>Electronic</td> <td class="text-end">'
        '100.0</td></tr> <tr class="fw-semibold"><th scope="row">Overall</th> <td class="text-end">100 %</td> '
        '<td class="text-end">75 %</td> <td>Paperless</td> <td class="text-end">87.5</td></tr> </tbody>')
