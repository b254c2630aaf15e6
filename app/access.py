"""The one place that decides who may see or change what (roles and country isolation).

Views make one call here per request (a decorator such as `roles_required`, or a `get_*` helper that
returns the object or refuses); services that change or read protected data call the `can_*`
predicates themselves, so a caller that skips the view is refused too. A refusal is audited
("access.refused") in its own commit at the end of the request, after anything the refused request
left uncommitted was rolled back: refusing never commits the caller's unit of work.
"""
from functools import wraps
from typing import NoReturn

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Flask, Response, abort, current_app, g, request
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from app import audit
from app.extensions import db
from app.models import Assessment, Attachment, AuditEvent, User
from app.vocabulary import STAFF_ROLES, Role, Status

#: the roles that review submitted assessments (flag, return, validate)
REVIEWERS = (Role.ANALYST,)
#: the roles that manage other users' accounts (app.services.accounts)
ACCOUNT_MANAGERS = (Role.ADMIN,)
#: the roles that open and close assessment cycles (app.services.cycles)
CYCLE_MANAGERS = STAFF_ROLES


def init_app(app: Flask) -> None:
    """Write the request's refusals to the audit log once the view is done (see the module docstring)."""
    app.after_request(_write_refusals)


def refuse(code: int = 404, reason: str = "", assessment_id: int | None = None) -> NoReturn:
    """Record the refusal for the audit log and abort; 404 hides that the object exists.

    assessment_id names the (visible) assessment through which the object was reached, if any.
    """
    record_refusal(code, reason, assessment_id)
    abort(code)


def record_refusal(code: int, reason: str, assessment_id: int | None = None) -> None:
    """Note a refused access for the audit log (for views that answer it otherwise than by aborting).

    The row is written by `_write_refusals` at the end of the request, in its own commit; nothing is
    committed here.
    """
    g.setdefault("refusals", []).append({"target": f"{request.method} {request.path}"[:500],
                                         "assessment_id": assessment_id, "after": {"code": code, "reason": reason}})


def _write_refusals(response: Response) -> Response:
    """after_request: discard what the refused request left uncommitted, then commit only its audit rows."""
    refusals = g.pop("refusals", None)
    if not refusals:
        return response
    try:
        db.session.rollback()
        for refusal in refusals:
            audit.record("access.refused", **refusal)
        db.session.commit()
    except SQLAlchemyError:  # the refusal stands even when it cannot be recorded
        db.session.rollback()
        current_app.logger.exception("could not record a refused access")
    return response


def roles_required(*roles: str):
    """Decorator: the view needs a logged-in user with one of these roles (403 otherwise)."""
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            require_role(current_user, *roles)
            return view(*args, **kwargs)
        return wrapper
    return decorate


def require_role(user: User, *roles: str) -> None:
    """403 (audited) unless the user has one of these roles."""
    if user.role not in roles:
        refuse(403, f"role {user.role} not in {','.join(roles)}")


def visible_assessments(user: User) -> sa.Select:
    """Assessments the user may open: their own country's, or all for EEC staff."""
    query = sa.select(Assessment)
    if user.is_national:
        query = query.where(Assessment.country_code == user.country_code)
    return query


def get_assessment(user: User, assessment_id: int, *, to_edit: str | None = None, load=()) -> Assessment:
    """The assessment if the user may see it: 404 (audited) if it does not exist or is another country's.

    With to_edit (what the user is doing, e.g. "attachment upload"), the user must also be allowed to change
    its answers (can_edit_answers): 403 (audited, "<to_edit> not allowed") otherwise. `load` names
    many-to-one relationships (Assessment.country, ...) read in the same query instead of one query each.
    """
    query = visible_assessments(user).where(Assessment.id == assessment_id)
    if load:
        query = query.options(*(so.joinedload(relationship) for relationship in load))
    assessment = db.session.scalar(query)
    if assessment is None:
        refuse(404, f"assessment {assessment_id} not visible")
    if to_edit is not None and not can_edit_answers(user, assessment):
        refuse(403, f"{to_edit} not allowed", assessment_id=assessment.id)
    return assessment


