"""The XLSX download of an assessment: instructions, one protected sheet per dimension, drop-downs, answers."""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime, timezone

import openpyxl
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

import scoring
from app.i18n import localised
from app.labels import answer_text, source_labels, status_label
from app.models import Answer, Assessment
from app.services import answers as stored_answers
from app.services.questionnaires import parsed
from app.text import for_file

FORMAT = "customs-maturity-workbook/1"
META_SHEET, LISTS_SHEET = "_meta", "_lists"
INSTRUCTION_TITLES = ("Instructions", "Инструкция")
HEADER_ROW, FIRST_ROW = 2, 3  # row 1 (hidden) holds the column keys the upload reads


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    width: int
    editable: bool = False
    wrap: bool = False


COLUMNS = (
    Column("question_key", _l("Question key"), 30),
    Column("revision", _l("Revision"), 11),
    Column("stage", _l("Stage"), 13),
    Column("question", _l("Question"), 60, wrap=True),
    Column("value", _l("Answer"), 34, editable=True, wrap=True),
    Column("not_applicable", _l("Not applicable"), 13, editable=True),
    Column("comment", _l("Comment"), 40, editable=True, wrap=True),
    Column("evidence_url", _l("Evidence link"), 32, editable=True, wrap=True),
    Column("how_to_answer", _l("How to answer"), 34, wrap=True),
    Column("help", _l("Guidance"), 60, wrap=True),
    Column("source", _l("Source"), 30, wrap=True),
)
COLUMN_INDEX = {c.key: i + 1 for i, c in enumerate(COLUMNS)}

HEADER_FILL = PatternFill("solid", fgColor="1F3864")
LOCKED_FILL = PatternFill("solid", fgColor="EDEFF2")
OFF_FILL = PatternFill("solid", fgColor="D9D9D9")
TOP_WRAP, TOP = Alignment(vertical="top", wrap_text=True), Alignment(vertical="top")
UNLOCKED = Protection(locked=False)
FONT = "Calibri"
THIN = Side(style="thin", color="BFBFBF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def filename(assessment: Assessment) -> str:
    """A safe download name saying whose answers it holds: AM_digital-customs-maturity-2026.1_cycle-2026.xlsx."""
    version = assessment.questionnaire_version.version
    safe = [re.sub(r"[^A-Za-z0-9._-]+", "-", part) for part in (assessment.questionnaire_id, version, assessment.cycle)]
    return f"{assessment.country_code}_{safe[0]}-{safe[1]}_cycle-{safe[2]}.xlsx"


def build(assessment: Assessment, lang: str) -> bytes:
    """The workbook of an assessment: instructions, one sheet per dimension, current answers."""
    questionnaire = parsed(assessment.questionnaire_version)
    answers = stored_answers.by_key(assessment.id)
    wb = openpyxl.Workbook()
    _instructions(wb.active, assessment, questionnaire, lang)
    lists = _Lists(wb.create_sheet(LISTS_SHEET), lang)
    titles = _sheet_titles(questionnaire)
    for dimension in questionnaire.dimensions:
        _dimension_sheet(wb.create_sheet(titles[dimension.key]), questionnaire, dimension, answers, lists,
                         lang, assessment.editable)
    _meta(wb.create_sheet(META_SHEET), assessment, lang)
    wb.move_sheet(LISTS_SHEET, offset=len(wb.sheetnames))
    wb.security.lockStructure = True
    wb.properties.title = localised(questionnaire.title, lang)
    wb.properties.creator = "Digital Customs Maturity"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet_titles(questionnaire: scoring.Questionnaire) -> dict[str, str]:
    titles, used = {}, set(INSTRUCTION_TITLES) | {META_SHEET, LISTS_SHEET}
    for dimension in questionnaire.dimensions:
        base = re.sub(r"[\[\]:*?/\\']", "-", dimension.key)[:31] or "dimension"
        title, n = base, 1
        while title.lower() in {u.lower() for u in used}:
            n += 1
            title = f"{base[:28]}-{n}"
        titles[dimension.key] = title
        used.add(title)
    return titles


def _instructions(ws, assessment: Assessment, questionnaire: scoring.Questionnaire, lang: str) -> None:
    ws.title = INSTRUCTION_TITLES[1] if lang == "ru" else INSTRUCTION_TITLES[0]
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 90
    ws["A1"] = localised(questionnaire.title, lang)
    ws["A1"].font = Font(name=FONT, bold=True, size=14)
    facts = [(_("Questionnaire"), f"{questionnaire.id}@{questionnaire.version}"),
             (_("Country"), f"{assessment.country.name(lang)} ({assessment.country_code})"),
             (_("Cycle"), assessment.cycle), (_("Status"), status_label(assessment.status)),
             (_("Downloaded"), datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))]
    for row, (label, value) in enumerate(facts, start=3):
        ws.cell(row, 1, label).font = Font(name=FONT, bold=True)
        _text(ws.cell(row, 2), value)
    row = len(facts) + 4
    ws.cell(row, 1, _("How to fill in")).font = Font(name=FONT, bold=True, size=12)
    for number, line in enumerate(instruction_lines(assessment.editable), start=1):
        ws.cell(row + number, 1, f"{number}.").alignment = TOP
        cell = ws.cell(row + number, 2, line)
        cell.alignment = TOP_WRAP
        ws.row_dimensions[row + number].height = 15 * (len(line) // 75 + 1) + 4
    ws.protection.sheet = True
    _print_setup(ws)


def _meta(ws, assessment: Assessment, lang: str) -> None:
    for row, (key, value) in enumerate((
            ("format", FORMAT), ("assessment_id", assessment.id),
            ("questionnaire", assessment.questionnaire_version.label), ("country", assessment.country_code),
            ("cycle", assessment.cycle), ("language", lang)), start=1):
        ws.cell(row, 1, key)
        _text(ws.cell(row, 2), value)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True


class _Lists:
    """Drop-down sources on a hidden sheet: labels may hold commas, which inline lists cannot."""

    def __init__(self, ws, lang: str) -> None:
        self.ws, self.lang, self.ranges = ws, lang, {}
        ws.sheet_state = "veryHidden"
        ws.protection.sheet = True

    def range_for(self, name: str, labels: list[str]) -> str:
        if name not in self.ranges:
            col = get_column_letter(len(self.ranges) + 1)
            for row, label in enumerate(labels, start=1):
                _text(self.ws.cell(row, len(self.ranges) + 1), label)
            self.ranges[name] = f"'{LISTS_SHEET}'!${col}$1:${col}${len(labels)}"
        return self.ranges[name]


def _dimension_sheet(ws, questionnaire, dimension, answers, lists: _Lists, lang: str, editable: bool) -> None:
    _headers(ws)
    stages = {s.key: localised(s.label, lang) for s in questionnaire.stages}
    validations: dict[str, DataValidation] = {}
    for row, question in enumerate(dimension.questions, start=FIRST_ROW):
        _question_row(ws, row, questionnaire, question, answers.get(question.key), stages, lang)
        if editable:
            _unlock(ws, row, question)
            _validate(ws, row, question, lists, validations)
    for validation in validations.values():
        ws.add_data_validation(validation)
    last = FIRST_ROW + len(dimension.questions) - 1
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(COLUMNS))}{max(last, HEADER_ROW)}"
    ws.freeze_panes = f"B{FIRST_ROW}"
    ws.protection.sheet = True
    ws.protection.formatColumns = ws.protection.formatRows = ws.protection.autoFilter = False
    _print_setup(ws)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"


