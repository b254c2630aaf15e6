"""Issue 10, row by row: every value stored is the value the official meant, and every export opens.

Each test runs on SQLite and PostgreSQL (the `app` fixture).
"""
import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook

from tests.input_support import LABEL, add_flag, answer, answers, history_rows, save, set_status, store_raw
from tests.input_support import draft  # noqa: F401  (fixture)

BOM = "\ufeff".encode()


# ---- numbers ---------------------------------------------------------------------------------

def test_a_decimal_comma_typed_in_a_number_field_is_stored_as_nine_and_a_half(app, client, draft):
    response = save(client, draft.id, "kpi.release-hours", value="9,5")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["answer"]["value"] == "9.5"
    assert answer(app, draft.id, "kpi.release-hours").value == "9.5"


def test_a_json_number_is_read_by_its_shortest_form(app, client, draft):
    assert save(client, draft.id, "kpi.e-share", value=0.1).status_code == 200
    assert answer(app, draft.id, "kpi.e-share").value == "0.1"


def test_1500_with_a_comma_sent_by_autosave_is_refused_as_ambiguous(app, client, draft):
    response = save(client, draft.id, "kpi.release-hours", value="1,500")
    assert response.status_code == 422
    assert "ambiguous" in response.get_json()["error"] and response.get_json()["field"] == "value"
    assert answer(app, draft.id, "kpi.release-hours") is None


def excel_csv(rows: list[list[str]]) -> bytes:
    """A CSV as Excel in a Russian locale writes it: semicolons, UTF-8 with a byte-order mark."""
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([["question_key", "value", "comment"], *rows])
    return BOM + out.getvalue().encode("utf-8")


def test_1500_with_a_comma_in_a_csv_import_is_refused_with_its_row_named(app, runner, draft, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_bytes(excel_csv([["kpi.e-share", "97,5", ""], ["kpi.release-hours", "1,500", ""]]))
    result = runner.invoke(args=["assessments", "import", str(path), "--country", "AM", "--cycle", "2026",
                                 "--questionnaire", LABEL])
    assert result.exit_code == 1
    assert re.search(r"Row 3 \(kpi\.release-hours\): “1,500” is ambiguous", result.output), result.output
    assert "nothing was imported" in result.output and answers(app, draft.id) == {}


def test_a_decimal_mark_chosen_on_the_command_line_decides_1500(app, runner, draft, tmp_path):
    path = tmp_path / "answers.csv"
    path.write_bytes(excel_csv([["kpi.e-share", "97,5", ""], ["kpi.release-hours", "1,500", ""]]))
    command = ["assessments", "import", str(path), "--country", "AM", "--cycle", "2026", "--questionnaire", LABEL]
    as_point = runner.invoke(args=[*command, "--decimal", "point"])
    assert as_point.exit_code == 1  # 1,500 is then 1500 hours, above 720; and 97,5 is no number
    assert "Row 3 (kpi.release-hours): 1500 is outside the allowed range (0 – 720)" in as_point.output
    assert "Row 2 (kpi.e-share): “97,5” is not a number" in as_point.output
    as_comma = runner.invoke(args=[*command, "--decimal", "comma"])
    assert as_comma.exit_code == 0, as_comma.output
    assert answers(app, draft.id)["kpi.release-hours"][0] == "1.5"
    assert answers(app, draft.id)["kpi.e-share"][0] == "97.5"


def upload(client, assessment_id: int, data: bytes, name: str = "filled.xlsx", decimal: str = ""):
    return client.post(f"/assessments/{assessment_id}/upload", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name), "decimal": decimal}, follow_redirects=True)


def test_1500_in_an_uploaded_csv_is_refused_unless_the_user_chooses_the_decimal_mark(app, client, draft):
    data = excel_csv([["kpi.release-hours", "1,500", ""]])
    refused = upload(client, draft.id, data, "answers.csv")
    assert refused.status_code == 422 and "Row 2" in refused.get_data(as_text=True)
    assert "ambiguous" in refused.get_data(as_text=True)
    chosen = upload(client, draft.id, data, "answers.csv", decimal=",")
    assert chosen.status_code == 200 and "1.5 hours" in chosen.get_data(as_text=True)


