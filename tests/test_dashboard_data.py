"""Seeded score data for the dashboard, chart and export tests, and the queries that read it.

A two-dimension, two-stage questionnaire whose scores can be worked out by hand:

- AM 2025 (validated): legal 75.0 (level 1: paperless 100 %, electronic 50 %), tech 100.0 (level 2);
  overall level 1 (min), index 87.5 (mean), completeness 100 %.
- BY 2025 (validated): legal 25.0 (level 0), tech 0.0 (level 0); overall level 0, index 12.5, completeness 75 %.
- KZ 2025 (submitted): everything full, level 2, index 100.
- KG 2025 (draft): one answer (legal.a partial): overall index 12.5, completeness 25 %.  RU: no assessment.
- AM 2024 (validated): legal 25.0 (level 0), tech 50.0 (level 1); overall level 0, index 37.5.
- AM 2026 (validated) on version 2026.2: everything full, overall index 100.
"""
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Answer, Assessment
from app.services import questionnaires, scores

MINI_2026_1 = """
format: 1
id: mini-maturity
version: "{version}"
status: published
languages: [en, ru]
title: {{en: "Mini maturity", ru: "Мини-зрелость"}}
{supersedes}
stages:
  - {{key: paperless, label: {{en: "Paperless", ru: "Безбумажная"}}}}
  - {{key: electronic, label: {{en: "Electronic", ru: "Электронная"}}}}
scoring: {{stage_threshold: 0.8, overall_level: min, overall_index: mean, unanswered: zero}}
scales:
  impl:
    - {{value: none, points: 0, label: {{en: "Not implemented", ru: "Не реализовано"}}}}
    - {{value: partial, points: 1, label: {{en: "Partly implemented", ru: "Частично"}}}}
    - {{value: full, points: 2, label: {{en: "Fully implemented", ru: "Полностью"}}}}
dimensions:
  - key: legal
    title: {{en: "Legal framework", ru: "Правовая основа"}}
    questions:
      - {{key: legal.a, stage: paperless, type: scale, scale: impl, source: "Source A §1",
         text: {{en: "Electronic documents have legal force", ru: "Электронные документы имеют юридическую силу"}}}}
      - {{key: legal.b, stage: electronic, type: scale, scale: impl, source: "Source B §2",
         text: {{en: "Electronic declaring has priority", ru: "Электронное декларирование приоритетно"}}}}
  - key: tech
    title: {{en: "Technology", ru: "Технологии"}}
    questions:
      - {{key: tech.a, stage: paperless, type: yes_no, source: "Source C",
         text: {{en: "Declarations are lodged electronically", ru: "Декларации подаются в электронном виде"}}}}
      - {{key: tech.b, stage: electronic, type: number, bands: [{{max: 4, points: 1}}, {{points: 0}}],
         unit: {{en: "hours", ru: "ч"}}, source: "Source D",
         text: {{en: "Release time", ru: "Время выпуска"}}}}
      - {{key: tech.c, stage: electronic, type: text, required: false,
         text: {{en: "Remarks", ru: "Примечания"}}}}
"""

FULL = {"legal.a": "full", "legal.b": "full", "tech.a": "yes", "tech.b": "2"}
ANSWERS = {
    ("AM", "2025"): ({"legal.a": "full", "legal.b": "partial", "tech.a": "yes", "tech.b": "2",
                      "tech.c": "=HYPERLINK(\"http://evil\")"}, "validated"),
    ("BY", "2025"): ({"legal.a": "partial", "legal.b": "none", "tech.a": "no"}, "validated"),
    ("KZ", "2025"): (FULL, "submitted"),
    ("KG", "2025"): ({"legal.a": "partial"}, "draft"),
    ("AM", "2024"): ({"legal.a": "partial", "legal.b": "none", "tech.a": "yes", "tech.b": "9"}, "validated"),
}
T0 = datetime(2025, 11, 3, 9, 30, tzinfo=timezone.utc)


def mini_text(version: str = "2026.1") -> str:
    supersedes = 'supersedes: {version: "2026.1"}' if version != "2026.1" else ""
    return MINI_2026_1.format(version=version, supersedes=supersedes)


def renamed_text() -> str:
    """Version 2027.1: the dimension tech becomes technology; the crosswalk renames its questions."""
    text = MINI_2026_1.format(version="2027.1", supersedes=(
        'supersedes: {version: "2026.2", renamed: {tech.a: technology.a, tech.b: technology.b, '
        'tech.c: technology.c}}'))
    return text.replace("  - key: tech\n", "  - key: technology\n").replace("{key: tech.", "{key: technology.")


def load_mini(tmp_path, version: str = "2026.1", text: str | None = None):
    path = tmp_path / f"mini-{version}.yaml"
    path.write_text(text or mini_text(version), encoding="utf-8")
    questionnaires.load_paths([str(path)])
    return questionnaires.find_version("mini-maturity", version)


