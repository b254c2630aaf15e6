"""Starting assessments and saving answers with optimistic concurrency; every save that changes an answer
rescores once."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from flask_babel import gettext as _

import scoring
from app import access, audit, database
from app.extensions import db
from app.models import Answer, Assessment, Country, QuestionnaireVersion, User
from app.services import answer_values, answers as stored_answers, scores
from app.services.errors import AnswerLocked, AssessmentError, DuplicateAssessment, StatusChanged
from app.services.locks import EDITABLE, changing
from app.services.questionnaires import parsed
from app.vocabulary import Status

__all__ = ["AnswerConflict", "AnswerLocked", "AssessmentError", "DuplicateAssessment", "StatusChanged", "answer_state", "apply_answer",
           "clean_changes", "create_draft", "insert_assessment", "last_validated", "save_answer",
           "start_assessment"]


@dataclass
class AnswerConflict(Exception):
    """The answer changed since the revision the client based its edit on."""

    current: dict


ANSWER_FIELDS = answer_values.ANSWER_FIELDS


def answer_state(answer: Answer | None, question_key: str = "") -> dict:
    """An answer as plain data: what the client shows and what the audit log records."""
    if answer is None:
        return {"question_key": question_key, "value": None, "not_applicable": False, "comment": None,
                "evidence_url": None, "revision": 0, "carried_forward": False, "updated_by": None,
                "updated_at": None}
    return {"question_key": answer.question_key, "value": answer.value, "not_applicable": answer.not_applicable,
            "comment": answer.comment, "evidence_url": answer.evidence_url, "revision": answer.revision,
            "carried_forward": answer.carried_forward,
            "updated_by": answer.updated_by.name if answer.updated_by else None,
            "updated_at": answer.updated_at.isoformat() if answer.updated_at else None}


def start_assessment(user: User, country_code: str, version: QuestionnaireVersion, cycle: str,
                     carry_forward: bool = False) -> Assessment:
    """Create a draft for (country, questionnaire, cycle), optionally pre-filled; commits."""
    cycle = (cycle or "").strip()
    database.begin_write()
    _check_start(user, country_code, version, cycle)
    try:
        assessment = create_draft(user, country_code, version, cycle, carry_forward)
    except sa.exc.IntegrityError:  # started by someone else at the same moment: the unique index decides
        _refuse_duplicate()
    db.session.commit()
    return assessment


def create_draft(user: User, country_code: str, version: QuestionnaireVersion, cycle: str,
                 carry_forward: bool = False) -> Assessment:
    """Add a scored draft in the current transaction, without access checks or commit (callers check both)."""
    assessment = Assessment(country_code=country_code, questionnaire_version_id=version.id,
                            questionnaire_id=version.questionnaire_id, cycle=cycle, created_by_id=user.id)
    db.session.add(assessment)
    db.session.flush()
    if carry_forward:
        _carry_forward(user, assessment, version)
    audit.record("assessment.create", user=user, assessment_id=assessment.id,
                 after={"country": country_code, "questionnaire": version.label, "cycle": cycle,
                        "carried_from": assessment.carried_from_id})
    scores.rescore(assessment)
    return assessment


def insert_assessment(assessment: Assessment) -> None:
    """Add a new assessment; a concurrent start of the same one (unique country, questionnaire, cycle)
    rolls back and raises AssessmentError instead of a database error."""
    db.session.add(assessment)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        _refuse_duplicate()


def _refuse_duplicate() -> None:
    db.session.rollback()
    raise DuplicateAssessment(_("This country already has an assessment for this questionnaire and cycle."))


def _check_start(user: User, country_code: str, version: QuestionnaireVersion, cycle: str) -> None:
    if not access.can_start(user, country_code) or db.session.get(Country, country_code) is None:
        raise AssessmentError(_("You cannot start an assessment for this country."))
    if version.status != "published":
        raise AssessmentError(_("Only a published questionnaire version can be used for a new assessment."))
    if not cycle or len(cycle) > 20:
        raise AssessmentError(_("Give the assessment cycle, for example 2026."))
    exists = db.session.scalar(sa.select(Assessment.id).where(
        Assessment.country_code == country_code, Assessment.questionnaire_id == version.questionnaire_id,
        Assessment.cycle == cycle))
    if exists is not None:
        raise AssessmentError(_("This country already has an assessment for this questionnaire and cycle."))


def last_validated(country_code: str, questionnaire_id: str) -> Assessment | None:
    """The country's most recently validated assessment of this questionnaire."""
    return db.session.scalar(sa.select(Assessment).where(
        Assessment.country_code == country_code, Assessment.questionnaire_id == questionnaire_id,
        Assessment.status == Status.VALIDATED).order_by(Assessment.validated_at.desc()).limit(1))