def workbook_of(client, assessment_id: int):
    response = client.get(f"/assessments/{assessment_id}/workbook.xlsx")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.data))


def row_of(sheet, key: str) -> int:
    return next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == key)


def to_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def apply_preview(client, assessment_id: int, page: str):
    token = re.search(r"/upload/([A-Za-z0-9_-]{43})/apply", page).group(1)
    return client.post(f"/assessments/{assessment_id}/upload/{token}/apply")


def test_a_percentage_cell_of_a_percent_question_is_read_as_the_85_it_shows(app, client, draft):
    book = workbook_of(client, draft.id)
    cell = book["kpi"].cell(row_of(book["kpi"], "kpi.e-share"), 5)
    cell.value, cell.number_format = 0.85, "0%"  # what typing 85% in Excel produces
    preview = upload(client, draft.id, to_bytes(book))
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200, page
    assert "85 % of goods declarations" in page and "0.85" not in page
    assert apply_preview(client, draft.id, page).status_code == 302
    assert answer(app, draft.id, "kpi.e-share").value == "85"


def test_a_percentage_cell_of_a_question_in_hours_is_refused_with_its_row(app, client, draft):
    book = workbook_of(client, draft.id)
    row = row_of(book["kpi"], "kpi.release-hours")
    cell = book["kpi"].cell(row, 5)
    cell.value, cell.number_format = 0.5, "0%"
    refused = upload(client, draft.id, to_bytes(book))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert f"Sheet kpi, row {row}" in page and "formatted as a percentage" in page


@pytest.mark.parametrize("raw", ["1e400", "1e1000000", "1234567890123456"])
def test_a_number_with_more_than_15_digits_is_refused_and_nothing_is_stored(app, client, draft, raw):
    response = save(client, draft.id, "kpi.release-hours", value=raw)
    assert response.status_code == 422
    assert "more than 15 digits" in response.get_json()["error"]
    assert answer(app, draft.id, "kpi.release-hours") is None


def test_a_number_outside_the_range_is_refused_on_its_exact_value(app, client, draft):
    response = save(client, draft.id, "kpi.e-share", value="100.000000000001")
    assert response.status_code == 422 and "outside the allowed range (0 – 100)" in response.get_json()["error"]
    assert save(client, draft.id, "kpi.e-share", value="100,0").status_code == 200


@pytest.mark.parametrize("fields", [
    {"not_applicable": "false"}, {"not_applicable": 0}, {"comment": {"text": "x"}}, {"comment": ["x"]},
    {"value": ["9"]}, {"value": {"v": 9}}, {"evidence_url": 5}, {"value": True},
])
def test_a_value_of_the_wrong_json_type_is_refused_not_coerced(app, client, draft, fields):
    key = "kpi.release-hours"
    response = save(client, draft.id, key, **fields)
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["field"] == next(iter(fields))
    assert answer(app, draft.id, key) is None


def test_a_revision_that_is_not_a_whole_number_is_a_bad_request(client, draft):
    for revision in (True, "0", 0.0, -1, None):
        response = client.post(f"/assessments/{draft.id}/answers/kpi.e-share",
                               json={"base_revision": revision, "value": "5"})
        assert response.status_code == 400


# ---- text ------------------------------------------------------------------------------------

def test_a_pasted_soft_line_break_becomes_a_newline_and_other_control_characters_are_removed(app, client, draft):
    response = save(client, draft.id, "transit.e-seals", value="yes",
                    comment="Order 12\u000bof 2025\u0007 \u0085end\r\nnext\u200b")
    assert response.status_code == 200
    assert answer(app, draft.id, "transit.e-seals").comment == "Order 12\nof 2025 \nend\nnext\u200b"