def add_assessment(version, country: str, cycle: str, answers: dict, status: str, user_id=None,
                   comment: str | None = None) -> Assessment:
    stamps = {"submitted_at": T0 if status in ("submitted", "validated") else None,
              "validated_at": T0 if status == "validated" else None}
    assessment = Assessment(country_code=country, questionnaire_version_id=version.id,
                            questionnaire_id=version.questionnaire_id, cycle=cycle, status=status, **stamps)
    db.session.add(assessment)
    db.session.flush()
    for key, value in answers.items():
        db.session.add(Answer(assessment_id=assessment.id, question_key=key, value=value, updated_at=T0,
                              updated_by_id=user_id, comment=comment if key == "legal.a" else None))
    return assessment


@pytest.fixture
def seeded(app, countries, tmp_path):
    """The assessments of the module docstring, scored by the engine; returns {(country, cycle): id}."""
    with app.app_context():
        first = load_mini(tmp_path)
        ids = {key: add_assessment(first, *key, answers, status, comment="@SUM(A1)").id
               for key, (answers, status) in ANSWERS.items()}
        second = load_mini(tmp_path, "2026.2")
        ids[("AM", "2026")] = add_assessment(second, "AM", "2026", FULL, "validated").id
        db.session.commit()
        scores.recompute_all()
    return ids


def overall_row(app, assessment_id: int):
    with app.app_context():
        row = scores.rows_for(assessment_id)["_overall"]
        db.session.expunge(row)
        return row


# ---- the queries the dashboards use ----------------------------------------------------------

def test_the_seeded_scores_are_the_ones_worked_out_by_hand(app, seeded):
    am, by = overall_row(app, seeded[("AM", "2025")]), overall_row(app, seeded[("BY", "2025")])
    assert (am.level, am.index, am.completeness) == (1, 87.5, 1.0)
    assert (by.level, by.index, by.completeness) == (0, 12.5, 0.75)


def test_comparison_shows_each_countrys_latest_validated_assessment_by_default(app, seeded, make_user):
    from app.services import dashboard

    analyst = make_user("analyst")
    with app.app_context():
        version = questionnaires.find_version("mini-maturity", "2026.1")
        filters = dashboard.with_default_countries(analyst, dashboard.Filters())
        series = dashboard.comparison(analyst, filters, version, "en")
    assert [(s.country_code, s.cycle, s.status) for s in series] == [("AM", "2025", "validated"),
                                                                     ("BY", "2025", "validated")]
    assert series[0].rows["legal"].index == 75.0 and series[0].rows["tech"].level == 2


def test_the_submitted_filter_adds_submitted_assessments_and_a_cycle_filter_pins_the_cycle(app, seeded, make_user):
    from app.services import dashboard

    analyst = make_user("analyst")
    with app.app_context():
        version = questionnaires.find_version("mini-maturity", "2026.1")
        submitted = dashboard.comparison(analyst, dashboard.Filters(status="submitted"), version, "en")
        cycle_2024 = dashboard.comparison(analyst, dashboard.Filters(cycle="2024"), version, "en")
    assert [s.country_code for s in submitted] == ["AM", "BY", "KZ"]
    assert [(s.country_code, s.rows["_overall"].index) for s in cycle_2024] == [("AM", 37.5)]


def test_an_analyst_never_gets_drafts_even_when_asking_for_every_status(app, seeded, make_user):
    from app.services import dashboard

    analyst = make_user("analyst")
    with app.app_context():
        statuses = set(db.session.scalars(sa.select(Assessment.status).where(
            dashboard.scope(analyst, dashboard.Filters(status="all")))))
    assert statuses == {"submitted", "validated"}
    assert dashboard.allowed_statuses(analyst) == ("validated", "submitted")


def test_a_national_user_sees_own_drafts_only_with_the_all_filter(app, seeded, make_user):
    from app.services import dashboard

    kyrgyz = make_user("respondent", "KG")
    with app.app_context():
        def visible(status):
            return sorted(db.session.execute(sa.select(Assessment.country_code, Assessment.status).where(
                dashboard.scope(kyrgyz, dashboard.Filters(status=status)))).all())
        assert ("KG", "draft") not in visible("validated")
        assert ("KG", "draft") in visible("all")
        assert ("KZ", "submitted") not in visible("all")  # another country's submission is not shared


def test_national_users_see_only_their_country_when_the_configuration_says_so(app, seeded, make_user):
    from app.services import dashboard

    armenian = make_user("coordinator", "AM")
    app.config["NATIONAL_SEE_OTHER_COUNTRIES"] = False
    with app.app_context():
        version = questionnaires.find_version("mini-maturity", "2026.1")
        series = dashboard.comparison(armenian, dashboard.with_default_countries(armenian, dashboard.Filters()),
                                      version, "en")
    assert [s.country_code for s in series] == ["AM"]


