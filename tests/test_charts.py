"""Score rows become Plotly figures that carry exactly the stored values (app.charts)."""
from types import SimpleNamespace as Row

import plotly.graph_objects as go
import pytest

import scoring
from app import charts, create_app
from app.services.dashboard import CountryScores
from app.services.dashboard_trends import TrendPoint
from tests.conftest import make_config
from tests.test_dashboard_data import mini_text

MINI = scoring.load_text(mini_text(), "mini.yaml")


@pytest.fixture(scope="module")
def flask_app(tmp_path_factory):
    return create_app(make_config("sqlite://", tmp_path_factory.mktemp("charts")))


@pytest.fixture
def en(flask_app):
    with flask_app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.fixture
def ru(flask_app):
    with flask_app.test_request_context(headers={"Accept-Language": "ru"}):
        yield


def score_row(level, index, stages=None, completeness=1.0):
    return Row(level=level, index=index, stages=stages or {}, completeness=completeness)


def armenia(cycle="2025"):
    return CountryScores("AM", "Armenia", 1, cycle, "validated", "2026.1", {
        "legal": score_row(1, 75.0, {"paperless": 1.0, "electronic": 0.5}),
        "tech": score_row(2, 100.0, {"paperless": 1.0, "electronic": 1.0}),
        "_overall": score_row(1, 87.5, {"paperless": 1.0, "electronic": 0.75})})


def belarus(cycle="2025"):
    return CountryScores("BY", "Belarus", 2, cycle, "validated", "2026.1", {
        "legal": score_row(0, 25.0, {"paperless": 0.5, "electronic": 0.0}),
        "tech": score_row(0, 0.0, {"paperless": 0.0, "electronic": None}),
        "_overall": score_row(0, 12.5, {"paperless": 0.25, "electronic": 0.0}, 0.75)})


def test_level_names_are_below_the_first_stage_then_the_stages_attained(en):
    assert charts.level_names(MINI, "en") == ["Below “Paperless”", "Paperless", "Electronic"]
    assert charts.level_name(MINI, None, "en") == ""


def test_level_names_follow_the_ui_language(ru):
    assert charts.level_names(MINI, "ru") == ["Ниже этапа «Безбумажная»", "Безбумажная", "Электронная"]


def test_the_radar_has_one_closed_trace_per_country_with_the_stored_indices(en):
    figure = charts.radar([armenia(), belarus()], MINI, "en")
    traces = figure["data"]
    assert [t["name"] for t in traces] == ["Armenia", "Belarus"]
    assert [t["type"] for t in traces] == ["scatterpolar", "scatterpolar"]
    assert traces[0]["r"] == [75.0, 100.0, 75.0] and traces[1]["r"] == [25.0, 0.0, 25.0]
    assert traces[0]["theta"] == ["Legal framework", "Technology", "Legal framework"]
    assert figure["layout"]["polar"]["radialaxis"]["range"] == [0, 100]


def test_the_radar_switches_to_levels_with_level_names_on_the_scale(en):
    figure = charts.radar([armenia(), belarus()], MINI, "en", mode="level")
    assert figure["data"][0]["r"] == [1, 2, 1]
    assert figure["data"][0]["text"] == ["Paperless", "Electronic", "Paperless"]
    axis = figure["layout"]["polar"]["radialaxis"]
    assert axis["ticktext"] == ["Below “Paperless”", "Paperless", "Electronic"] and axis["range"] == [0, 2]


def test_traces_name_the_cycle_when_the_compared_assessments_come_from_different_cycles(en):
    figure = charts.radar([armenia("2026"), belarus("2025")], MINI, "en")
    assert [t["name"] for t in figure["data"]] == ["Armenia · 2026", "Belarus · 2025"]


def test_the_heatmap_is_coloured_by_level_and_labels_each_cell_with_level_name_and_index(en):
    figure = charts.heatmap([armenia(), belarus()], MINI, "en")
    heat = figure["data"][0]
    assert heat["y"] == ["Legal framework", "Technology", "Overall"]  # dimensions are rows: long titles fit
    assert heat["x"] == ["Armenia", "Belarus"]
    assert heat["z"] == [[1, 0], [2, 0], [1, 0]]
    assert [row[0] for row in heat["text"]] == ["Paperless<br>75.0", "Electronic<br>100.0", "Paperless<br>87.5"]
    assert heat["text"][0][1] == "Below<br>“Paperless”<br>25.0"  # long level names wrap
    legend = [t["name"] for t in figure["data"][1:]]
    assert legend == ["Below “Paperless”", "Paperless", "Electronic"]