def every_xlsx_export_opens(app, client, runner, assessment_id, tmp_path) -> None:
    own = client.get(f"/assessments/{assessment_id}/workbook.xlsx")
    assert own.status_code == 200
    load_workbook(io.BytesIO(own.data))
    web = client.get("/exports/workbook.xlsx?status=all")
    assert web.status_code == 200
    load_workbook(io.BytesIO(web.data))
    target = tmp_path / "scores.xlsx"
    result = runner.invoke(args=["scores", "export", "--format", "xlsx", "-o", str(target), "--status", "all"])
    assert result.exit_code == 0, result.output
    return load_workbook(target)


def test_every_xlsx_export_opens_whatever_older_rows_hold(app, client, runner, draft, tmp_path):
    assert save(client, draft.id, "transit.e-seals", value="yes", comment="soft\u000bbreak").status_code == 200
    store_raw(app, draft.id, "transit.notes", value="=HYPERLINK(\"x\")\u000b\u0001\ufffe", comment="bell\u0007")
    store_raw(app, draft.id, "kpi.release-hours", value="1" + "0" * 400)  # a 401-digit number stored long ago
    book = every_xlsx_export_opens(app, client, runner, draft.id, tmp_path)
    rows = {r[5]: r for r in book["answers"].iter_rows(values_only=True)}
    assert rows["transit.notes"][7] == "=HYPERLINK(\"x\")\n" and rows["transit.notes"][12] == "bell"
    assert rows["transit.e-seals"][12] == "soft\nbreak"


NUL_FORMS = {
    "login": ("/login", {"email": "a\x00@example.org", "password": "x"}),
    "admin user": ("/admin/users", {"email": "new\x00@example.org", "name": "New", "role": "analyst",
                                    "password": "Correct-Horse-Battery-9"}),
}


@pytest.mark.parametrize("form", sorted(NUL_FORMS))
def test_nul_in_a_form_is_a_bad_request_with_a_message(app, client, make_user, auth, form):
    auth.login(make_user("admin"))
    url, data = NUL_FORMS[form]
    response = client.post(url, data=data)
    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)


def test_nul_in_a_flag_and_in_a_reply_is_a_bad_request(app, client, draft, make_user, auth):
    analyst = make_user("analyst")
    set_status(app, draft.id, "submitted")
    auth.logout()
    auth.login(analyst)
    flagged = client.post(f"/review/{draft.id}/flags", data={"question_key": "kpi.e-share", "comment": "x\x00y"})
    assert flagged.status_code == 400
    flag_id = add_flag(app, draft.id, analyst.id, "kpi.e-share")
    set_status(app, draft.id, "returned")
    auth.logout()
    auth.login(draft.coordinator)
    replied = client.post(f"/assessments/{draft.id}/flags/{flag_id}/reply", data={"response": "a\x00", "dimension": "kpi"})
    assert replied.status_code == 400


@pytest.mark.parametrize("url", [
    "/dashboard/?cycle=%00", "/dashboard/overview?cycle=20%0026", "/dashboard/trends?dimension=%00",
    "/dashboard/country/A%00", "/exports/?cycle=%00", "/exports/scores.csv?cycle=%00",
    "/exports/answers.csv?country=%00", "/exports/workbook.xlsx?questionnaire=%00", "/assessments/%00",
    "/login?next=%00",
])
def test_nul_in_a_query_string_or_path_is_a_bad_request(client, make_user, auth, url):
    auth.login(make_user("analyst"))
    assert client.get(url).status_code == 400


@pytest.mark.parametrize("field", ["comment", "evidence_url", "value"])
@pytest.mark.parametrize("bad", ["a\u0000b", "\ud800x"])
def test_nul_and_lone_surrogates_in_an_autosave_are_refused_with_the_field_named(app, client, draft, field, bad):
    key = "transit.notes"
    body = json.dumps({"base_revision": 0, field: bad}, ensure_ascii=True)
    response = client.post(f"/assessments/{draft.id}/answers/{key}", data=body, content_type="application/json")
    assert response.status_code == 422 and response.get_json()["field"] == field
    assert answer(app, draft.id, key) is None


