"""Views of the review blueprint (analysts only)."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from app import access
from app.models import Assessment
from app.assessments import views
from app.i18n import current_language
from app.review import bp, cards, workspace
from app.review.forms import ConfirmReturnForm, ConfirmValidateForm, FlagForm, ResolveForm
from app.services import scores, workflow
from app.services.assessments import AssessmentError
from app.services.questionnaires import parsed
from app.vocabulary import Role


@bp.route("/")
@access.roles_required(Role.ANALYST)
def index():
    return render_template("review/index.html", by_status=workflow.review_queue())


@bp.route("/<int:assessment_id>")
@login_required
def assessment(assessment_id: int):
    """The review workspace: filters and navigator (template), the question cards (app.review.cards)."""
    item = access.get_assessment_to_review(current_user, assessment_id)
    data = workspace.workspace(item, *workspace.parse_filters(request.args))
    lang = current_language()
    page = cards.page(item.id, item.status == "submitted", item.questionnaire_version, lang,
                      history_url=views.question_url("assessments.history", assessment_id=item.id),
                      flag_url=url_for(".add_flag", assessment_id=item.id), csrf=_csrf_field())
    labels, show_labels = cards.page_labels(lang)
    return render_template("review/assessment.html", assessment=item, **data,
                           cards=cards.render(data["sections"], page), l=labels, show_labels=show_labels,
                           view=views.questionnaire_view(item.questionnaire_version, lang))


def _csrf_field() -> Markup:
    """The hidden CSRF field the review forms (FlagForm, ResolveForm) print, or nothing when CSRF is off."""
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return Markup("")
    return Markup('<input id="csrf_token" name="csrf_token" type="hidden" value="{}">').format(generate_csrf())


@bp.route("/<int:assessment_id>/flags", methods=["POST"])
@login_required
def add_flag(assessment_id: int):
    item = access.get_assessment_to_review(current_user, assessment_id)
    form = FlagForm()
    if form.validate_on_submit():
        _try(lambda: workflow.add_flag(current_user, item, form.question_key.data, form.comment.data),
             _("The question was flagged."))
    else:
        flash(_("Write a comment that tells the country what to check."), "danger")
    return redirect(url_for(".assessment", assessment_id=item.id, _anchor=f"q-{form.question_key.data}"))


@bp.route("/<int:assessment_id>/flags/<int:flag_id>/resolve", methods=["POST"])
@login_required
def resolve_flag(assessment_id: int, flag_id: int):
    item = access.get_assessment_to_review(current_user, assessment_id)
    form = ResolveForm()
    if form.validate_on_submit():
        _try(lambda: workflow.resolve_flag(current_user, item, flag_id, form.reason.data),
             _("The flag was resolved."))
    else:
        flash(_("Write why the flag is resolved."), "danger")
    key = request.form.get("question_key", "")
    return redirect(url_for(".assessment", assessment_id=item.id, _anchor=f"q-{key}" if key else None))


@bp.route("/<int:assessment_id>/return", methods=["GET", "POST"])
@login_required
def return_to_country(assessment_id: int):
    """Step 1 (GET): what goes back to the country; step 2 (POST): the confirmed return."""
    item = access.get_assessment_to_review(current_user, assessment_id)
    form = ConfirmReturnForm()
    if form.validate_on_submit():
        if _try(lambda: workflow.return_assessment(current_user, item),
                _("The assessment was returned to the country with its flags.")):
            return redirect(url_for(".assessment", assessment_id=item.id))
        return redirect(url_for(".return_to_country", assessment_id=item.id))
    return _confirm_page(item, "return", form)


@bp.route("/<int:assessment_id>/validate", methods=["GET", "POST"])
@login_required
def validate(assessment_id: int):
    """Step 1 (GET): the flags still open and the lock; step 2 (POST): the confirmed validation."""
    item = access.get_assessment_to_review(current_user, assessment_id)
    form = ConfirmValidateForm()
    reasons = {f.id: request.form.get(f"reason-{f.id}", "") for f in workflow.unresolved_flags(item)}
    if form.validate_on_submit():
        try:
            workflow.validate(current_user, item, reasons)
        except workflow.UnresolvedFlags as error:
            return _confirm_page(item, "validate", form, reasons=reasons, missing={f.id for f in error.flags})
        except AssessmentError as error:
            flash(str(error), "danger")
            return redirect(url_for(".assessment", assessment_id=item.id))
        flash(_("The assessment was validated and is now locked."), "success")
        return redirect(url_for(".assessment", assessment_id=item.id))
    return _confirm_page(item, "validate", form, reasons=reasons)


def _confirm_page(item: Assessment, action: str, form, reasons: dict | None = None, missing: set | None = None):
    status = 422 if request.method == "POST" else 200
    return render_template("review/confirm.html", assessment=item, action=action, form=form,
                           questionnaire=parsed(item.questionnaire_version),
                           flags=workflow.flags(item), reasons=reasons or {}, missing=missing or set(),
                           score=scores.rows_for(item.id).get(scores.OVERALL)), status


def _try(action, success: str) -> bool:
    try:
        action()
        flash(success, "success")
        return True
    except AssessmentError as error:
        flash(str(error), "danger")
        return False
