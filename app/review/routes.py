"""Views of the review blueprint (analysts only)."""
import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import access
from app.assessments import context, views
from app.extensions import db
from app.i18n import current_language
from app.models import Assessment
from app.review import bp
from app.review.forms import DecisionForm, FlagForm
from app.services import workflow
from app.services.assessments import AssessmentError


@bp.route("/")
@access.roles_required("analyst")
def index():
    by_status = {}
    for status in ("submitted", "returned", "validated"):
        by_status[status] = db.session.scalars(sa.select(Assessment).where(Assessment.status == status).options(
            so.selectinload(Assessment.country), so.selectinload(Assessment.questionnaire_version))
            .order_by(Assessment.updated_at.desc()).limit(200)).all()
    return render_template("review/index.html", by_status=by_status)


@bp.route("/<int:assessment_id>")
@access.roles_required("analyst")
def assessment(assessment_id: int):
    item = access.get_assessment(current_user, assessment_id)
    data = context.overview(item)
    lang = current_language()
    return render_template("review/assessment.html", **data, answers=context.answers_of(item),
                           view=views.questionnaire_view(item.questionnaire_version, lang),
                           t=views.card_labels(lang),
                           flags_by_question=context.flags_by_question(item),
                           changed_keys={e.question_key for e in data["changes"]},
                           flag_form=FlagForm(), decision_form=DecisionForm())


@bp.route("/<int:assessment_id>/flags", methods=["POST"])
@access.roles_required("analyst")
def add_flag(assessment_id: int):
    item = access.get_assessment(current_user, assessment_id)
    form = FlagForm()
    if form.validate_on_submit():
        _try(lambda: workflow.add_flag(current_user, item, form.question_key.data, form.comment.data),
             _("The question was flagged."))
    else:
        flash(_("Write a comment that tells the country what to check."), "danger")
    return redirect(url_for(".assessment", assessment_id=item.id, _anchor=f"q-{form.question_key.data}"))


@bp.route("/<int:assessment_id>/return", methods=["POST"])
@access.roles_required("analyst")
def return_to_country(assessment_id: int):
    item = access.get_assessment(current_user, assessment_id)
    if DecisionForm().validate_on_submit():
        _try(lambda: workflow.return_assessment(current_user, item),
             _("The assessment was returned to the country with its flags."))
    return redirect(url_for(".assessment", assessment_id=item.id))


@bp.route("/<int:assessment_id>/validate", methods=["POST"])
@access.roles_required("analyst")
def validate(assessment_id: int):
    item = access.get_assessment(current_user, assessment_id)
    if DecisionForm().validate_on_submit():
        _try(lambda: workflow.validate(current_user, item),
             _("The assessment was validated and is now locked."))
    return redirect(url_for(".assessment", assessment_id=item.id))


def _try(action, success: str) -> None:
    try:
        action()
        flash(success, "success")
    except AssessmentError as error:
        flash(str(error), "danger")
