"""scores.csv, answers.csv and the workbook: exact columns, the engine's numbers, filters, rights, safety."""
import io

import pandas as pd
import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.extensions import db
from app.models import AuditEvent
from app.services import export_formats as formats
from app.services import scores
from tests.test_dashboard_data import seeded  # noqa: F401  (fixture)

SCORE_COLUMNS = ["country_code", "country_name", "cycle", "questionnaire_id", "questionnaire_version",
                 "scoring_version", "assessment_id", "status", "dimension_key", "dimension_title", "level",
                 "level_label", "index", "stage_paperless", "stage_electronic", "answered", "applicable",
                 "completeness", "submitted_at", "validated_at", "evidence_coverage", "weakest_dimensions"]
ANSWER_COLUMNS = ["country_code", "cycle", "questionnaire_id", "questionnaire_version", "dimension_key",
                  "question_key", "stage", "value", "value_label", "not_applicable", "points", "max_points",
                  "comment", "evidence_url", "updated_by", "updated_at", "hidden"]
V1 = "questionnaire=mini-maturity@2026.1"


def frame(response) -> pd.DataFrame:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return pd.read_csv(io.BytesIO(response.get_data()), dtype={"cycle": str, "questionnaire_version": str,
                                                               "value": str})


@pytest.fixture
def analyst(make_user, auth):
    user = make_user("analyst")
    auth.login(user)
    return user


def test_scores_csv_has_the_contract_columns_and_the_engines_numbers(app, client, seeded, analyst):
    table = frame(client.get(f"/exports/scores.csv?{V1}"))
    assert list(table.columns) == SCORE_COLUMNS
    assert list(table.dimension_key[:3]) == ["legal", "tech", "_overall"]  # dimension order, overall last
    with app.app_context():
        for code, cycle in (("AM", "2024"), ("AM", "2025"), ("BY", "2025")):
            stored = scores.rows_for(seeded[(code, cycle)])
            rows = table[(table.country_code == code) & (table.cycle == cycle)].set_index("dimension_key")
            for key, row in stored.items():
                assert rows.loc[key, "index"] == pytest.approx(round(row.index, 2))
                assert rows.loc[key, "level"] == row.level
                assert rows.loc[key, "completeness"] == pytest.approx(round(row.completeness * 100, 2))
                assert rows.loc[key, "stage_electronic"] == pytest.approx(round(row.stages["electronic"] * 100, 2))


def test_scores_csv_formats_percentages_labels_and_utc_times(client, seeded, analyst):
    text = client.get(f"/exports/scores.csv?{V1}&country=AM&cycle=2025").get_data(as_text=True)
    lines = text.splitlines()
    assert len(lines) == 4
    assert lines[3].startswith("AM,Armenia,2025,mini-maturity,2026.1,")
    assert lines[3].endswith(",validated,_overall,Overall,1,Paperless,87.50,100.00,75.00,5,5,100.00,"
                             "2025-11-03T09:30:00Z,2025-11-03T09:30:00Z,0.00,legal")


def test_labels_follow_the_chosen_language(client, seeded, analyst):
    table = frame(client.get(f"/exports/scores.csv?{V1}&lang=ru&country=BY"))
    assert set(table.country_name) == {"Беларусь"}
    assert list(table.dimension_title) == ["Правовая основа", "Технологии", "Итого"]
    assert set(table.level_label) == {"Ниже этапа «Безбумажная»"}


def test_answers_csv_is_one_row_per_answer_with_points_and_labels(client, seeded, analyst):
    table = frame(client.get(f"/exports/answers.csv?{V1}&cycle=2025&country=AM&lang=ru"))
    assert list(table.columns) == ANSWER_COLUMNS
    assert list(table.question_key) == ["legal.a", "legal.b", "tech.a", "tech.b", "tech.c"]
    legal_b = table.set_index("question_key").loc["legal.b"]
    assert (legal_b.value, legal_b.value_label, legal_b.points, legal_b.max_points) == (
        "partial", "Частично", 1.0, 2.0)
    tech_b = table.set_index("question_key").loc["tech.b"]
    assert (tech_b.dimension_key, tech_b.stage, tech_b.value_label, tech_b.points) == ("tech", "electronic", "2 ч", 1.0)
    assert list(table.not_applicable) == [False] * 5


def test_cells_that_a_spreadsheet_would_run_are_neutralised(client, seeded, analyst):
    table = frame(client.get(f"/exports/answers.csv?{V1}&cycle=2025&country=AM"))
    by_key = table.set_index("question_key")
    assert by_key.loc["tech.c", "value"] == "'=HYPERLINK(\"http://evil\")"
    assert by_key.loc["legal.a", "comment"] == "'@SUM(A1)"