def test_trend_points_run_across_versions_in_cycle_order(app, seeded, make_user):
    from app.services import dashboard, dashboard_trends

    analyst = make_user("analyst")
    with app.app_context():
        points = dashboard_trends.trend_points(analyst, dashboard.Filters(countries=("AM",)), "mini-maturity", "ru")
    assert [(p.cycle, p.version, p.index, p.level) for p in points] == [
        ("2024", "2026.1", 37.5, 0), ("2025", "2026.1", 87.5, 1), ("2026", "2026.2", 100.0, 2)]
    assert points[0].country_name == "Армения"


def test_a_dimension_trend_follows_a_dimension_renamed_through_the_crosswalk(app, seeded, make_user, tmp_path):
    from app.services import dashboard, dashboard_trends

    analyst = make_user("analyst")
    with app.app_context():
        newest = load_mini(tmp_path, "2027.1", renamed_text())
        answers = {key.replace("tech.", "technology."): value for key, value in FULL.items()}
        add_assessment(newest, "AM", "2027", answers, "validated")
        db.session.commit()
        scores.recompute_all()
        filters = dashboard.Filters(countries=("AM",), dimension="technology")
        points = dashboard_trends.trend_points(analyst, filters, "mini-maturity", "en")
        offered = [d.key for d in dashboard_trends.dimensions_of("mini-maturity")]
    assert [(p.cycle, p.version, p.index) for p in points] == [
        ("2024", "2026.1", 50.0), ("2025", "2026.1", 100.0), ("2026", "2026.2", 100.0), ("2027", "2027.1", 100.0)]
    assert offered == ["legal", "technology"]


def test_the_cycle_overview_lists_every_eeu_member_with_status_and_completeness(app, seeded, make_user):
    from app.services import dashboard

    analyst = make_user("analyst")
    with app.app_context():
        rows = dashboard.cycle_overview(analyst, dashboard.Filters(), "mini-maturity", "2025", "en")
    assert {r.country_code: (r.status, r.completeness) for r in rows} == {
        "AM": ("validated", 1.0), "BY": ("validated", 0.75), "KZ": ("submitted", 1.0),
        "KG": ("draft", 0.25), "RU": ("not_started", None)}


def test_a_national_user_sees_the_overview_of_own_country_and_shared_validated_ones(app, seeded, make_user):
    from app.services import dashboard

    kyrgyz = make_user("coordinator", "KG")
    with app.app_context():
        rows = dashboard.cycle_overview(kyrgyz, dashboard.Filters(), "mini-maturity", "2025", "en")
    assert {r.country_code: r.status for r in rows} == {"AM": "validated", "BY": "validated", "KG": "draft"}


@pytest.mark.parametrize("role, country, filters", [
    ("analyst", None, {}), ("analyst", None, {"status": "submitted"}),
    ("analyst", None, {"questionnaire": "mini-maturity@2026.1"}),
    ("analyst", None, {"questionnaire": "nope@1"}), ("analyst", None, {"countries": ("AM",)}),
    ("respondent", "KG", {"status": "all"}), ("respondent", "KG", {}), ("coordinator", "AM", {"status": "all"}),
])
def test_the_filter_choices_read_at_once_are_the_ones_each_query_gives(app, seeded, make_user, role, country,
                                                                       filters):
    """dashboard.choices (one reading of the visible assessments) = versions_with_data, resolve_version,
    and the cycles and countries asked one by one (the queries the dashboards ran before, kept here)."""
    from app.services import dashboard
    from dataclasses import replace

    from app.models import Country
    from app.services.countries import EEU_MEMBERS
    from app.services.dashboard import scope

    def cycles(user, filters, version):
        rows = db.session.scalars(sa.select(Assessment.cycle).distinct().where(
            Assessment.questionnaire_version_id == version.id, scope(user, replace(filters, countries=()))))
        return sorted(rows, reverse=True)

    def countries_with_data(user, filters, questionnaire_id):
        codes = set(db.session.scalars(sa.select(Assessment.country_code).distinct().where(
            Assessment.questionnaire_id == questionnaire_id, scope(user, replace(filters, countries=())))))
        codes.update(EEU_MEMBERS)
        return list(db.session.scalars(sa.select(Country).where(Country.code.in_(codes)).order_by(Country.code)))

    user = make_user(role, country)
    with app.app_context():
        f = dashboard.with_default_countries(user, dashboard.Filters(**filters))
        found = dashboard.choices(user, f)
        versions = dashboard.versions_with_data(user, f)
        version = dashboard.resolve_version(user, f, versions)
        assert found.versions == versions and found.version == version
        if version is None:
            assert (found.cycles, found.countries) == ([], [])
        else:
            assert found.cycles == cycles(user, f, version)
            assert found.countries == countries_with_data(user, f, version.questionnaire_id)
            assert dashboard.choices(user, f, with_countries=False).countries == []
