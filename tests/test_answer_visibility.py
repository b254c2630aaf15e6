"""One rule for reading answers (access.answer_visibility): the country profile's roadmap and answers.csv.

A national user reads their own country's answers; other countries' only with
NATIONAL_SEE_OTHER_COUNTRIES_ANSWERS on (off by default), and then only validated assessments whose
scores they may see. Data: tests/test_dashboard_data.py (AM 2025 validated: legal.b "partial" is the gap).
"""
import io

import pandas as pd

from tests.test_dashboard_data import seeded  # noqa: F401  (fixture)

AM_2025 = "/dashboard/country/AM?questionnaire=mini-maturity@2026.1&cycle=2025"
ANSWERS = "/exports/answers.csv?questionnaire=mini-maturity@2026.1&status=submitted"


def countries_in_answers(client) -> set[str]:
    response = client.get(ANSWERS)
    assert response.status_code == 200
    return set(pd.read_csv(io.BytesIO(response.get_data()), encoding="utf-8-sig").country_code)


def test_the_setting_is_off_by_default(app):
    assert app.config["NATIONAL_SEE_OTHER_COUNTRIES_ANSWERS"] is False


def test_by_default_a_national_user_sees_neither_the_answers_nor_the_shortfalls_of_another_country(
        client, seeded, make_user, auth):
    auth.login(make_user("coordinator", "BY"))
    html = client.get(AM_2025).get_data(as_text=True)
    assert 'data-testid="roadmap-legal"' in html and "Electronic declaring has priority" in html
    assert "Partly implemented" not in html and 'data-testid="answers-hidden"' in html
    assert countries_in_answers(client) == {"BY"}


def test_the_own_countrys_answers_are_always_shown(client, seeded, make_user, auth):
    auth.login(make_user("respondent", "AM"))
    html = client.get(AM_2025).get_data(as_text=True)
    assert "Partly implemented" in html and 'data-testid="answers-hidden"' not in html
    assert countries_in_answers(client) == {"AM"}


def test_with_the_setting_on_profile_and_export_give_other_countries_validated_answers(
        app, client, seeded, make_user, auth):
    app.config["NATIONAL_SEE_OTHER_COUNTRIES_ANSWERS"] = True
    auth.login(make_user("coordinator", "BY"))
    html = client.get(AM_2025).get_data(as_text=True)
    assert "Partly implemented" in html and 'data-testid="answers-hidden"' not in html
    assert countries_in_answers(client) == {"AM", "BY"}  # KZ is submitted, not validated


def test_the_answers_setting_never_widens_what_the_scores_setting_hides(app, client, seeded, make_user, auth):
    app.config.update(NATIONAL_SEE_OTHER_COUNTRIES_ANSWERS=True, NATIONAL_SEE_OTHER_COUNTRIES=False)
    auth.login(make_user("coordinator", "BY"))
    assert countries_in_answers(client) == {"BY"}
    assert 'data-testid="no-series"' in client.get(AM_2025).get_data(as_text=True)


def test_staff_read_every_answer(client, seeded, make_user, auth):
    auth.login(make_user("analyst"))
    assert "Partly implemented" in client.get(AM_2025).get_data(as_text=True)
    assert countries_in_answers(client) == {"AM", "BY", "KZ"}
