"""The roadmap measures tracker tab: matrix, filters in the URL, a cell's criteria, measures.csv, visibility.

Tracker mini (below), threshold 0.8. AM (validated): decl.e full (w 2), decl.auto no, risk.ai yes ->
1.1: (2 + 0) / 3 = 66.67 % in progress (2 criteria); 2.1: 100 % implemented; 9.9: no data.
BY (validated): everything none/no -> 1.1 and 2.1 not started, 0 %.
"""
import json
import re

import pytest

from app.extensions import db
from app.services import questionnaires, scores
from tests.test_dashboard_data import add_assessment, load_mini

TRACKER = """
format: 1
id: tracker-mini
version: "2026.1"
status: published
languages: [en, ru]
title: {en: "Tracker mini", ru: "Мини-трекер"}
stages:
  - {key: electronic, label: {en: Electronic, ru: Электронная}}
  - {key: digital, label: {en: Digital, ru: Цифровая}}
scoring: {stage_threshold: 0.8}
scales:
  impl:
    - {value: none, points: 0, label: {en: "Not implemented", ru: "Не реализовано"}}
    - {value: partial, points: 1, label: {en: "Partly implemented", ru: "Частично"}}
    - {value: full, points: 2, label: {en: "Fully implemented", ru: "Полностью"}}
measures:
  - {id: "1.1", title: {en: "Electronic declaration", ru: "Электронная декларация"}}
  - {id: "2.1", title: {en: "Risk analysis", ru: "Анализ рисков"}}
  - {id: "9.9", title: {en: "Nobody cites it", ru: "Никто не ссылается"}}
dimensions:
  - key: decl
    title: {en: Declaring, ru: Декларирование}
    questions:
      - {key: decl.e, stage: electronic, type: scale, scale: impl, weight: 2, measures: ["1.1"],
         text: {en: "Declarations are electronic", ru: "Декларации электронные"}}
      - {key: decl.auto, stage: digital, type: yes_no, measures: ["1.1"],
         text: {en: "Automatic release", ru: "Автоматический выпуск"}}
  - key: risk
    title: {en: Risk, ru: Риски}
    questions:
      - {key: risk.ai, stage: digital, type: yes_no, measures: ["2.1"],
         text: {en: "Risk models use data analytics", ru: "Модели рисков используют аналитику данных"}}
"""
URL = "/dashboard/measures?questionnaire=tracker-mini@2026.1"


def add_tracker(folder) -> None:
    """The tracker questionnaire with AM's and BY's validated 2026 assessments of the module docstring; inside an
    app context, not committed."""
    path = folder / "tracker.yaml"
    path.write_text(TRACKER, encoding="utf-8")
    questionnaires.load_paths([str(path)])
    version = questionnaires.find_version("tracker-mini", "2026.1")
    add_assessment(version, "AM", "2026", {"decl.e": "full", "decl.auto": "no", "risk.ai": "yes"}, "validated")
    add_assessment(version, "BY", "2026", {"decl.e": "none", "decl.auto": "no", "risk.ai": "no"}, "validated")


@pytest.fixture
def tracked(app, countries, tmp_path):
    with app.app_context():
        add_tracker(tmp_path)
        load_mini(tmp_path)  # a version without measures
        db.session.commit()
        scores.recompute_all()


def cells(html: str) -> dict:
    return {m: status for m, status in re.findall(r'data-testid="cell-([\d.]+-\w\w)" data-status="(\w+)"', html)}


def test_the_matrix_shows_every_measure_and_country_coloured_by_status_with_attainment(
        client, tracked, make_user, auth):
    auth.login(make_user("analyst"))
    html = client.get(URL).get_data(as_text=True)
    assert cells(html) == {"1.1-AM": "in_progress", "1.1-BY": "not_started", "2.1-AM": "implemented",
                           "2.1-BY": "not_started", "9.9-AM": "no_data", "9.9-BY": "no_data"}
    cell = re.search(r'data-testid="cell-1.1-AM".*?</td>', html, re.S).group(0)
    assert "In progress · 67%" in cell and "2 criteria" in cell
    figure = json.loads(re.search(r'id="measures-data">(.*?)</script>', html, re.S).group(1))
    assert figure["data"][0]["z"] == [[1, 2], [0, 2], [3, 3]]
    assert figure["data"][0]["x"] == ["Armenia", "Belarus"]


def test_filters_live_in_the_url_and_the_export_link_keeps_them(client, tracked, make_user, auth):
    auth.login(make_user("analyst"))
    html = client.get(URL + "&country=BY&cycle=2026").get_data(as_text=True)
    assert set(cells(html)) == {"1.1-BY", "2.1-BY", "9.9-BY"}
    assert ('/exports/measures.csv?questionnaire=tracker-mini@2026.1&amp;cycle=2026&amp;status=validated'
            '&amp;country=BY&amp;lang=en') in html
    exported = client.get("/exports/measures.csv?questionnaire=tracker-mini@2026.1&cycle=2026&country=BY")
    assert {line.split(",")[0] for line in exported.get_data(as_text=True).lstrip("\ufeff").splitlines()[1:]} == {"BY"}


def test_a_cell_opens_its_criteria_with_their_answers(client, tracked, make_user, auth):
    auth.login(make_user("analyst"))
    html = client.get(URL + "&measure=1.1&cell=AM").get_data(as_text=True)
    detail = re.search(r'data-testid="measure-detail"(.*?)</section>', html, re.S).group(1)
    assert "Measure 1.1 in Armenia, cycle 2026" in detail
    rows = re.findall(r'data-testid="criterion">(.*?)</tr>', detail, re.S)
    assert [re.search(r'font-monospace">([\w.]+)<', r).group(1) for r in rows] == ["decl.e", "decl.auto"]
    assert "Fully implemented" in rows[0] and "100%" in rows[0] and "No" in rows[1] and "0%" in rows[1]


def test_a_national_user_sees_another_countrys_criteria_but_not_its_answers(client, tracked, make_user, auth):
    auth.login(make_user("coordinator", "BY"))
    detail = client.get(URL + "&measure=1.1&cell=AM").get_data(as_text=True)
    assert 'data-testid="answers-hidden"' in detail and "decl.e" in detail and "Fully implemented" not in detail
    own = client.get(URL + "&measure=1.1&cell=BY").get_data(as_text=True)
    assert 'data-testid="answers-hidden"' not in own and "Not implemented" in own


def test_a_version_without_measures_says_so(client, tracked, make_user, auth):
    auth.login(make_user("analyst"))
    html = client.get("/dashboard/measures?questionnaire=mini-maturity@2026.1").get_data(as_text=True)
    assert 'data-testid="no-measures"' in html and 'data-testid="measures-table"' not in html


def test_the_tracker_speaks_russian(client, tracked, make_user, auth):
    auth.login(make_user("analyst"))
    client.post("/language/ru")
    html = client.get(URL).get_data(as_text=True)
    assert "Отслеживание мер дорожной карты" in html and "Таблица мер и стран" in html
    assert "Реализована · 100%" in html and "4 критериев" not in html and "1 критерий" in html
