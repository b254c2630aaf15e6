"""Reading answer files and checking their rows: row-precise problems, changes, hostile files."""
import pytest

import scoring
from app import create_app
from app.services.import_checks import plan
from app.services.import_files import ImportRefused, MAX_ROWS, read_rows
from tests.conftest import make_config
from tests.test_transfer_support import DCM, MINIMAL_XLSX_PARTS, csv_bytes, open_workbook, to_bytes, zip_bytes

QUESTIONNAIRE = scoring.load_file(DCM)


@pytest.fixture
def ctx(tmp_path):
    """An app context (English) without a database: reading and checking need none."""
    app = create_app(make_config("sqlite://", tmp_path))
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield app


def check(filename: str, data: bytes, answers=None):
    rows, _meta = read_rows(filename, data)
    return plan(QUESTIONNAIRE, answers or {}, rows, revisions=False)


def messages(result) -> list[str]:
    return [str(p) for p in result.problems]


def test_a_csv_with_values_labels_and_flags_becomes_changes(ctx):
    result = check("answers.csv", csv_bytes(
        "question_key,value,not_applicable,comment,evidence_url\n"
        "legal.e-signature,applied,,Law 12-N,https://example.org/law\n"
        "legal.e-document-legal-force,Adopted and applied in practice,no,,\n"
        "legal.e-shipping-documents,акт принят и применяется на практике,0,,\n"
        "declaration.kpi-e-declaration-share,\"97,5\",,,\n"))
    assert result.problems == []
    after = {c.key: c.after for c in result.changes}
    assert after["legal.e-signature"] == {"value": "applied", "comment": "Law 12-N",
                                          "evidence_url": "https://example.org/law"}
    assert after["legal.e-document-legal-force"] == {"value": "applied"}
    assert after["legal.e-shipping-documents"] == {"value": "applied"}
    assert list(after.values())[-1] == {"value": "97.5"}


def test_a_csv_with_a_bom_and_semicolons_is_read(ctx):
    result = check("answers.csv", csv_bytes("question_key;value\nlegal.e-signature;draft\n", bom=True))
    assert [(c.key, c.after) for c in result.changes] == [("legal.e-signature", {"value": "draft"})]


def test_changes_come_in_questionnaire_order_whatever_the_file_order(ctx):
    keys = [q.key for q in QUESTIONNAIRE.questions]
    result = check("a.csv", csv_bytes(f"question_key,value\n{keys[5]},none\n{keys[0]},none\n"))
    assert [c.key for c in result.changes] == [keys[0], keys[5]]


def test_every_bad_row_is_reported_with_its_row_number(ctx):
    result = check("answers.csv", csv_bytes(
        "question_key,value,not_applicable,evidence_url\n"
        "legal.e-signature,maybe,,\n"
        "legal.no-such-question,applied,,\n"
        "declaration.kpi-e-declaration-share,150,,\n"
        "declaration.kpi-e-declaration-share,abc,,\n"
        "legal.e-document-legal-force,applied,yes,\n"
        "legal.e-shipping-documents,applied,,ftp://example.org/x\n"
        ",applied,,\n"
        "legal.e-declaring-priority,applied,perhaps,\n"))
    assert messages(result) == [
        "Row 2 (legal.e-signature): “maybe” is not one of the answers to this question; choose one of "
        "“No legal basis”, “Draft act in preparation”, “Adopted, not yet fully applied”, "
        "“Adopted and applied in practice”.",
        "Row 3 (legal.no-such-question): there is no question with this key in digital-customs-maturity@2026.1.",
        "Row 4 (declaration.kpi-e-declaration-share): 150 is outside the allowed range (0 – 100).",
        "Row 5 (declaration.kpi-e-declaration-share): the question is already given in Row 4.",
        "Row 6 (legal.e-document-legal-force): This question cannot be marked as not applicable.",
        "Row 7 (legal.e-shipping-documents): The evidence link must be a web address starting with http:// "
        "or https://.",
        "Row 8: the question key is empty.",
        "Row 9 (legal.e-declaring-priority): “perhaps” in the column not_applicable is not yes or no.",
    ]