def test_a_comment_over_the_limit_is_refused_and_one_at_the_limit_is_stored(app, client, draft):
    refused = save(client, draft.id, "transit.e-seals", comment="x" * 10_001)
    assert refused.status_code == 422 and refused.get_json()["field"] == "comment"
    assert "10000" in refused.get_json()["error"].replace(",", "").replace("\u00a0", "")
    assert save(client, draft.id, "transit.e-seals", comment="x" * 10_000).status_code == 200


def test_a_deeply_nested_autosave_body_is_a_bad_request(client, draft):
    for depth in (20, 100_000):
        body = '{"base_revision": 0, "value": ' + "[" * depth + "]" * depth + "}"
        response = client.post(f"/assessments/{draft.id}/answers/kpi.e-share", data=body,
                               content_type="application/json")
        assert response.status_code == 400


def test_nan_and_infinity_in_an_autosave_body_are_a_bad_request(client, draft):
    for constant in ("NaN", "Infinity", "-Infinity"):
        response = client.post(f"/assessments/{draft.id}/answers/kpi.e-share",
                               data='{"base_revision": 0, "value": %s}' % constant, content_type="application/json")
        assert response.status_code == 400


def test_an_evidence_link_that_is_not_a_web_address_is_refused_with_the_field_named(app, client, draft):
    response = save(client, draft.id, "transit.e-seals", evidence_url="javascript:alert(1)")
    assert response.status_code == 422 and response.get_json()["field"] == "evidence_url"
    assert answer(app, draft.id, "transit.e-seals") is None


# ---- saves that change nothing ---------------------------------------------------------------

def test_a_comment_typed_then_tabbed_past_records_one_revision_and_one_history_row(app, client, draft):
    key = "transit.e-seals"
    assert save(client, draft.id, key, value="yes", comment="Seals since 2024", evidence_url="").status_code == 200
    again = save(client, draft.id, key, value="yes", comment="Seals since 2024 ", evidence_url="")
    assert again.status_code == 200 and again.get_json()["answer"]["revision"] == 1
    assert answer(app, draft.id, key).revision == 1 and history_rows(app, draft.id, key) == 1


def test_a_save_of_an_empty_answer_that_does_not_exist_stores_nothing(app, client, draft):
    response = save(client, draft.id, "transit.notes", value=None, comment="", evidence_url="")
    assert response.status_code == 200 and response.get_json()["answer"]["revision"] == 0
    assert answer(app, draft.id, "transit.notes") is None and history_rows(app, draft.id, "transit.notes") == 0


# ---- hidden answers --------------------------------------------------------------------------

def hide_the_follow_up(client, assessment_id: int) -> None:
    assert save(client, assessment_id, "transit.e-seals", value="yes").status_code == 200
    assert save(client, assessment_id, "transit.e-seals-alerts", value="yes").status_code == 200
    assert save(client, assessment_id, "transit.e-seals", value="no").status_code == 200


def test_a_hidden_answer_is_exported_marked_hidden_and_without_points(app, client, draft):
    hide_the_follow_up(client, draft.id)
    response = client.get("/exports/answers.csv?status=all")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert list(rows[0])[-1] == "hidden"
    by_key = {r["question_key"]: r for r in rows}
    assert by_key["transit.e-seals-alerts"]["hidden"] == "true" and by_key["transit.e-seals-alerts"]["points"] == ""
    assert by_key["transit.e-seals-alerts"]["value"] == "yes"
    assert by_key["transit.e-seals"]["hidden"] == "false" and by_key["transit.e-seals"]["points"] == "0.00"


def test_a_hidden_answer_is_marked_on_the_review_and_history_pages(app, client, draft, make_user, auth):
    hide_the_follow_up(client, draft.id)
    history = client.get(f"/assessments/{draft.id}/history/transit.e-seals-alerts").get_data(as_text=True)
    assert 'data-testid="hidden-answer"' in history
    set_status(app, draft.id, "submitted")
    auth.logout()
    auth.login(make_user("analyst"))
    review = client.get(f"/review/{draft.id}").get_data(as_text=True)
    assert 'data-testid="hidden-transit.e-seals-alerts"' in review
    assert 'data-testid="hidden-transit.e-seals"' not in review


