"""Checking answer rows against a questionnaire: row-precise problems, and the changes to the stored answers."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

import scoring
from app.extensions import db
from app.i18n import current_language
from app.models import Answer, Assessment
from app.services import workbook
from app.services.assessments import AssessmentError, answer_state, clean_changes
from app.services.import_files import ImportRefused, SourceRow

TRUE_WORDS = frozenset({"yes", "true", "1", "y", "да", "д", "x"})
FALSE_WORDS = frozenset({"no", "false", "0", "n", "нет", "н"})


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


def current_answers(assessment_id: int) -> dict[str, Answer]:
    return {a.question_key: a for a in db.session.scalars(
        sa.select(Answer).where(Answer.assessment_id == assessment_id))}


def plan(questionnaire: scoring.Questionnaire, answers: dict[str, Answer], rows: list[SourceRow], *,
         revisions: bool) -> Plan:
    """Check every row and compare it with the stored answers; revisions=False skips conflict checks."""
    result, seen = Plan(), {}
    for row in rows:
        try:
            question, clean, base = _check_row(questionnaire, row, seen, revisions)
        except AssessmentError as error:
            result.problems.append(Problem(row.where, row.key or None, str(error)))
            continue
        _compare(result, row, clean, answers.get(question.key), base, revisions)
    result.problems.extend(_hidden(questionnaire, answers, result.changes))
    order = {q.key: i for i, q in enumerate(questionnaire.questions)}
    result.changes.sort(key=lambda c: order[c.key])
    return result


def _check_row(questionnaire, row: SourceRow, seen: dict, revisions: bool):
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
    return question, _clean(question, row.fields), base


def _revision(raw) -> int:
    try:
        number = float(str(raw).strip())
    except ValueError:
        number = -1
    if number < 0 or not number.is_integer():
        raise AssessmentError(_("the revision column was changed; download a fresh workbook."))
    return int(number)


def _clean(question: scoring.Question, fields: dict) -> dict:
    raw = dict(fields)
    if "not_applicable" in raw:
        raw["not_applicable"] = _flag(raw["not_applicable"])
    if raw.get("value") is not None:
        _check_value(question, raw["value"])
    clean = clean_changes(question, raw)
    if clean.get("not_applicable"):
        clean["value"] = None
    elif clean.get("value") is not None:
        clean["not_applicable"] = False  # an answer makes the question applicable
    return clean


def _flag(raw) -> bool:
    if raw is None or isinstance(raw, bool):
        return bool(raw)
    word = str(raw).strip().casefold()
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    if word in TRUE_WORDS or word == _("Yes").casefold():
        return True
    if word in FALSE_WORDS or word == _("No").casefold():
        return False
    raise AssessmentError(_("“%(value)s” in the column not_applicable is not yes or no.", value=str(raw)[:40]))


def _check_value(question: scoring.Question, raw) -> None:
    """The same test as the engine's normalise, with a message in the user's language."""
    try:
        question.normalise(raw.strip() if isinstance(raw, str) else raw)
        return
    except ValueError:
        pass
    shown = str(raw)[:60]
    if question.options:
        lang = current_language()
        allowed = ", ".join(f"“{question.option_label(o.value, lang)}”" for o in question.options)
        raise AssessmentError(_("“%(value)s” is not one of the answers to this question; choose one of %(allowed)s.",
                                value=shown, allowed=allowed))
    if question.type == "number" and scoring.canonical_number(raw) is not None:
        raise AssessmentError(_("%(value)s is outside the allowed range (%(range)s).", value=shown,
                                range=_range(question)))
    raise AssessmentError(_("“%(value)s” is not a number.", value=shown))


def _range(question: scoring.Question) -> str:
    low, high = (scoring.canonical_number(b) if b is not None else None for b in (question.min, question.max))
    return f"{low or '…'} – {high or '…'}"


def _compare(result: Plan, row: SourceRow, clean: dict, answer: Answer | None, base, revisions: bool) -> None:
    state = answer_state(answer, row.key)
    after = {k: v for k, v in clean.items() if v != state[k]}
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