@pytest.mark.parametrize("cell, expected", [
    ("=1+1", "'=1+1"), ("+7 495 000", "'+7 495 000"), ("-cmd", "'-cmd"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("-5", "-5"), ("12.5", "12.5"), ("plain", "plain"), (3.5, 3.5), (None, None)])
def test_neutralise_prefixes_formula_starts_but_keeps_numbers(cell, expected):
    assert formats.neutralise(cell) == expected


def test_the_status_filter_is_validated_by_default_and_submitted_on_request(client, seeded, analyst):
    default = frame(client.get(f"/exports/scores.csv?{V1}"))
    submitted = frame(client.get(f"/exports/scores.csv?{V1}&status=submitted"))
    assert set(default.status) == {"validated"}
    assert set(submitted.status) == {"validated", "submitted"} and "KG" not in set(submitted.country_code)


def test_a_national_user_exports_only_what_they_may_see(client, seeded, make_user, auth):
    auth.login(make_user("respondent", "KG"))
    scores_table = frame(client.get(f"/exports/scores.csv?{V1}&status=all"))
    answers_table = frame(client.get(f"/exports/answers.csv?{V1}&status=all"))
    assert set(zip(scores_table.country_code, scores_table.status)) == {
        ("AM", "validated"), ("BY", "validated"), ("KG", "draft")}
    assert set(answers_table.country_code) == {"KG"}  # others' answers are not theirs to read


def test_nothing_of_other_countries_when_the_configuration_hides_them(app, client, seeded, make_user, auth):
    app.config["NATIONAL_SEE_OTHER_COUNTRIES"] = False
    auth.login(make_user("coordinator", "BY"))
    assert set(frame(client.get("/exports/scores.csv?status=submitted")).country_code) == {"BY"}


def test_the_workbook_has_scores_answers_and_questionnaire_sheets_in_the_chosen_language(client, seeded, analyst):
    response = client.get(f"/exports/workbook.xlsx?{V1}&lang=ru&cycle=2025")
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="scores_mini-maturity-2026.1_2025_all-countries_validated.xlsx"'
    book = load_workbook(io.BytesIO(response.get_data()))
    assert book.sheetnames == ["scores", "answers", "measures", "questionnaire"]
    score_rows = list(book["scores"].values)
    assert list(score_rows[0]) == SCORE_COLUMNS and len(score_rows) == 1 + 2 * 3
    assert score_rows[3][9:13] == ("Итого", 1, "Безбумажная", 87.5)
    # text that looks like a formula keeps its visible text: the cell type (text), not an apostrophe, stops it
    formula = [c for row in book["answers"].iter_rows() for c in row if str(c.value).startswith("=")]
    assert formula and all(c.data_type == "s" for c in formula)
    assert not [c for row in book["answers"].iter_rows() for c in row if str(c.value).startswith("'")]
    questions = list(book["questionnaire"].values)
    assert questions[1][:7] == ("mini-maturity", "2026.1", "legal", "Правовая основа", "legal.a", "paperless",
                                "Безбумажная")
    book.close()


def test_web_exports_stream_and_are_audited(app, client, seeded, analyst):
    response = client.get(f"/exports/answers.csv?{V1}")
    assert response.is_streamed and response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == \
        'attachment; filename="answers_mini-maturity-2026.1_all-cycles_all-countries_validated.csv"'
    response.close()
    with app.app_context():
        event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "export.download")).one()
    assert event.target == "answers.csv" and event.after["questionnaire"] == "mini-maturity@2026.1"


def test_an_unknown_questionnaire_is_a_bad_request(client, seeded, analyst):
    assert client.get("/exports/scores.csv?questionnaire=nope@1").status_code == 400


def test_csv_is_written_in_chunks_as_rows_come():
    rows = ([i, f"row {i}"] for i in range(1200))
    chunks = list(formats.csv_chunks(rows, rows_per_chunk=500))
    assert len(chunks) == 3 and "".join(chunks).count("\r\n") == 1200


def test_the_export_page_offers_the_filters_and_the_download_links(client, seeded, analyst):
    html = client.get(f"/exports/?{V1}&cycle=2025&lang=ru").get_data(as_text=True)
    assert 'formaction="/exports/scores.csv"' in html and 'formaction="/exports/workbook.xlsx"' in html
    link = "/exports/answers.csv?questionnaire=mini-maturity@2026.1&amp;cycle=2025&amp;status=validated&amp;lang=ru"
    assert link in html
