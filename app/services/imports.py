"""Answer imports: a file -> row-precise errors or a preview of the changes -> one atomic apply.

The web upload (preview, then apply under the optimistic-concurrency rules) and
`flask assessments import` (administrative: creates the draft, no revision checks, may submit)
share the reading (import_files) and the checking (import_checks).
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from app import access, audit, database, text
from app.extensions import db
from app.models import Assessment, Country, User
from app.services import answers as stored_answers, import_pending, scores
from app.services.assessments import (AnswerConflict, AnswerLocked, AssessmentError, DuplicateAssessment,
                                      answer_state, apply_answer, insert_assessment)
from app.services.import_checks import Change, Conflict, Plan, Problem, check_meta, plan
from app.services.import_files import ImportRefused, read_rows
from app.services.locks import EDITABLE, changing, hold
from app.services.questionnaires import find_by_label, parsed
from app.services.workflow import Missing, submission_problems, transition
from app.vocabulary import SUBMIT

__all__ = ["ImportConflict", "ImportInvalid", "ImportRefused", "Imported", "NotSubmittable", "Preview", "Problem",
           "apply_upload", "import_file", "pending_preview", "preview_upload", "submit_imported"]


@dataclass(frozen=True)
class Preview:
    plan: Plan
    filename: str
    token: str | None  # set when the plan is ready to apply


def preview_upload(user: User, assessment: Assessment, filename: str, data: bytes, *,
                   decimal: str | None = None) -> Preview:
    """Check an uploaded file against the assessment; keep its changes under a token when all is well.

    decimal: the decimal mark ("," or ".") the user chose for numbers such as 1,500; None refuses them.
    """
    _check_editor(user, assessment)
    rows, meta = read_rows(filename, data)
    check_meta(meta, assessment=assessment)
    result = plan(parsed(assessment.questionnaire_version), stored_answers.by_key(assessment.id), rows, revisions=True,
                  decimal=decimal)
    token = (import_pending.save(user, assessment, filename, result.changes, result.unchanged)
             if result.ready else None)
    return Preview(result, filename, token)


def pending_preview(user: User, assessment: Assessment, token: str) -> Preview:
    """The preview of an upload waiting under the token (ImportRefused once applied or expired)."""
    _check_editor(user, assessment)
    filename, changes = import_pending.load(user, assessment, token)
    return Preview(Plan(changes=changes, unchanged=import_pending.unchanged_rows(user, assessment, token)),
                   filename, token)


def apply_upload(user: User, assessment: Assessment, token: str) -> int:
    """Apply a previewed upload in one transaction (all or nothing); rescores; commits. Returns the count."""
    _check_editor(user, assessment)
    filename, changes = import_pending.take(user, assessment, token)  # once: a retry needs a fresh preview
    try:
        with changing(assessment, EDITABLE):
            stale = _stale(assessment, changes)  # under the lock: still true at the commit
            if stale:
                raise ImportConflict(stale)
            for change in changes:
                apply_answer(user, assessment, change.key, change.after, change.base_revision)
            _finish(user, assessment, filename, changes)
    except AnswerConflict as error:
        raise ImportConflict([_conflict(c, error.current) for c in changes if c.key == error.current["question_key"]])
    return len(changes)


@dataclass
class ImportConflict(Exception):
    """Answers changed on the server since the file was made; nothing was applied."""

    conflicts: list[Conflict]


def _check_editor(user: User, assessment: Assessment) -> None:
    if not access.can_edit_answers(user, assessment):
        raise AnswerLocked(_("This assessment does not accept changes in its current status."))


def _stale(assessment: Assessment, changes: list[Change]) -> list[Conflict]:
    answers = stored_answers.by_key(assessment.id)
    return [_conflict(c, answer_state(answers.get(c.key), c.key)) for c in changes
            if c.base_revision is not None and c.base_revision != (answers[c.key].revision if c.key in answers else 0)]


def _conflict(change: Change, server: dict) -> Conflict:
    return Conflict(change.key, change.where, server, change.after)


def _finish(user: User | None, assessment: Assessment, source: str, changes: list[Change], **extra) -> None:
    scores.rescore(assessment)
    audit.record("import.apply", user=user, assessment_id=assessment.id,
                 after={"file": text.tidy(source, multiline=False)[:200], "changes": len(changes), "questions": [c.key for c in changes],
                        **extra})


# ------------------------------------------------------------------ the command line


class ImportInvalid(ValueError):
    """Rows of the file are wrong; nothing was imported."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class NotSubmittable(ValueError):
    """The imported assessment is incomplete; nothing was imported."""

    def __init__(self, missing: list[Missing]) -> None:
        super().__init__(f"{len(missing)} problem(s)")
        self.missing = missing


