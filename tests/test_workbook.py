"""The XLSX download: instructions, a protected sheet per dimension, drop-downs, current answers."""
import pytest

from app.services.workbook import COLUMNS, FORMAT
from tests.test_transfer_support import cell, open_workbook, parsed_questionnaire, save
from tests.test_transfer_support import assessment_id, coordinator  # noqa: F401  (fixtures)


@pytest.fixture
def book(client, auth, coordinator, assessment_id):
    auth.login(coordinator)
    return open_workbook(client.get(f"/assessments/{assessment_id}/workbook.xlsx").data)


def validation_of(sheet, coordinate: str):
    return next(v for v in sheet.data_validations.dataValidation if coordinate in v.sqref)


def test_the_download_is_an_xlsx_attachment_named_after_the_assessment(client, auth, coordinator, assessment_id):
    auth.login(coordinator)
    response = client.get(f"/assessments/{assessment_id}/workbook.xlsx")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "AM_digital-customs-maturity-2026.1_cycle-2026.xlsx" in response.headers["Content-Disposition"]


def test_the_workbook_has_instructions_then_one_sheet_per_dimension(app, book, assessment_id):
    dimensions = [d.key for d in parsed_questionnaire(app).dimensions]
    assert book.sheetnames == ["Instructions", *dimensions, "_meta", "_lists"]
    assert [book[name].sheet_state for name in ("_meta", "_lists")] == ["veryHidden", "veryHidden"]
    assert book.security.lockStructure
    meta = {row[0]: row[1] for row in book["_meta"].iter_rows(values_only=True)}
    assert meta["format"] == FORMAT and meta["assessment_id"] == assessment_id
    assert (meta["questionnaire"], meta["country"], meta["cycle"]) == ("digital-customs-maturity@2026.1", "AM", "2026")


def test_the_instructions_name_the_assessment_and_explain_the_locked_columns(book):
    text = "\n".join(str(c) for row in book["Instructions"].iter_rows(values_only=True) for c in row if c)
    for expected in ("Digital customs maturity self-assessment", "digital-customs-maturity@2026.1",
                     "Armenia (AM)", "2026", "Draft", "Grey columns are locked", "“Revision”",
                     "formulas are refused"):
        assert expected in text


def test_a_dimension_sheet_lists_its_questions_in_order_with_key_columns_locked(app, book):
    legal = parsed_questionnaire(app).dimensions[0]
    sheet = book["legal"]
    assert [c.value for c in sheet[1]] == [c.key for c in COLUMNS]
    assert sheet.row_dimensions[1].hidden and sheet.freeze_panes == "B3"
    assert [sheet.cell(r, 1).value for r in range(3, 3 + len(legal.questions))] == [q.key for q in legal.questions]
    assert sheet.protection.sheet
    first = legal.questions[0].key
    for column in ("question_key", "revision", "stage", "question", "how_to_answer", "help", "source"):
        assert cell(sheet, first, column).protection.locked, column
    for column in ("value", "comment", "evidence_url"):
        assert not cell(sheet, first, column).protection.locked, column
    assert cell(sheet, first, "stage").value == "Paperless"
    assert cell(sheet, first, "revision").value == 0


def test_not_applicable_is_open_only_where_the_question_allows_it(book):
    sheet = book["infrastructure"]
    assert not cell(sheet, "infrastructure.smart-checkpoint", "not_applicable").protection.locked
    assert cell(sheet, "infrastructure.kpi-system-availability", "not_applicable").protection.locked
    na = cell(sheet, "infrastructure.smart-checkpoint", "not_applicable").coordinate
    assert validation_of(sheet, na).type == "list"


def test_option_answers_have_a_drop_down_of_the_localised_labels(app, book):
    sheet = book["legal"]
    validation = validation_of(sheet, cell(sheet, "legal.e-signature", "value").coordinate)
    assert validation.type == "list" and validation.formula1.startswith("'_lists'!$")
    column = validation.formula1.split("!")[1].split(":")[0].replace("$", "")[0]
    labels = [c.value for c in book["_lists"][column] if c.value]
    assert labels == ["No legal basis", "Draft act in preparation", "Adopted, not yet fully applied",
                      "Adopted and applied in practice"]


def test_number_answers_are_validated_as_decimals_within_the_range(book):
    sheet = book["declaration"]
    target = cell(sheet, "declaration.kpi-release-time", "value")
    validation = validation_of(sheet, target.coordinate)
    assert (validation.type, validation.operator, validation.formula1, validation.formula2) == (
        "decimal", "between", "0.0", "720.0")
    assert "A number from 0 to 720 (hours)." in cell(sheet, "declaration.kpi-release-time", "how_to_answer").value


def test_conditional_questions_say_when_they_apply(book):
    text = cell(book["risk"], "risk.ai-model-validation", "how_to_answer").value
    assert "Answer only if the answer to risk.ai-risk-models is: Pilot or test operation;" in text


def test_current_answers_are_filled_in_as_the_respondent_sees_them(app, client, auth, coordinator, assessment_id):
    save(app, coordinator, assessment_id, "legal.e-signature", {"value": "applied", "comment": "=cmd|' /C calc'!A0",
                                                                 "evidence_url": "https://example.am/law"}, 0)
    save(app, coordinator, assessment_id, "declaration.kpi-release-time", {"value": "2.5"}, 0)
    save(app, coordinator, assessment_id, "infrastructure.smart-checkpoint", {"not_applicable": True}, 0)
    auth.login(coordinator)
    book = open_workbook(client.get(f"/assessments/{assessment_id}/workbook.xlsx").data)
    legal = book["legal"]
    assert cell(legal, "legal.e-signature", "value").value == "Adopted and applied in practice"
    assert cell(legal, "legal.e-signature", "revision").value == 1
    assert cell(legal, "legal.e-signature", "evidence_url").value == "https://example.am/law"
    comment = cell(legal, "legal.e-signature", "comment")
    assert (comment.value, comment.data_type) == ("=cmd|' /C calc'!A0", "s")
    assert cell(book["declaration"], "declaration.kpi-release-time", "value").value == 2.5
    assert cell(book["infrastructure"], "infrastructure.smart-checkpoint", "not_applicable").value == "Yes"


def test_a_locked_assessment_gives_a_read_only_workbook(app, client, auth, assessment_id, make_user):
    from app.extensions import db
    from app.models import Assessment

    with app.app_context():
        db.session.get(Assessment, assessment_id).status = "validated"
        db.session.commit()
    auth.login(make_user("analyst"))
    book = open_workbook(client.get(f"/assessments/{assessment_id}/workbook.xlsx").data)
    assert cell(book["legal"], "legal.e-signature", "value").protection.locked
    assert not book["legal"].data_validations.dataValidation
    assert "does not accept changes" in book["Instructions"]["B10"].value


def test_the_workbook_speaks_the_users_language(client, auth, coordinator, assessment_id):
    auth.login(coordinator)
    client.post("/language/ru")
    book = open_workbook(client.get(f"/assessments/{assessment_id}/workbook.xlsx").data)
    assert book.sheetnames[0] == "Инструкция"
    assert book["legal"]["D2"].value == "Вопрос"
    assert cell(book["legal"], "legal.e-signature", "stage").value == "Безбумажная"
    assert book["Инструкция"]["A1"].value == "Самооценка уровня зрелости цифровой таможни"