def _print_setup(ws) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _headers(ws) -> None:
    for index, column in enumerate(COLUMNS, start=1):
        ws.cell(1, index, column.key)
        cell = ws.cell(HEADER_ROW, index, str(column.label))
        cell.font, cell.fill, cell.border = Font(name=FONT, bold=True, color="FFFFFF"), HEADER_FILL, GRID
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.row_dimensions[1].hidden = True
    ws.row_dimensions[HEADER_ROW].height = 32


def _question_row(ws, row, questionnaire, question: scoring.Question, answer: Answer | None, stages, lang) -> None:
    values = {
        "question_key": question.key, "revision": answer.revision if answer else 0,
        "stage": stages.get(question.stage, question.stage or ""), "question": localised(question.text, lang),
        "value": _shown_value(question, answer, lang),
        "not_applicable": _("Yes") if answer and answer.not_applicable else None,
        "comment": answer.comment if answer else None, "evidence_url": answer.evidence_url if answer else None,
        "how_to_answer": how_to_answer(questionnaire, question, lang),
        "help": localised(question.help, lang), "source": "; ".join(source_labels(questionnaire, question, lang)),
    }
    for column in COLUMNS:
        cell = ws.cell(row, COLUMN_INDEX[column.key])
        _text(cell, values[column.key])
        cell.alignment = TOP_WRAP if column.wrap else TOP
        cell.border = GRID
        if not column.editable:
            cell.fill = LOCKED_FILL
    ws.cell(row, COLUMN_INDEX["revision"]).font = Font(name=FONT, color="808080")
    longest = max(len(values["question"]) / 55, len(values["help"]) / 55, len(values["how_to_answer"]) / 30)
    ws.row_dimensions[row].height = 15 * min(max(2, int(longest) + 1), 20)


def _shown_value(question: scoring.Question, answer: Answer | None, lang: str):
    if answer is None or answer.value is None:
        return None
    if question.type == "number":
        # a stored number has at most 15 digits (scoring.numbers), which a float cell holds exactly;
        # anything else an older row holds is shown as the text it is
        if scoring.canonical_number(answer.value) != answer.value:
            return answer.value
        number = float(answer.value)
        return int(number) if number.is_integer() and abs(number) < 1e15 else number
    return answer_text(question, answer.value, lang)


def _text(cell, value) -> None:
    """Write a value; text that looks like a formula stays text (the cell type says so), and characters a
    workbook cannot hold, which older rows may contain, are replaced (app.text.for_file)."""
    value = for_file(value)
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def _unlock(ws, row: int, question: scoring.Question) -> None:
    for key in ("value", "comment", "evidence_url"):
        ws.cell(row, COLUMN_INDEX[key]).protection = UNLOCKED
    na = ws.cell(row, COLUMN_INDEX["not_applicable"])
    if question.na_allowed:
        na.protection = UNLOCKED
        na.fill = PatternFill(fill_type=None)
    else:
        na.fill = OFF_FILL


