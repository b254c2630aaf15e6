"""The one place that decides who may see or change what (roles and country isolation)."""
from functools import wraps

import sqlalchemy as sa
from flask import abort, current_app, request
from flask_login import current_user

from app import audit
from app.extensions import db
from app.models import Assessment, User
from app.vocabulary import Role, Status


def refuse(code: int = 404, reason: str = "", assessment_id: int | None = None):
    """Record the refusal in the audit log and abort; 404 hides that the object exists.

    assessment_id names the (visible) assessment through which the object was reached, if any.
    """
    record_refusal(code, reason, assessment_id)
    abort(code)


def record_refusal(code: int, reason: str, assessment_id: int | None = None) -> None:
    """Record a refused access in the audit log (for views that answer it otherwise than by aborting); commits."""
    audit.record("access.refused", target=f"{request.method} {request.path}"[:500], assessment_id=assessment_id,
                 after={"code": code, "reason": reason})
    db.session.commit()


def roles_required(*roles: str):
    """Decorator: the view needs a logged-in user with one of these roles (403 otherwise)."""
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if current_user.role not in roles:
                refuse(403, f"role {current_user.role} not in {','.join(roles)}")
            return view(*args, **kwargs)
        return wrapper
    return decorate


def visible_assessments(user: User) -> sa.Select:
    """Assessments the user may open: their own country's, or all for EEC staff."""
    query = sa.select(Assessment)
    if user.is_national:
        query = query.where(Assessment.country_code == user.country_code)
    return query


def get_assessment(user: User, assessment_id: int) -> Assessment:
    """The assessment if the user may see it; 404 (audited) if it does not exist or is another country's."""
    assessment = db.session.scalar(visible_assessments(user).where(Assessment.id == assessment_id))
    if assessment is None:
        refuse(404, f"assessment {assessment_id} not visible")
    return assessment


def can_edit_answers(user: User, assessment: Assessment) -> bool:
    """National officials of the country change answers of drafts and returned assessments."""
    return user.is_national and user.country_code == assessment.country_code and assessment.editable


def can_submit(user: User, assessment: Assessment) -> bool:
    return user.role == Role.COORDINATOR and user.country_code == assessment.country_code and assessment.editable


def can_respond_to_flags(user: User, assessment: Assessment) -> bool:
    return user.is_national and user.country_code == assessment.country_code and assessment.status == Status.RETURNED


def can_review(user: User) -> bool:
    return user.role == Role.ANALYST


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


def may_see_answers(user: User, assessment: Assessment) -> bool:
    """Whether the user may read this assessment's answers (the rule of answer_visibility)."""
    if not user.is_national or assessment.country_code == user.country_code:
        return True
    return bool(current_app.config["NATIONAL_SEE_OTHER_COUNTRIES_ANSWERS"]
                and current_app.config["NATIONAL_SEE_OTHER_COUNTRIES"] and assessment.status == Status.VALIDATED)