def get_attachment(user: User, assessment_id: int, attachment_id: int) -> Attachment:
    """An evidence file reached through an assessment the user may see: 404 (audited) when the assessment is
    not visible, or when the file is not one of its files (perhaps another country's)."""
    assessment = get_assessment(user, assessment_id)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.assessment_id != assessment.id:
        refuse(404, f"attachment {attachment_id} not in assessment {assessment_id}", assessment_id=assessment.id)
    return attachment


def get_user_to_manage(admin: User, user_id: int) -> User:
    """Another account for an administrator's action: 403 (audited) for non-administrators, 404 (audited)
    when there is no such user."""
    require_role(admin, *ACCOUNT_MANAGERS)
    user = db.session.get(User, user_id)
    if user is None:
        refuse(404, f"user {user_id} not found")
    return user


def get_assessment_to_review(user: User, assessment_id: int) -> Assessment:
    """The assessment for an analyst's review page or action: 403 (audited) for other roles, else get_assessment
    (with its country and questionnaire version, which every review page prints)."""
    require_role(user, *REVIEWERS)
    return get_assessment(user, assessment_id, load=(Assessment.country, Assessment.questionnaire_version))


def can_edit_answers(user: User, assessment: Assessment) -> bool:
    """National officials of the country change answers of drafts and returned assessments."""
    return user.is_national and user.country_code == assessment.country_code and assessment.editable


def can_submit(user: User, assessment: Assessment) -> bool:
    return user.role == Role.COORDINATOR and user.country_code == assessment.country_code and assessment.editable


def can_respond_to_flags(user: User, assessment: Assessment) -> bool:
    return user.is_national and user.country_code == assessment.country_code and assessment.status == Status.RETURNED


def can_review(user: User) -> bool:
    return user.role in REVIEWERS


def can_manage_cycles(user: User) -> bool:
    """Analysts and administrators open and close assessment cycles."""
    return user.role in CYCLE_MANAGERS


def can_manage_accounts(user: User) -> bool:
    """Administrators create, disable and reset other users' accounts."""
    return user.role in ACCOUNT_MANAGERS


def can_start(user: User, country_code: str) -> bool:
    """Coordinators start their own country's assessments; analysts any country's."""
    return user.role == Role.ANALYST or (user.role == Role.COORDINATOR and user.country_code == country_code)


def score_visibility(user: User) -> sa.ColumnElement[bool]:
    """Which assessments' scores the user may see on dashboards and exports.

    Staff see every assessment. National users see their own country in every status, and
    other countries' validated assessments when NATIONAL_SEE_OTHER_COUNTRIES is on.
    """
    if not user.is_national:
        return sa.true()
    own = Assessment.country_code == user.country_code
    if current_app.config["NATIONAL_SEE_OTHER_COUNTRIES"]:
        return sa.or_(own, Assessment.status == Status.VALIDATED)
    return own


def answer_visibility(user: User) -> sa.ColumnElement[bool]:
    """Which assessments' answers the user may read on dashboards and in exports (answers.csv).

    Staff read every answer. National users read their own country's answers, and other
    countries' answers only when NATIONAL_SEE_OTHER_COUNTRIES_ANSWERS is on, and then only
    where they may see the scores too (score_visibility). The country profile's roadmap,
    the measures tracker and answers.csv all follow this one rule.
    """
    if not user.is_national:
        return sa.true()
    own = Assessment.country_code == user.country_code
    if current_app.config["NATIONAL_SEE_OTHER_COUNTRIES_ANSWERS"]:
        return sa.or_(own, sa.and_(score_visibility(user), Assessment.status == Status.VALIDATED))
    return own


def audit_visibility(user: User) -> sa.ColumnElement[bool]:
    """Which audit events the user may read (app.services.audit_log): administrators every event; analysts
    only the events of assessments, not those of accounts (logins, password resets)."""
    if can_manage_accounts(user):
        return sa.true()
    return AuditEvent.assessment_id.is_not(None)


def may_see_answers(user: User, assessment: Assessment) -> bool:
    """Whether the user may read this assessment's answers (the rule of answer_visibility)."""
    if not user.is_national or assessment.country_code == user.country_code:
        return True
    return bool(current_app.config["NATIONAL_SEE_OTHER_COUNTRIES_ANSWERS"]
                and current_app.config["NATIONAL_SEE_OTHER_COUNTRIES"] and assessment.status == Status.VALIDATED)