def _carry_forward(user: User, assessment: Assessment, version: QuestionnaireVersion) -> None:
    source = last_validated(assessment.country_code, version.questionnaire_id)
    if source is None:
        raise AssessmentError(_("There is no validated assessment of this country to carry forward."))
    old_answers = _live_answers(source)
    new_q = parsed(version)
    if source.questionnaire_version_id != version.id:
        old_answers = scoring.crosswalk(parsed(source.questionnaire_version), new_q, old_answers)
    for key, old in old_answers.items():
        value = _still_valid(new_q.question(key), old.value)
        db.session.add(Answer(assessment_id=assessment.id, question_key=key, value=value,
                              not_applicable=old.not_applicable and new_q.question(key).na_allowed,
                              comment=old.comment, evidence_url=old.evidence_url, carried_forward=True,
                              updated_by_id=user.id))
    assessment.carried_from_id = source.id


def _live_answers(source: Assessment) -> dict[str, Answer]:
    """The answers of an assessment that count: an answer whose question show_if hides is left behind."""
    answers = stored_answers.by_key(source.id)
    visible = stored_answers.visible_keys(parsed(source.questionnaire_version), answers)
    return {k: a for k, a in answers.items() if k in visible}


def _still_valid(question: scoring.Question, value: str | None) -> str | None:
    """A carried value the new version still accepts, or None (the respondent answers afresh)."""
    if value is None:
        return None
    try:
        return question.normalise(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class SavedAnswer:
    """The outcome of one autosave.

    answer: the stored answer (None when there is none and the change stored nothing);
    state: that answer as answer_state gives it, taken before the commit (no reload);
    score: the assessment's score after the save, from the save's one scoring, or None when the
    change left the answer as it was (nothing stored, nothing rescored: the stored score rows stand).
    """

    answer: Answer | None
    state: dict
    score: scoring.AssessmentScore | None

    @property
    def changed(self) -> bool:
        return self.score is not None


def save_answer(user: User, assessment: Assessment, question_key: str, changes: dict,
                base_revision: int | None) -> SavedAnswer:
    """Apply the changed fields to one answer if nobody saved it since base_revision; commits.

    A change rescores the assessment once (its score rows are replaced in the same transaction);
    a change that leaves the answer as it is stores and scores nothing. Raises AnswerLocked,
    AnswerConflict or AssessmentError.
    """
    if not access.can_edit_answers(user, assessment):
        raise AnswerLocked(_("This assessment does not accept changes in its current status."))
    with changing(assessment, EDITABLE):
        answer, changed = _apply_answer(user, assessment, question_key, changes, base_revision)
        score = scores.rescore(assessment) if changed else None
        state = answer_state(answer, question_key)  # before the commit expires the answer: no reload
    return SavedAnswer(answer, state, score)


def apply_answer(user: User | None, assessment: Assessment, question_key: str, changes: dict,
                 base_revision: int | None) -> Answer | None:
    """Validate and apply one answer change in the current transaction, without rescoring or committing.

    base_revision is the revision the change was based on (0 for a new answer); a different
    current revision raises AnswerConflict. None skips the check (administrative imports only).
    A change that leaves the answer as it is stores nothing (the answer, or None when there is none).
    The caller has checked the user's right to edit, and holds the assessment (app.services.locks),
    so the revision checked here is still the stored one when the change commits.
    """
    return _apply_answer(user, assessment, question_key, changes, base_revision)[0]


def _apply_answer(user: User | None, assessment: Assessment, question_key: str, changes: dict,
                  base_revision: int | None) -> tuple[Answer | None, bool]:
    """apply_answer, and whether it stored a change."""
    if not assessment.editable:
        raise AnswerLocked(_("This assessment does not accept changes in its current status."))
    question = _question(assessment, question_key)
    answer = db.session.scalar(sa.select(Answer).where(
        Answer.assessment_id == assessment.id, Answer.question_key == question_key).with_for_update())
    current_revision = answer.revision if answer is not None else 0
    if base_revision is not None and base_revision != current_revision:
        raise AnswerConflict(answer_state(answer, question_key))
    clean = clean_changes(question, changes)
    if _unchanged(answer, clean):
        return answer, False  # nothing to store: no new revision, no history row
    _check_visible(assessment, question, clean)
    return _apply(user, assessment, question_key, answer, clean), True


def _unchanged(answer: Answer | None, clean: dict) -> bool:
    """Whether applying the cleaned fields would leave the stored answer as it is.

    Saving a carried-forward answer unchanged is a change: it confirms the answer.
    """
    if answer is None:
        return not any(v for v in clean.values())
    if answer.carried_forward:
        return False
    state = answer_state(answer)
    merged = {**{k: state[k] for k in ANSWER_FIELDS}, **clean}
    if merged["not_applicable"]:
        merged["value"] = None
    return all(merged[k] == state[k] for k in ANSWER_FIELDS)


def _question(assessment: Assessment, question_key: str) -> scoring.Question:
    try:
        return parsed(assessment.questionnaire_version).question(question_key)
    except KeyError:
        raise AssessmentError(_("This question is not part of the questionnaire.")) from None


def clean_changes(question: scoring.Question, changes: dict, *, decimal: str | None = None) -> dict:
    """Validate and normalise the submitted fields (app.services.answer_values); AssessmentError with the reason."""
    try:
        return answer_values.parse_changes(question, changes, decimal=decimal)
    except answer_values.ValueRefused as error:
        refused = AssessmentError(str(error))
        refused.field = error.field
        raise refused from None


def _check_visible(assessment: Assessment, question: scoring.Question, clean: dict) -> None:
    """Skip logic on the server: a question hidden by show_if takes no answer."""
    if question.show_if is None or ("value" not in clean and "not_applicable" not in clean):
        return
    if clean.get("value") is None and not clean.get("not_applicable"):
        return  # clearing an answer is always allowed
    answers = stored_answers.by_key(assessment.id)
    if question.key not in stored_answers.visible_keys(parsed(assessment.questionnaire_version), answers):
        raise AssessmentError(_("This question does not apply given your earlier answers."))


def _apply(user: User | None, assessment: Assessment, key: str, answer: Answer | None, clean: dict) -> Answer:
    before = answer_state(answer, key)
    if answer is None:
        answer = Answer(assessment_id=assessment.id, question_key=key, revision=0)
        db.session.add(answer)
    for field, value in clean.items():
        setattr(answer, field, value)
    if answer.not_applicable:
        answer.value = None
    answer.revision += 1
    answer.carried_forward = False  # saved by a person: confirmed or changed
    answer.updated_by_id, answer.updated_at = (user.known_id if user else None), datetime.now(timezone.utc)
    db.session.flush()
    after = answer_state(answer, key)
    audit.record("answer.update", user=user, assessment_id=assessment.id, question_key=key,
                 before=_audited(before), after=_audited(after))
    return answer


def _audited(state: dict) -> dict:
    return {k: state[k] for k in ("value", "not_applicable", "comment", "evidence_url", "revision")}
