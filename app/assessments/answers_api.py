"""Autosave (JSON, CSRF token in a header) and evidence files."""
import unicodedata
from urllib.parse import quote

from flask import Response, abort, flash, jsonify, redirect, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import access
from app.assessments import bp, context
from app.services import attachments
from app.services.assessments import AnswerConflict, AnswerLocked, AssessmentError, save_answer
from app.services.questionnaires import parsed


@bp.route("/<int:assessment_id>/answers/<question_key>", methods=["POST"])
@login_required
def save(assessment_id: int, question_key: str):
    assessment = access.get_assessment(current_user, assessment_id)
    payload = request.get_json(silent=True)
    revision = payload.get("base_revision") if isinstance(payload, dict) else None
    if not isinstance(revision, int) or isinstance(revision, bool) or revision < 0:
        return jsonify(error=_("The request could not be understood. Please go back and try again.")), 400
    changes = {k: payload[k] for k in ("value", "not_applicable", "comment", "evidence_url") if k in payload}
    try:
        saved = save_answer(current_user, assessment, question_key, changes, payload["base_revision"])
    except AnswerConflict as conflict:
        return jsonify(error=_("Someone else changed this answer in the meantime."), current=conflict.current), 409
    except AnswerLocked as error:
        return jsonify(error=str(error)), 403
    except AssessmentError as error:
        return jsonify(error=str(error), field=getattr(error, "field", None)), 422
    if not saved.changed:  # nothing stored, nothing rescored: the page's progress and skip logic stand
        return jsonify(answer=saved.state)
    return jsonify(answer=saved.state, **_page_state(saved.score))


def _page_state(score) -> dict:
    """Progress and hidden questions after a save (from the save's own scoring), so the page can update
    without reloading."""
    progress = {key: {"answered": p.answered, "required": p.required, "percent": p.percent}
                for key, p in context.progress_from((*score.dimensions, score.overall)).items()}
    return {"progress": progress, "hidden": sorted(score.hidden)}


@bp.route("/<int:assessment_id>/answers/<question_key>/attachments", methods=["POST"])
@login_required
def upload(assessment_id: int, question_key: str):
    assessment = access.get_assessment(current_user, assessment_id, to_edit="attachment upload")
    question = _question_or_404(assessment, question_key)
    upload_file = request.files.get("file")
    if upload_file is None or not upload_file.filename:
        flash(_("Choose a file to attach."), "warning")
    else:
        try:
            attachments.add(current_user, assessment, question.key, upload_file)
            flash(_("The file %(name)s was attached.", name=upload_file.filename), "success")
        except AssessmentError as error:
            flash(str(error), "danger")
    return _back_to(assessment, question)


@bp.route("/<int:assessment_id>/attachments/<int:attachment_id>")
@login_required
def download(assessment_id: int, attachment_id: int):
    attachment = access.get_attachment(current_user, assessment_id, attachment_id)
    response = Response(stream_with_context(attachments.content(attachment)), mimetype=attachment.content_type)
    response.headers["Content-Length"] = str(attachment.size)
    response.headers.set("Content-Disposition", "attachment", **_download_name(attachment.filename))
    return response


def _download_name(filename: str) -> dict[str, str]:
    """Content-Disposition parameters as werkzeug's send_file writes them (RFC 6266, UTF-8 in filename*)."""
    try:
        filename.encode("ascii")
        return {"filename": filename}
    except UnicodeEncodeError:
        simple = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
        return {"filename": simple, "filename*": f"UTF-8''{quote(filename, safe='!#$&+^`|~')}"}


@bp.route("/<int:assessment_id>/attachments/<int:attachment_id>/delete", methods=["POST"])
@login_required
def delete_attachment(assessment_id: int, attachment_id: int):
    assessment = access.get_assessment(current_user, assessment_id, to_edit="attachment removal")
    try:
        attachment = attachments.get(assessment, attachment_id)
        question = _question_or_404(assessment, attachment.question_key)
        attachments.remove(current_user, assessment, attachment_id)
    except LookupError:
        access.refuse(404, f"attachment {attachment_id} not in assessment {assessment_id}",
                      assessment_id=assessment.id)
    except AssessmentError as error:
        flash(str(error), "danger")
        return redirect(url_for(".overview", assessment_id=assessment.id))
    flash(_("The file was removed."), "info")
    return _back_to(assessment, question)


def _question_or_404(assessment, question_key: str):
    try:
        return parsed(assessment.questionnaire_version).question(question_key)
    except KeyError:
        abort(404)


def _back_to(assessment, question):
    return redirect(url_for(".section", assessment_id=assessment.id, dimension_key=question.dimension,
                            _anchor=f"q-{question.key}"))