def test_a_hidden_answer_is_not_carried_forward(app, client, draft):
    from app.extensions import db
    from app.models import Assessment, QuestionnaireVersion, User
    from app.services.assessments import start_assessment

    hide_the_follow_up(client, draft.id)
    set_status(app, draft.id, "validated")
    with app.app_context():
        db.session.get(Assessment, draft.id).validated_at = db.func.now()
        db.session.commit()
        version = db.session.get(QuestionnaireVersion, draft.version_id)
        carried = start_assessment(db.session.get(User, draft.coordinator.id), "AM", version, "2027",
                                   carry_forward=True).id
    assert set(answers(app, carried)) == {"transit.e-seals"}


# ---- round trip and CSV/XLSX files -----------------------------------------------------------

def test_a_workbook_downloaded_and_uploaded_unchanged_changes_nothing_with_a_text_beginning_with_equals(
        app, client, draft):
    assert save(client, draft.id, "transit.notes", value="=SUM(A1:A3) is how we count",
                comment="+7 495 123-45-67").status_code == 200
    assert save(client, draft.id, "kpi.release-hours", value="0,000001").status_code == 200
    store_raw(app, draft.id, "transit.e-seals", value="yes", comment="older\u000brow\u0001")
    response = upload(client, draft.id, to_bytes(workbook_of(client, draft.id)))
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert 'data-testid="no-changes"' in page, page


def test_csv_exports_start_with_a_byte_order_mark_unless_asked_not_to(client, runner, draft, tmp_path):
    for name in ("scores.csv", "answers.csv"):
        assert client.get(f"/exports/{name}?status=all").data.startswith(BOM)
        for no in ("0", "no", "false", "off"):  # the one yes/no reading of scoring.flags.parse_bool
            assert not client.get(f"/exports/{name}?status=all&bom={no}").data.startswith(BOM)
        assert client.get(f"/exports/{name}?status=all&bom=nonsense").data.startswith(BOM)
    with_bom, without = tmp_path / "a.csv", tmp_path / "b.csv"
    runner.invoke(args=["scores", "export", "-o", str(with_bom), "--status", "all", "--table", "answers"])
    runner.invoke(args=["scores", "export", "-o", str(without), "--status", "all", "--table", "answers", "--no-bom"])
    assert with_bom.read_bytes().startswith(BOM) and not without.read_bytes().startswith(BOM)
    assert with_bom.read_bytes()[len(BOM):] == without.read_bytes()


def test_the_xlsx_export_writes_numbers_as_numbers_and_formula_like_text_as_text(app, client, runner, draft,
                                                                                   tmp_path):
    assert save(client, draft.id, "kpi.release-hours", value="12,5").status_code == 200
    assert save(client, draft.id, "transit.notes", value="=1+2", comment="-minus").status_code == 200
    book = every_xlsx_export_opens(app, client, runner, draft.id, tmp_path)
    cells = {r[5].value: r for r in book["answers"].iter_rows()}
    assert cells["kpi.release-hours"][7].value == 12.5 and cells["kpi.release-hours"][7].data_type == "n"
    notes = cells["transit.notes"]
    assert (notes[7].value, notes[7].data_type) == ("=1+2", "s")
    assert (notes[12].value, notes[12].data_type) == ("-minus", "s")


def test_an_unchanged_download_keeps_an_older_number_that_no_longer_parses(app, client, draft):
    store_raw(app, draft.id, "kpi.release-hours", value="1" + "0" * 400)
    response = upload(client, draft.id, to_bytes(workbook_of(client, draft.id)))
    assert response.status_code == 200 and 'data-testid="no-changes"' in response.get_data(as_text=True)
    assert answer(app, draft.id, "kpi.release-hours").value == "1" + "0" * 400

