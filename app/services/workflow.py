"""The assessment lifecycle: submit, flag, return, answer flags, validate (DESIGN.md §2)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import gettext as _
from sqlalchemy.orm.attributes import set_committed_value

from app import access, audit
from app.extensions import db
from app.models import Assessment, Attachment, AuditEvent, ReviewFlag, User
from app.services import answers as stored_answers, notifications, scores
from app.services.errors import AssessmentError, StatusChanged
from app.services.locks import changing
from app.services.questionnaires import parsed
from app.vocabulary import RETURN, SUBMIT, VALIDATE, Role, Status, Transition


@dataclass(frozen=True)
class Missing:
    """Something that keeps an assessment from being submitted."""

    question_key: str
    dimension: str
    problem: str  # "unanswered" | "evidence" | "flag"


def _now() -> datetime:
    return datetime.now(timezone.utc)


def transition(change: Transition, user: User | None, assessment: Assessment, **note) -> None:
    """Apply one change of the transition table (app.vocabulary) to an assessment the caller holds; no commit.

    The caller holds the assessment in one of `change.sources` (locks.changing or locks.hold). Fills in
    `<stamp>_at` (now, UTC) and, when a user acts, `<stamp>_by_id`; records one audit event
    `assessment.<target>` whose `after` also carries `note` (e.g. source="import").
    """
    before = assessment.status
    if before not in change.sources:
        raise StatusChanged(before)
    assessment.status = change.target
    setattr(assessment, f"{change.stamp}_at", _now())
    if user is not None:
        setattr(assessment, f"{change.stamp}_by_id", user.id)
    audit.record(f"assessment.{change.target}", user=user, assessment_id=assessment.id,
                 before={"status": before}, after={"status": change.target, **note})


def submission_problems(assessment: Assessment) -> list[Missing]:
    """Required visible questions without an answer, required evidence missing, open flags."""
    questionnaire = parsed(assessment.questionnaire_version)
    answers = stored_answers.by_key(assessment.id)
    attached = set(db.session.scalars(sa.select(Attachment.question_key).where(
        Attachment.assessment_id == assessment.id)))
    visible = stored_answers.visible_keys(questionnaire, answers)
    missing = []
    for q in questionnaire.questions:
        if q.key not in visible:
            continue
        answer = answers.get(q.key)
        answered = answer is not None and (answer.value is not None or answer.not_applicable)
        if q.required and not answered:
            missing.append(Missing(q.key, q.dimension, "unanswered"))
        elif (q.evidence == "required" and answered and not answer.not_applicable
              and not answer.evidence_url and q.key not in attached):
            missing.append(Missing(q.key, q.dimension, "evidence"))
    missing.extend(Missing(f.question_key, questionnaire.question(f.question_key).dimension, "flag")
                   for f in open_flags(assessment))
    return missing


def submit(user: User, assessment: Assessment) -> list[Missing]:
    """Submit if nothing is missing (then answers are locked); returns what is missing; commits."""
    with changing(assessment, SUBMIT.sources):  # a status changed meanwhile: StatusChanged, not the role message
        if not access.can_submit(user, assessment):
            raise AssessmentError(_("Only the coordinator of this country can submit a draft or returned "
                                    "assessment."))
        problems = submission_problems(assessment)
        if not problems:
            transition(SUBMIT, user, assessment)
            notifications.on_submitted(user, assessment)
            scores.rescore(assessment)
    return problems


def open_flags(assessment: Assessment) -> list[ReviewFlag]:
    """Flags the country has not answered yet."""
    return list(db.session.scalars(sa.select(ReviewFlag).where(
        ReviewFlag.assessment_id == assessment.id, ReviewFlag.state == "open").order_by(ReviewFlag.id)))


def flags(assessment: Assessment, *, resolvers: bool = False) -> list[ReviewFlag]:
    """The assessment's review flags, oldest first. With `resolvers` (pages that print who resolved a flag), the
    resolvers are read in one more query when any flag has one, so that `flag.resolved_by` runs no query per flag
    (a join would cost every page, most of whose flags are not resolved yet)."""
    found = list(db.session.scalars(sa.select(ReviewFlag).where(
        ReviewFlag.assessment_id == assessment.id).order_by(ReviewFlag.id)))
    ids = {f.resolved_by_id for f in found if f.resolved_by_id is not None} if resolvers else ()
    if ids:
        users = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}
        for flag in found:
            if flag.resolved_by_id is not None:
                set_committed_value(flag, "resolved_by", users.get(flag.resolved_by_id))
    return found


def add_flag(user: User, assessment: Assessment, question_key: str, comment: str) -> ReviewFlag:
    """An analyst flags one question of a submitted assessment with a comment; commits."""
    if not access.can_review(user):
        raise AssessmentError(_("Questions can be flagged only on a submitted assessment."))
    comment = (comment or "").strip()
    if not comment:
        raise AssessmentError(_("Write a comment that tells the country what to check."))
    try:
        parsed(assessment.questionnaire_version).question(question_key)
    except KeyError:
        raise AssessmentError(_("This question is not part of the questionnaire.")) from None
    with changing(assessment, (Status.SUBMITTED,)):
        flag = ReviewFlag(assessment_id=assessment.id, question_key=question_key, comment=comment[:5000],
                          created_by_id=user.id)
        db.session.add(flag)
        audit.record("flag.create", user=user, assessment_id=assessment.id, question_key=question_key,
                     after={"comment": flag.comment})
    return flag


def return_assessment(user: User, assessment: Assessment) -> None:
    """Send a submitted assessment back to the country; it needs at least one open flag; commits."""
    if not access.can_review(user):
        raise AssessmentError(_("Only a submitted assessment can be returned."))
    with changing(assessment, RETURN.sources):
        if not open_flags(assessment):
            raise AssessmentError(_("Flag at least one question before returning the assessment."))
        transition(RETURN, user, assessment)
        notifications.on_returned(user, assessment)


def respond_to_flag(user: User, assessment: Assessment, flag_id: int, response: str) -> ReviewFlag:
    """The country answers a flag of a returned assessment; commits.

    Raises LookupError when the flag is not one of this assessment's (the view refuses it, audited),
    AssessmentError when it cannot be answered now.
    """
    found = db.session.get(ReviewFlag, flag_id)
    if found is None or found.assessment_id != assessment.id:
        raise LookupError(flag_id)  # another assessment's flag, perhaps another country's
    response = (response or "").strip()
    if not response:
        raise AssessmentError(_("Write a reply to the analyst's comment."))
    with changing(assessment, (Status.RETURNED,)):
        flag = db.session.get(ReviewFlag, flag_id, populate_existing=True)
        if (flag is None or flag.assessment_id != assessment.id or flag.state == "resolved"
                or not access.can_respond_to_flags(user, assessment)):
            raise AssessmentError(_("This flag cannot be answered now."))
        flag.response, flag.state = response[:5000], "answered"
        flag.answered_by_id, flag.answered_at = user.id, _now()
        audit.record("flag.answer", user=user, assessment_id=assessment.id, question_key=flag.question_key,
                     after={"response": flag.response})
        notifications.on_flag_answered(user, assessment, flag)
    return flag


class UnresolvedFlags(AssessmentError):
    """Validation refused: these flags are not resolved and no reason was given for resolving them."""

    def __init__(self, flags: list[ReviewFlag]) -> None:
        self.flags = flags
        keys = ", ".join(f.question_key for f in flags)
        super().__init__(_("Validation needs a reason for resolving each flag that is still open or answered: "
                           "%(keys)s.", keys=keys))


def unresolved_flags(assessment: Assessment) -> list[ReviewFlag]:
    """Flags that are open or answered (not yet resolved by an analyst)."""
    return [f for f in flags(assessment) if f.state != "resolved"]


def resolve_flag(user: User, assessment: Assessment, flag_id: int, reason: str) -> ReviewFlag:
    """An analyst closes one flag of a submitted assessment with a reason (kept and audited); commits."""
    reason = (reason or "").strip()
    if not reason:
        raise AssessmentError(_("Write why the flag is resolved."))
    with changing(assessment, (Status.SUBMITTED,)):
        flag = db.session.get(ReviewFlag, flag_id, populate_existing=True)
        if (flag is None or flag.assessment_id != assessment.id or not access.can_review(user)
                or flag.state == "resolved"):
            raise AssessmentError(_("This flag cannot be resolved now."))
        _resolve(user, assessment, flag, reason)
    return flag


def _resolve(user: User, assessment: Assessment, flag: ReviewFlag, reason: str) -> None:
    before = flag.state
    flag.state, flag.resolution = "resolved", reason[:5000]
    flag.resolved_at, flag.resolved_by_id = _now(), user.id
    audit.record("flag.resolve", user=user, assessment_id=assessment.id, question_key=flag.question_key,
                 before={"state": before}, after={"state": "resolved", "resolution": flag.resolution})


def validate(user: User, assessment: Assessment, resolutions: dict[int, str] | None = None) -> None:
    """Lock a submitted assessment for good; commits.

    Every flag not yet resolved needs a reason in `resolutions` (flag id -> reason), given by the analyst
    on the confirmation page; it is resolved with that reason. A flag without one refuses the validation
    (UnresolvedFlags names them): flags are never resolved silently.
    """
    if not access.can_review(user):
        raise AssessmentError(_("Only a submitted assessment can be validated."))
    resolutions = {key: (reason or "").strip() for key, reason in (resolutions or {}).items()}
    with changing(assessment, VALIDATE.sources):
        pending = [f for f in db.session.scalars(sa.select(ReviewFlag).where(
            ReviewFlag.assessment_id == assessment.id).order_by(ReviewFlag.id).execution_options(
            populate_existing=True)) if f.state != "resolved"]
        missing = [f for f in pending if not resolutions.get(f.id)]
        if missing:
            raise UnresolvedFlags(missing)
        for flag in pending:
            _resolve(user, assessment, flag, resolutions[flag.id])
        transition(VALIDATE, user, assessment)
        notifications.on_validated(user, assessment)


def changes_since_return(assessment: Assessment) -> list[AuditEvent]:
    """Answer changes made after the assessment was last returned (what the analyst should re-read), each with
    its user read in the same query."""
    if assessment.returned_at is None:
        return []
    return list(db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.assessment_id == assessment.id, AuditEvent.action == "answer.update",
        AuditEvent.at >= assessment.returned_at).order_by(AuditEvent.at).options(so.joinedload(AuditEvent.user))))


def history(assessment: Assessment, question_key: str) -> list[AuditEvent]:
    """Who changed this answer, when, from what to what."""
    return list(db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.assessment_id == assessment.id, AuditEvent.question_key == question_key)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())))


def needs_action(user: User) -> list[tuple[Assessment, str]]:
    """Assessments waiting for this user, with what they wait for."""
    query = access.visible_assessments(user).order_by(Assessment.updated_at.desc())
    waiting = []
    for assessment in db.session.scalars(query):
        reason = _reason(user, assessment)
        if reason:
            waiting.append((assessment, reason))
    return waiting


def _reason(user: User, assessment: Assessment) -> str | None:
    if user.role == Role.ANALYST and assessment.status == Status.SUBMITTED:
        return "review"
    if user.is_national and assessment.status == Status.RETURNED:
        return "flags"
    if user.role == Role.COORDINATOR and assessment.status == Status.DRAFT:
        return "submit"
    if user.role == Role.RESPONDENT and assessment.status == Status.DRAFT:
        return "answer"
    return None


def visible_list(user: User) -> list[Assessment]:
    """The assessments the user may open (access.visible_assessments), newest cycle first, then by country;
    with their country and questionnaire version loaded (the assessments page)."""
    return list(db.session.scalars(access.visible_assessments(user).options(
        so.selectinload(Assessment.country), so.selectinload(Assessment.questionnaire_version)).order_by(
        Assessment.cycle.desc(), Assessment.country_code)))


#: the statuses of the review queue's columns, and how many assessments each shows (most recent first)
REVIEW_STATUSES = (Status.SUBMITTED, Status.RETURNED, Status.VALIDATED)
REVIEW_LIMIT = 200


def review_queue() -> dict[str, list[Assessment]]:
    """The analyst's review index: status -> the REVIEW_LIMIT most recently updated assessments in it.

    Every assessment, whatever its country: the caller has checked that the user reviews (access.can_review).
    """
    # country and questionnaire version loaded with the list: the page names both on every row
    return {status: list(db.session.scalars(sa.select(Assessment).where(Assessment.status == status).options(
        so.selectinload(Assessment.country), so.selectinload(Assessment.questionnaire_version))
        .order_by(Assessment.updated_at.desc()).limit(REVIEW_LIMIT)))
            for status in REVIEW_STATUSES}
