"""Pages of the assessments blueprint: list, start, overview, section, submit, history."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app import access
from app import labels, text as text_limits
from app.assessments import bp, cards, context, views
from app.charts import overall_rule
from app.assessments.forms import ActionForm, FlagResponseForm, StartForm, SubmitForm
from app.formatting import number_text
from app.i18n import current_language, localised
from app.services import questionnaires, scores, workflow
from app.services.questionnaires import parsed
from app.services.assessments import AssessmentError, start_assessment
from app.services.countries import EEU_MEMBERS
from app.vocabulary import Role


@bp.route("/")
@login_required
def index():
    return _index_page(_start_form())


def _index_page(form: StartForm | None, status: int = 200):
    """The list of assessments with the start form (carrying its errors after a refused start)."""
    assessments = workflow.visible_list(current_user)
    overall = scores.overall_rows([a.id for a in assessments])
    return render_template("assessments/index.html", assessments=assessments, form=form,
                           waiting=workflow.needs_action(current_user),
                           progress={a.id: overall[a.id].completeness if a.id in overall else None
                                     for a in assessments}), status


def _start_form() -> StartForm | None:
    """The start form offering the countries the user may start an assessment for (none: no form)."""
    offered = [current_user.country_code] if current_user.is_national else list(EEU_MEMBERS)
    codes = [code for code in offered if access.can_start(current_user, code)]
    if not codes:
        return None
    form = StartForm()
    names = context.country_names(codes)
    form.country.choices = [SelectChoice(c, names[c]) for c in codes]
    form.questionnaire.choices = [SelectChoice(v.id, f"{localised(v.title)} ({v.version})")
                                  for v in questionnaires.published_versions()]
    return form


@bp.route("/start", methods=["POST"])
@access.roles_required(Role.COORDINATOR, Role.ANALYST)
def start():
    form = _start_form()
    if not form.validate_on_submit():
        return _index_page(form, 422)
    try:
        assessment = start_assessment(current_user, form.country.data,
                                      questionnaires.get_version(form.questionnaire.data), form.cycle.data,
                                      carry_forward=form.carry_forward.data)
    except AssessmentError as error:
        form.form_errors.append(str(error))
        return _index_page(form, 422)
    flash(_("The assessment was started."), "success")
    return redirect(url_for(".overview", assessment_id=assessment.id))


@bp.route("/<int:assessment_id>")
@login_required
def overview(assessment_id: int):
    assessment = access.get_assessment(current_user, assessment_id)
    return render_template("assessments/overview.html", **context.overview(assessment),
                           submit_form=SubmitForm(), can_submit=access.can_submit(current_user, assessment))


@bp.route("/<int:assessment_id>/section/<dimension_key>")
@login_required
def section(assessment_id: int, dimension_key: str):
    assessment = access.get_assessment(current_user, assessment_id)
    try:
        data = context.section(assessment, dimension_key)
    except KeyError:
        abort(404)
    editable = access.can_edit_answers(current_user, assessment)
    return render_template("assessments/section.html", assessment=assessment, **data, editable=editable,
                           cards=cards.card_templates(assessment.questionnaire_version, current_language(), editable),
                           can_reply=access.can_respond_to_flags(current_user, assessment),
                           reply_form=FlagResponseForm(), action_form=ActionForm())


@bp.route("/<int:assessment_id>/submit", methods=["GET", "POST"])
@login_required
def submit(assessment_id: int):
    assessment = access.get_assessment(current_user, assessment_id)
    form = SubmitForm()
    if form.validate_on_submit():
        try:
            missing = workflow.submit(current_user, assessment)
        except AssessmentError as error:
            flash(str(error), "danger")
            return redirect(url_for(".overview", assessment_id=assessment.id))
        if not missing:
            flash(_("The assessment was submitted to the Commission. Answers are now locked."), "success")
            return redirect(url_for(".overview", assessment_id=assessment.id))
        flash(_("The assessment cannot be submitted yet: complete the items listed below."), "warning")
        return redirect(url_for(".submit", assessment_id=assessment.id))
    return render_template("assessments/submit.html", assessment=assessment, form=form,
                           **context.missing(assessment), can_submit=access.can_submit(current_user, assessment))


@bp.route("/<int:assessment_id>/history/<question_key>")
@login_required
def history(assessment_id: int, question_key: str):
    assessment = access.get_assessment(current_user, assessment_id)
    questionnaire = parsed(assessment.questionnaire_version)
    try:
        question = questionnaire.question(question_key)
    except KeyError:
        abort(404)
    answers = context.answers_of(assessment)
    answer = answers.get(question_key)
    hidden = (answer is not None and (answer.value is not None or answer.not_applicable)
              and question_key not in context.visible_keys(questionnaire, answers))
    return render_template("assessments/history.html", assessment=assessment, question=question,
                           events=workflow.history(assessment, question_key), hidden=hidden)


@bp.route("/<int:assessment_id>/flags/<int:flag_id>/reply", methods=["POST"])
@login_required
def reply_to_flag(assessment_id: int, flag_id: int):
    assessment = access.get_assessment(current_user, assessment_id)
    form = FlagResponseForm()
    key = request.form.get("dimension", "")
    if form.validate_on_submit():
        try:
            workflow.respond_to_flag(current_user, assessment, flag_id, form.response.data)
            flash(_("Your reply was saved."), "success")
        except LookupError:
            access.refuse(404, f"flag {flag_id} not in assessment {assessment_id}", assessment_id=assessment.id)
        except AssessmentError as error:
            flash(str(error), "danger")
    else:
        flash(_("Write a reply to the analyst's comment."), "danger")
    if key:
        return redirect(url_for(".section", assessment_id=assessment.id, dimension_key=key))
    return redirect(url_for(".overview", assessment_id=assessment.id))


bp.add_app_template_global(views.question_url, "question_url")
bp.add_app_template_global(cards.render_card, "render_card")
bp.add_app_template_global(views.KEY, "question_key_placeholder")
bp.add_app_template_global(labels.numbered_level_name, "level_name")
bp.add_app_template_global(number_text, "number_shown")
bp.add_app_template_global(text_limits.LIMITS, "text_limits")
bp.add_app_template_global(overall_rule, "overall_rule")
