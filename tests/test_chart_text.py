"""Every chart's text alternative says what it shows, from the stored rows (app.chart_text), and the overall
rule of the questionnaire is said in words (app.charts.overall_rule)."""
import dataclasses

import scoring
from app import chart_text, charts
from app.services.dashboard_trends import TrendPoint
from tests.test_charts import MINI, armenia, belarus, en, flask_app, ru  # noqa: F401 (fixtures)


def test_the_comparison_summary_names_the_leader_the_last_and_the_weakest_dimension(en):
    text = chart_text.comparison_summary([belarus(), armenia()], MINI, "en")
    assert text.startswith("Armenia has the highest overall index (87.5, level 1 · Paperless).")
    assert "Belarus has the lowest (12.5)." in text
    assert "the weakest dimension is “Legal framework” (mean index 50.0)" in text  # (75 + 25) / 2 < (100 + 0) / 2


def test_the_comparison_summary_is_in_russian_for_russian_readers(ru):
    text = chart_text.comparison_summary([armenia()], MINI, "ru")
    assert text.startswith("Самый высокий общий индекс: Armenia (87,5, уровень 1 · Безбумажная).")


def test_a_comparison_without_scores_says_so(en):
    assert chart_text.comparison_summary([], MINI, "en") == "No country has an overall index under these filters."


def test_the_trend_summary_names_the_latest_leader_and_the_largest_change(en):
    series = [TrendPoint("AM", "Armenia", "2024", "2026.1", "validated", 0, 37.5),
              TrendPoint("AM", "Armenia", "2025", "2026.1", "validated", 1, 87.5),
              TrendPoint("BY", "Belarus", "2025", "2026.1", "validated", 0, 95.0),
              TrendPoint("BY", "Belarus", "2024", "2026.1", "validated", 0, 90.0)]
    text = chart_text.trend_summary(series, "Overall")
    assert text.startswith("Overall, cycles 2024 to 2025.")
    assert "In 2025 Belarus has the highest index (95.0)." in text
    assert "The largest change is Armenia's: +50.0 points." in text
    cycles, rows = chart_text.trend_table(series)
    assert cycles == ["2024", "2025"] and [name for name, _ in rows] == ["Armenia", "Belarus"]


def test_the_profile_summary_names_the_strongest_and_the_weakest_dimension(en):
    text = chart_text.profile_summary(armenia().rows, MINI, "Armenia", "en")
    assert "strongest in “Technology” (level 2 · Electronic, index 100.0)" in text
    assert "weakest dimension is “Legal framework” (level 1 · Paperless, index 75.0)" in text
    assert text.endswith("Overall level: 1 · Paperless.")


def test_the_overall_rule_is_said_for_each_rule_of_the_questionnaire(en):
    assert "the lowest dimension level" in charts.overall_rule(MINI)
    median = dataclasses.replace(MINI, rules=dataclasses.replace(MINI.rules, overall_level="median",
                                                                 overall_index="pooled"))
    assert "weighted median" in charts.overall_rule(median) and "all attainable points" in charts.overall_rule(median)
    assert "80%" in charts.overall_rule(MINI)


def test_levels_read_the_same_on_every_page(en):
    assert charts.numbered_level_name(MINI, 0, "en") == "0 · Below “Paperless”"
    assert charts.numbered_level_name(MINI, 2, "en") == "2 · Electronic"
    assert charts.numbered_level_name(MINI, None, "en") == "—"
    assert isinstance(scoring.SCORING_VERSION, str)