def test_a_dimension_without_a_score_is_an_empty_cell_not_a_zero(en):
    series = armenia()
    series.rows["tech"] = score_row(None, None)
    heat = charts.heatmap([series], MINI, "en")["data"][0]
    assert heat["z"][1][0] is None and heat["text"][1][0] == "—"


def points():
    return [TrendPoint("AM", "Armenia", "2024", "2026.1", "validated", 0, 37.5),
            TrendPoint("AM", "Armenia", "2025", "2026.1", "validated", 1, 87.5),
            TrendPoint("AM", "Armenia", "2026", "2026.2", "validated", 2, 100.0),
            TrendPoint("BY", "Belarus", "2025", "2026.1", "validated", 0, 12.5)]


def test_the_index_trend_has_a_line_per_country_over_cycles(en):
    figure = charts.index_trend(points(), "en")
    assert [(t["name"], t["x"], t["y"]) for t in figure["data"]] == [
        ("Armenia", ["2024", "2025", "2026"], [37.5, 87.5, 100.0]), ("Belarus", ["2025"], [12.5])]
    assert figure["layout"]["xaxis"]["categoryarray"] == ["2024", "2025", "2026"]


def test_a_new_questionnaire_version_is_marked_where_it_starts(en):
    assert charts.version_changes(points()) == [("2026", "2026.2")]
    layout = charts.index_trend(points(), "en")["layout"]
    assert [(s["x0"], s["line"]["dash"]) for s in layout["shapes"]] == [(1.5, "dash")]
    assert [a["text"] for a in layout["annotations"]] == ["new version 2026.2"]


def test_the_level_trend_is_a_grid_of_countries_and_cycles_labelled_by_level(ru):
    names = charts.level_names(MINI, "ru")
    figure = charts.level_trend(points(), names, "ru")
    grid = figure["data"][0]
    assert grid["y"] == ["Armenia", "Belarus"] and grid["x"] == ["2024", "2025", "2026"]
    assert grid["z"] == [[0, 1, 2], [None, 0, None]]
    assert grid["text"][0] == ["Ниже этапа «Безбумажная»", "Безбумажная", "Электронная"]
    assert figure["layout"]["annotations"][0]["text"] == "новая версия 2026.2"


def test_the_stage_ladder_shows_attainment_per_stage_and_the_threshold_line(en):
    figure = charts.stage_ladder(belarus().rows, MINI, "en")
    paperless, electronic = figure["data"]
    assert paperless["name"] == "Paperless" and paperless["y"] == [50.0, 0.0, 25.0]
    assert electronic["y"] == [0.0, None, 0.0]  # tech has no counted electronic question: attained vacuously
    assert "counts as attained" in electronic["customdata"][1]
    assert figure["layout"]["shapes"][0]["y0"] == 80.0
    assert figure["layout"]["annotations"][0]["text"] == "Threshold 80%"


def test_every_figure_uses_the_ui_locale_and_offers_a_png_download(ru):
    config = charts.radar([armenia()], MINI, "ru")["config"]
    assert config["locale"] == "ru" and config["displaylogo"] is False
    assert config["toImageButtonOptions"]["format"] == "png"
    assert "toImage" not in config["modeBarButtonsToRemove"]


def test_every_figure_is_valid_for_plotly(en):
    names = charts.level_names(MINI, "en")
    figures = [charts.radar([armenia(), belarus()], MINI, "en"), charts.radar([armenia()], MINI, "en", "level"),
               charts.heatmap([armenia(), belarus()], MINI, "en"), charts.index_trend(points(), "en"),
               charts.level_trend(points(), names, "en"), charts.stage_ladder(armenia().rows, MINI, "en")]
    for figure in figures:
        built = go.Figure({"data": figure["data"], "layout": figure["layout"]})  # raises on anything unknown
        assert figure["data"] and [t.type for t in built.data] == [t.get("type", "scatter") for t in figure["data"]]
        assert built.layout.title.text == figure["layout"]["title"]["text"]  # raises on an unknown property


def test_long_labels_are_wrapped_for_the_charts():
    wrapped = charts.wrap("Data, standards and information exchange", 16)
    assert wrapped == "Data, standards<br>and information<br>exchange"


def test_cycle_labels_typed_by_users_are_shown_literally_not_as_markup(en):
    names = [t["name"] for t in charts.radar([armenia("<a href='http://x'>25</a>"), belarus()], MINI, "en")["data"]]
    assert names[0] == "Armenia · &lt;a href='http://x'&gt;25&lt;/a&gt;"