@dataclass(frozen=True)
class Imported:
    assessment: Assessment
    created: bool
    changed: int
    unchanged: int
    submitted: bool


def import_file(filename: str, data: bytes, *, country_code: str, cycle: str, label: str,
                submit: bool = False, decimal: str | None = None) -> Imported:
    """Administrative import: create the draft if needed, overwrite answers, optionally submit; all or nothing.

    decimal: the decimal mark ("," or ".") that decides numbers such as 1,500; None refuses them.
    """
    version, country_code, cycle = _target(country_code, cycle, label)
    rows, meta = read_rows(filename, data)
    check_meta(meta, label=version.label, country=country_code)
    for attempt in range(2):
        try:
            return _import_rows(filename, rows, version, country_code, cycle, submit, decimal)
        except DuplicateAssessment:
            if attempt:
                raise
            # created by another import or start at the same moment: the second attempt imports into it


def _import_rows(filename: str, rows, version, country_code: str, cycle: str, submit: bool,
                 decimal: str | None) -> Imported:
    """One attempt of import_file in one write transaction, holding the existing assessment; commits."""
    database.begin_write()
    try:
        assessment = db.session.scalar(sa.select(Assessment).where(
            Assessment.country_code == country_code, Assessment.questionnaire_id == version.questionnaire_id,
            Assessment.cycle == cycle))
        _check_existing(assessment, version)
        if assessment is not None:
            hold(assessment, EDITABLE)  # the answers planned against stay as read until the commit
        answers = stored_answers.by_key(assessment.id) if assessment else {}
        result = plan(parsed(version), answers, rows, revisions=False, decimal=decimal)
        if result.problems:
            raise ImportInvalid(result.problems)
        created = assessment is None
        assessment = assessment or _create(version, country_code, cycle)
        for change in result.changes:
            apply_answer(None, assessment, change.key, change.after, None)
        _finish(None, assessment, filename, result.changes, created=created)
        if submit:
            submit_imported(assessment)
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    return Imported(assessment, created, len(result.changes), result.unchanged, submit)


def _target(country_code: str, cycle: str, label: str):
    if any(text.forbidden(v or "") for v in (country_code, cycle, label)):
        raise ImportRefused(text.message(text.TextRefused("forbidden")))
    version = find_by_label(label)
    if version is None:
        raise ImportRefused(_("No questionnaire version %(label)s is loaded.", label=label))
    country_code, cycle = (country_code or "").strip().upper(), (cycle or "").strip()
    if db.session.get(Country, country_code) is None:
        raise ImportRefused(_("There is no country with the code %(code)s.", code=country_code))
    if not cycle or len(cycle) > 20:
        raise ImportRefused(_("Give the assessment cycle, for example 2026."))
    return version, country_code, cycle


def _check_existing(assessment: Assessment | None, version) -> None:
    if assessment is None:
        if version.status != "published":
            raise ImportRefused(_("Only a published questionnaire version can be used for a new assessment."))
        return
    if assessment.questionnaire_version_id != version.id:
        raise ImportRefused(_("The assessment %(id)s uses %(label)s, not this version.", id=assessment.id,
                              label=assessment.questionnaire_version.label))
    if not assessment.editable:
        raise ImportRefused(_("This assessment does not accept changes in its current status."))


def _create(version, country_code: str, cycle: str) -> Assessment:
    assessment = Assessment(country_code=country_code, questionnaire_version_id=version.id,
                            questionnaire_id=version.questionnaire_id, cycle=cycle)
    insert_assessment(assessment)
    audit.record("assessment.create", assessment_id=assessment.id,
                 after={"country": country_code, "questionnaire": version.label, "cycle": cycle, "source": "import"})
    return assessment


def submit_imported(assessment: Assessment) -> None:
    """Submit without a coordinator (administrative import); NotSubmittable lists what is missing. No commit.

    The caller holds the assessment (created in this transaction, or locks.hold).
    """
    db.session.flush()
    missing = submission_problems(assessment)
    if missing:
        raise NotSubmittable(missing)
    transition(SUBMIT, None, assessment, source="import")
    scores.rescore(assessment)