def test_a_word_where_a_number_belongs_is_reported(ctx):
    result = check("a.csv", csv_bytes("question_key,value\ndeclaration.kpi-e-declaration-share,most\n"))
    assert messages(result) == ["Row 2 (declaration.kpi-e-declaration-share): “most” is not a number."]


def test_a_csv_cell_starting_with_equals_is_refused_as_a_formula(ctx):
    result = check("a.csv", csv_bytes('question_key,value,comment\nlegal.e-signature,applied,"=HYPERLINK(""x"")"\n'))
    assert messages(result) == ["Row 2 (legal.e-signature): formulas are not accepted (column comment); "
                                "type the value itself."]


def test_not_applicable_clears_the_answer_where_it_is_allowed(ctx):
    key = next(q.key for q in QUESTIONNAIRE.questions if q.na_allowed and q.show_if is None)
    result = check("a.csv", csv_bytes(f"question_key,value,not_applicable\n{key},,да\n"))
    assert [(c.key, c.after) for c in result.changes] == [(key, {"not_applicable": True})]


def test_an_answer_to_a_question_its_condition_hides_is_refused(ctx):
    result = check("a.csv", csv_bytes("question_key,value\nrisk.ai-risk-models,none\nrisk.ai-model-validation,full\n"))
    dependant = next(q for q in QUESTIONNAIRE.questions if q.show_if and q.show_if.question == "risk.ai-risk-models")
    assert dependant.key == "risk.ai-model-validation"
    assert messages(result) == ["Row 3 (risk.ai-model-validation): this question does not apply given the answer to "
                                "risk.ai-risk-models; leave it empty."]


def test_the_same_answer_to_a_shown_question_is_accepted(ctx):
    result = check("a.csv", csv_bytes("question_key,value\nrisk.ai-risk-models,full\nrisk.ai-model-validation,full\n"))
    assert result.problems == [] and len(result.changes) == 2


def test_a_csv_without_a_value_column_is_refused(ctx):
    with pytest.raises(ImportRefused, match="no column “value”"):
        check("a.csv", csv_bytes("question_key,comment\nlegal.e-signature,applied\n"))


def test_an_unknown_column_is_refused_rather_than_ignored(ctx):
    with pytest.raises(ImportRefused, match="unknown column “coment”"):
        check("a.csv", csv_bytes("question_key,value,coment\nlegal.e-signature,applied,x\n"))


def test_a_csv_in_a_legacy_encoding_is_refused_with_a_hint(ctx):
    with pytest.raises(ImportRefused, match="CSV UTF-8"):
        check("a.csv", "question_key,value,comment\nlegal.e-signature,applied,Закон\n".encode("cp1251"))


def test_a_file_of_another_type_is_refused(ctx):
    with pytest.raises(ImportRefused, match="Only .xlsx workbooks and .csv files"):
        check("answers.pdf", b"%PDF-1.4")


def test_a_file_with_only_a_header_has_no_answer_rows(ctx):
    with pytest.raises(ImportRefused, match="no answer rows"):
        check("a.csv", csv_bytes("question_key,value\n"))


def test_too_many_rows_are_refused(ctx):
    body = "".join(f"k{i},x\n" for i in range(MAX_ROWS + 1))
    with pytest.raises(ImportRefused, match=f"more than {MAX_ROWS} rows"):
        check("a.csv", csv_bytes("question_key,value\n" + body))


# ----------------------------------------------------------------------------- hostile and malformed workbooks


def plain_workbook(rows, title="answers") -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    return to_bytes(book)


def test_a_plain_workbook_with_the_csv_columns_is_read(ctx):
    result = check("a.xlsx", plain_workbook([("question_key", "value"), ("legal.e-signature", "Adopted and "
                                                                         "applied in practice"),
                                             ("declaration.kpi-e-declaration-share", 97.5)]))
    assert [c.after for c in result.changes] == [{"value": "applied"}, {"value": "97.5"}]


