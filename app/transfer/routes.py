"""Views of the Excel round trip: download the workbook, upload a file, preview, apply."""
import io

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import access
from app.i18n import current_language, localised
from app.services import imports, workbook
from app.services.assessments import AssessmentError
from app.services.questionnaires import parsed
from app.transfer import bp
from app.transfer.forms import ApplyForm, UploadForm

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/assessments/<int:assessment_id>/workbook.xlsx")
@login_required
def download(assessment_id: int):
    assessment = access.get_assessment(current_user, assessment_id)
    data = workbook.build(assessment, current_language())
    return send_file(io.BytesIO(data), mimetype=XLSX_MIME, as_attachment=True,
                     download_name=workbook.filename(assessment), max_age=0)


@bp.route("/assessments/<int:assessment_id>/upload", methods=["GET", "POST"])
@login_required
def upload(assessment_id: int):
    # anyone who sees the assessment may read the page; only those who may change its answers send a file
    assessment = access.get_assessment(current_user, assessment_id,
                                       to_edit="workbook upload" if request.method == "POST" else None)
    form = UploadForm()
    if form.validate_on_submit():
        return _preview(assessment, form.file.data, form.decimal.data or None)
    return _page("transfer/upload.html", assessment, form=form,
                 may_edit=access.can_edit_answers(current_user, assessment)), 422 if form.errors else 200


def _preview(assessment, file, decimal: str | None):
    try:
        preview = imports.preview_upload(current_user, assessment, file.filename or "", file.read(), decimal=decimal)
    except (imports.ImportRefused, AssessmentError) as error:
        return _page("transfer/upload.html", assessment, form=UploadForm(formdata=None), may_edit=True,
                     refused=str(error), filename=file.filename), 422
    if preview.token:  # a change set ready to apply: show it on its own page, so Back and reload are safe
        return redirect(url_for(".preview", assessment_id=assessment.id, token=preview.token), 303)
    plan = preview.plan
    status = 422 if plan.problems else 409 if plan.conflicts else 200
    return _page("transfer/preview.html", assessment, preview=preview, plan=plan, form=ApplyForm()), status


@bp.route("/assessments/<int:assessment_id>/upload/<token>")
@login_required
def preview(assessment_id: int, token: str):
    assessment = access.get_assessment(current_user, assessment_id)
    try:
        pending = imports.pending_preview(current_user, assessment, token)
    except (imports.ImportRefused, AssessmentError) as error:
        flash(str(error), "warning")
        return redirect(url_for(".upload", assessment_id=assessment.id))
    return _page("transfer/preview.html", assessment, preview=pending, plan=pending.plan, form=ApplyForm())


@bp.route("/assessments/<int:assessment_id>/upload/<token>/apply", methods=["POST"])
@login_required
def apply(assessment_id: int, token: str):
    assessment = access.get_assessment(current_user, assessment_id, to_edit="workbook apply")
    if not ApplyForm().validate_on_submit():
        abort(400)
    try:
        count = imports.apply_upload(current_user, assessment, token)
    except imports.ImportConflict as conflict:
        return _page("transfer/conflicts.html", assessment, conflicts=conflict.conflicts), 409
    except (imports.ImportRefused, AssessmentError) as error:
        flash(str(error), "danger")
        return redirect(url_for(".upload", assessment_id=assessment.id))
    flash(_("The changes were saved: %(count)s answers changed, and the scores were recalculated.", count=count),
          "success")
    return redirect(_back_url(assessment) if _has_overview() else url_for(".upload", assessment_id=assessment.id))


def _page(template: str, assessment, **context):
    return render_template(template, assessment=assessment, questionnaire=parsed(assessment.questionnaire_version),
                           back_url=_back_url(assessment), has_overview=_has_overview(), **context)


def _has_overview() -> bool:
    return "assessments.overview" in current_app.view_functions


def _back_url(assessment) -> str:
    if _has_overview():
        return url_for("assessments.overview", assessment_id=assessment.id)
    return url_for("main.index")


def field_label(field: str) -> str:
    labels = {"value": _("Answer"), "not_applicable": _("Not applicable"), "comment": _("Comment"),
              "evidence_url": _("Evidence link")}
    return labels.get(field, field)


@bp.context_processor
def _helpers() -> dict:
    return {"shown": shown, "field_label": field_label}


def shown(question, field: str, value) -> str:
    """A stored field value as the user reads it: option labels, units, yes/no, a dash for nothing."""
    if field == "not_applicable":
        return _("Yes") if value else _("No")
    if value is None or value == "":
        return "—"
    if field == "value" and question.options:
        return question.option_label(value, current_language()) or value
    if field == "value" and question.type == "number" and question.unit:
        return f"{value} {localised(question.unit)}"
    return str(value)