def _validate(ws, row: int, question: scoring.Question, lists: _Lists, validations: dict) -> None:
    ref = f"{get_column_letter(COLUMN_INDEX['value'])}{row}"
    if question.options:
        name = question.scale or question.key
        labels = [localised(o.label, lists.lang) for o in question.options]
        _validation(validations, f"list:{name}", lambda: DataValidation(
            type="list", formula1=lists.range_for(name, labels), allow_blank=True,
            error=_("Choose an answer from the list."), errorTitle=_("Answer"), showErrorMessage=True)).add(ref)
    elif question.type == "number":
        _validation(validations, f"number:{question.min}:{question.max}",
                    lambda: _number_validation(question)).add(ref)
    if question.na_allowed:
        na_ref = f"{get_column_letter(COLUMN_INDEX['not_applicable'])}{row}"
        _validation(validations, "na", lambda: DataValidation(
            type="list", formula1=lists.range_for("_na", [_("Yes")]), allow_blank=True,
            showErrorMessage=True)).add(na_ref)


def _validation(validations: dict, key: str, make) -> DataValidation:
    if key not in validations:
        validations[key] = make()
    return validations[key]


def _number_validation(question: scoring.Question) -> DataValidation:
    low = -1e307 if question.min is None else question.min
    high = 1e307 if question.max is None else question.max
    return DataValidation(type="decimal", operator="between", formula1=str(low), formula2=str(high),
                          allow_blank=True, showErrorMessage=True, errorTitle=_("Answer"),
                          error=_("Enter a number within the allowed range."))


def how_to_answer(questionnaire: scoring.Questionnaire, question: scoring.Question, lang: str) -> str:
    """What the respondent may enter for this question, in the workbook's language."""
    if question.options:
        parts = [_("Choose one answer from the drop-down list.")]
    elif question.type == "number":
        parts = [number_range(question, lang)]
    else:
        parts = [_("Free text.")]
    if not question.required:
        parts.append(_("Optional."))
    if question.na_allowed:
        parts.append(_("May be marked not applicable."))
    if question.evidence == "required":
        parts.append(_("Evidence is required: give a link or attach a file on the website."))
    if question.show_if is not None:
        parts.append(_condition(questionnaire, question.show_if, lang))
    return "\n".join(parts)


def number_range(question: scoring.Question, lang: str) -> str:
    low, high = (scoring.canonical_number(b) if b is not None else None for b in (question.min, question.max))
    if low is not None and high is not None:
        text = _("A number from %(min)s to %(max)s", min=low, max=high)
    elif low is not None:
        text = _("A number not less than %(min)s", min=low)
    elif high is not None:
        text = _("A number not greater than %(max)s", max=high)
    else:
        text = _("A number")
    unit = localised(question.unit, lang)
    return f"{text} ({unit})." if unit else f"{text}."


def _condition(questionnaire: scoring.Questionnaire, show_if: scoring.ShowIf, lang: str) -> str:
    target = questionnaire.question(show_if.question)
    if show_if.values is not None:
        answers = "; ".join(target.option_label(v, lang) or v for v in show_if.values)
        return _("Answer only if the answer to %(question)s is: %(answers)s.", question=target.key, answers=answers)
    value = scoring.canonical_number(show_if.value)
    return _("Answer only if %(question)s %(op)s %(value)s.", question=target.key, op=show_if.op, value=value)


def instruction_lines(editable: bool) -> list[str]:
    """The numbered instructions on the first sheet."""
    lines = [] if editable else [_("This assessment does not accept changes in its current status: "
                                   "the workbook is for reading only.")]
    return lines + [
        _("Each dimension of the questionnaire has its own sheet, with one row per question."),
        _("Choose the answer from the drop-down list in the column “Answer”. For a number, type it within "
          "the range given in the column “How to answer”. An empty answer cell clears the answer."),
        _("Mark a question as not applicable only where the column “Not applicable” offers a drop-down list; "
          "the answer of such a question is then left empty."),
        _("Explain the answer in the column “Comment” and give a link to the supporting evidence (starting "
          "with http:// or https://) in the column “Evidence link”. Files can be attached on the website."),
        _("Grey columns are locked: question key, revision, stage, question, how to answer, guidance and "
          "source. The sheets are protected without a password, only against accidental changes."),
        _("Do not change the column “Revision”: it tells the system which version of each answer you "
          "started from. If someone changes an answer on the website after you downloaded this workbook, "
          "the upload shows both values instead of overwriting the newer one."),
        _("Do not enter formulas, and do not add, rename or remove sheets or columns: formulas are refused."),
        _("Upload the completed workbook on the assessment's page. You first see either a list of errors "
          "with sheet and row numbers or a preview of the changes; nothing is saved until you confirm, and "
          "then all the changes are saved together or none of them."),
    ]
