"""Checking answer rows against a questionnaire: row-precise problems, and the changes to the stored answers."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

import scoring
from app import text
from app.models import Answer, Assessment
from app.services import workbook
from app.services.assessments import AssessmentError, answer_state, clean_changes
from app.services.import_files import ImportRefused, SourceRow
from scoring.flags import parse_bool


@dataclass(frozen=True)
class Problem:
    """Why one row of the file cannot be imported."""

    where: str
    question_key: str | None
    message: str

    def __str__(self) -> str:
        key = f" ({self.question_key})" if self.question_key else ""
        return f"{self.where}{key}: {self.message}"


@dataclass(frozen=True)
class Change:
    """One answer the file changes: the changed fields before and after."""

    key: str
    where: str
    base_revision: int | None
    before: dict
    after: dict


@dataclass(frozen=True)
class Conflict:
    """An answer someone saved after the file was made: the server's state and the file's."""

    key: str
    where: str
    server: dict
    file: dict


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    unchanged: int = 0

    @property
    def ready(self) -> bool:
        return bool(self.changes) and not self.problems and not self.conflicts


def plan(questionnaire: scoring.Questionnaire, answers: dict[str, Answer], rows: list[SourceRow], *,
         revisions: bool, decimal: str | None = None) -> Plan:
    """Check every row and compare it with the stored answers; revisions=False skips conflict checks.

    decimal: the decimal separator the user chose for ambiguous numbers ("," or "."); None refuses them.
    """
    result, seen = Plan(), {}
    for row in rows:
        try:
            question, clean, base = _check_row(questionnaire, row, seen, revisions, decimal, answers)
        except AssessmentError as error:
            result.problems.append(Problem(row.where, row.key or None, str(error)))
            continue
        _compare(result, row, clean, answers.get(question.key), base, revisions)
    result.problems.extend(_hidden(questionnaire, answers, result.changes))
    order = {q.key: i for i, q in enumerate(questionnaire.questions)}
    result.changes.sort(key=lambda c: order[c.key])
    return result


def _check_row(questionnaire, row: SourceRow, seen: dict, revisions: bool, decimal: str | None, answers: dict):
    if row.formula_in:
        raise AssessmentError(_("formulas are not accepted (column %(column)s); type the value itself.",
                                column=row.formula_in[0]))
    if not row.key:
        raise AssessmentError(_("the question key is empty."))
    try:
        question = questionnaire.question(row.key)
    except KeyError:
        raise AssessmentError(_("there is no question with this key in %(label)s.",
                                label=f"{questionnaire.id}@{questionnaire.version}")) from None
    if row.key in seen:
        raise AssessmentError(_("the question is already given in %(where)s.", where=seen[row.key]))
    seen[row.key] = row.where
    base = _revision(row.revision) if revisions and row.revision is not None else None
    fields = _changed_fields(row.fields, answers.get(row.key))
    return question, _clean(question, fields, decimal), base


def _changed_fields(fields: dict, answer: Answer | None) -> dict:
    """The file's fields without those that repeat the stored text exactly: an unchanged cell is not checked
    again, so a downloaded workbook uploaded unchanged is accepted whatever older rows hold."""
    if answer is None:
        return fields
    return {k: v for k, v in fields.items()
            if not (k != "not_applicable" and isinstance(v, str) and v == getattr(answer, k))}


def _revision(raw) -> int:
    try:
        number = float(str(raw).strip())
    except ValueError:
        number = -1
    if number < 0 or not number.is_integer():
        raise AssessmentError(_("the revision column was changed; download a fresh workbook."))
    return int(number)


def _clean(question: scoring.Question, fields: dict, decimal: str | None) -> dict:
    raw = dict(fields)
    if "not_applicable" in raw:
        raw["not_applicable"] = _flag(raw["not_applicable"])
    clean = clean_changes(question, raw, decimal=decimal)
    if clean.get("not_applicable"):
        clean["value"] = None
    elif clean.get("value") is not None:
        clean["not_applicable"] = False  # an answer makes the question applicable
    return clean


def _flag(raw) -> bool:
    """The not_applicable cell: empty is no; a yes/no word (scoring.flags) or the UI's own Yes/No."""
    if raw is None:
        return False
    found = parse_bool(raw)
    if found is not None:
        return found
    word = str(raw).strip().casefold()
    if word in (_("Yes").casefold(), _("No").casefold()):
        return word == _("Yes").casefold()
    raise AssessmentError(_("“%(value)s” in the column not_applicable is not yes or no.", value=str(raw)[:40]))


def _compare(result: Plan, row: SourceRow, clean: dict, answer: Answer | None, base, revisions: bool) -> None:
    state = answer_state(answer, row.key)
    after = {k: v for k, v in clean.items() if v != _as_entered(k, state[k])}
    if not after:
        result.unchanged += 1
        return
    if revisions and base is None:
        base = state["revision"]  # a file without revisions is based on what the preview saw
    if revisions and base != state["revision"]:
        result.conflicts.append(Conflict(row.key, row.where, state, after))
        return
    before = {k: state[k] for k in after}
    result.changes.append(Change(row.key, row.where, base, before, after))


def _as_entered(field: str, stored):
    """A stored text as entry hygiene would have cleaned it: older rows may hold control characters that
    the downloaded workbook could not carry, and an unchanged upload must not count as a change."""
    if not isinstance(stored, str) or field == "not_applicable":
        return stored
    return text.tidy(stored, multiline=field != "evidence_url").strip() or None


def _hidden(questionnaire: scoring.Questionnaire, answers: dict[str, Answer], changes: list[Change]) -> list[Problem]:
    """Answers the file gives to questions that its own answers (or the stored ones) hide."""
    state = {k: (a.value, a.not_applicable) for k, a in answers.items()}
    for change in changes:
        value, na = state.get(change.key, (None, False))
        state[change.key] = (change.after.get("value", value), change.after.get("not_applicable", na))
    visible = scoring.visible_questions(questionnaire, state)
    problems = []
    for change in changes:
        value, na = state[change.key]
        if change.key not in visible and (value is not None or na):
            target = questionnaire.question(change.key).show_if.question
            problems.append(Problem(change.where, change.key, _(
                "this question does not apply given the answer to %(question)s; leave it empty.", question=target)))
    return problems


def check_meta(meta: dict, *, assessment: Assessment | None = None, label: str = "", country: str = "") -> None:
    """A downloaded workbook belongs to one assessment (web) or questionnaire and country (command line)."""
    if not meta or meta.get("format") != workbook.FORMAT:
        return
    if assessment is not None and str(meta.get("assessment_id")) != str(assessment.id):
        raise ImportRefused(_("This workbook was downloaded for another assessment (%(country)s, %(cycle)s). "
                              "Download the workbook of this assessment.", country=meta.get("country"),
                              cycle=meta.get("cycle")))
    if label and meta.get("questionnaire") != label or country and meta.get("country") != country:
        raise ImportRefused(_("This workbook is for %(label)s and %(country)s, not for this import.",
                              label=meta.get("questionnaire"), country=meta.get("country")))