def test_a_formula_cell_is_refused_with_its_sheet_and_row(ctx):
    result = check("a.xlsx", plain_workbook([("question_key", "value"), ("legal.e-signature", "=A1")]))
    assert messages(result) == ["Sheet answers, row 2 (legal.e-signature): formulas are not accepted "
                                "(column value); type the value itself."]


def test_a_sheet_without_the_columns_is_refused(ctx):
    book = open_workbook(plain_workbook([("question_key", "value"), ("legal.e-signature", "applied")]))
    book.create_sheet("Notes").append(("Anything", "else"))
    with pytest.raises(ImportRefused, match="Sheet Notes has no header row with the columns question_key and value"):
        check("a.xlsx", to_bytes(book))


def test_text_that_is_not_a_zip_is_not_a_workbook(ctx):
    with pytest.raises(ImportRefused, match=r"not an Excel workbook \(.xlsx\)"):
        check("a.xlsx", b"question_key,value\nlegal.e-signature,applied\n")


def test_an_old_excel_file_is_refused_with_a_hint(ctx):
    with pytest.raises(ImportRefused, match="old-format Excel file"):
        check("a.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)


def test_a_zip_that_is_not_a_workbook_is_refused(ctx):
    with pytest.raises(ImportRefused, match=r"not an Excel workbook"):
        check("a.xlsx", zip_bytes({"readme.txt": b"hello"}))


def test_a_macro_enabled_workbook_is_refused(ctx):
    with pytest.raises(ImportRefused, match="Macro-enabled"):
        check("a.xlsx", zip_bytes({**MINIMAL_XLSX_PARTS, "xl/vbaProject.bin": b"\0" * 100}))
    with pytest.raises(ImportRefused, match="Macro-enabled"):
        check("a.xlsm", zip_bytes(MINIMAL_XLSX_PARTS))


def test_a_highly_compressible_huge_member_is_refused_as_a_zip_bomb(ctx):
    bomb = zip_bytes({**MINIMAL_XLSX_PARTS, "xl/worksheets/sheet1.xml": b"\0" * (60 * 1024 * 1024)})
    assert len(bomb) < 200_000
    with pytest.raises(ImportRefused, match="zip bomb"):
        check("a.xlsx", bomb)


def test_an_absurd_compression_ratio_is_refused_even_under_the_size_limit(ctx):
    bomb = zip_bytes({**MINIMAL_XLSX_PARTS, "xl/worksheets/sheet1.xml": b" " * (20 * 1024 * 1024)})
    with pytest.raises(ImportRefused, match="compressed to an implausible degree"):
        check("a.xlsx", bomb)


def test_a_member_that_claims_a_huge_size_is_refused(ctx):
    data = bytearray(zip_bytes({**MINIMAL_XLSX_PARTS, "xl/worksheets/sheet1.xml": b"<x/>"}))
    central = data.rfind(b"PK\x01\x02")  # the last member's central directory entry
    data[central + 24:central + 28] = (0xFFFFFFF0).to_bytes(4, "little")  # uncompressed size: 4 GB
    with pytest.raises(ImportRefused, match="zip bomb"):
        check("a.xlsx", bytes(data))


def test_a_member_that_unpacks_to_more_than_it_claims_is_refused(ctx):
    data = bytearray(zip_bytes({**MINIMAL_XLSX_PARTS, "xl/worksheets/sheet1.xml": b"<x/>" * 1000}))
    central = data.rfind(b"PK\x01\x02")
    data[central + 24:central + 28] = (10).to_bytes(4, "little")  # claims 10 bytes, holds 4000
    with pytest.raises(ImportRefused, match="damaged"):
        check("a.xlsx", bytes(data))


def test_xml_entity_declarations_are_refused_before_parsing(ctx):
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
              b"<workbook>&lol2;</workbook>")
    with pytest.raises(ImportRefused, match="XML declarations"):
        check("a.xlsx", zip_bytes({**MINIMAL_XLSX_PARTS, "xl/workbook.xml": laughs}))


def test_a_damaged_workbook_is_refused_cleanly(ctx):
    with pytest.raises(ImportRefused, match="could not be read as an Excel workbook"):
        check("a.xlsx", zip_bytes(MINIMAL_XLSX_PARTS))
