"""Evidence files: type and size checks, storage in the database (file_store), access through the app only."""
from __future__ import annotations

import hashlib
import secrets
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from app import access, audit
from app.extensions import db
from app.models import Assessment, Attachment, User
from app.services import file_store, scores
from app.services.errors import AnswerLocked, AssessmentError
from app.services.locks import EDITABLE, changing

# extension -> (content type, magic prefixes that the file must start with; empty = any text)
ALLOWED = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    "odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", (b"PK\x03\x04",)),
    "txt": ("text/plain", ()),
    "csv": ("text/csv", ()),
}
MAX_PER_QUESTION = 10


def _extension(filename: str) -> str:
    return filename.rsplit(".", 1)[-1].lower() if "." in filename else ""


def _clean_name(filename: str) -> str:
    name = Path(filename.replace("\\", "/")).name.strip()
    return "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"/\\|?*')[:200] or "file"


def _check_content(extension: str, data: bytes) -> None:
    _type, magics = ALLOWED[extension]
    if magics and not any(data.startswith(m) for m in magics):
        raise AssessmentError(_("The file content does not match its type."))
    if not magics:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            raise AssessmentError(_("A text file must be UTF-8 encoded.")) from None


def add(user: User, assessment: Assessment, question_key: str, upload: FileStorage) -> Attachment:
    """Store an uploaded evidence file for a question; commits.

    Raises AnswerLocked unless the user may change the assessment's answers (access.can_edit_answers).
    """
    if not access.can_edit_answers(user, assessment):
        raise AnswerLocked(_("This assessment does not accept changes in its current status."))
    filename = _clean_name(upload.filename or "")
    extension = _extension(filename)
    if extension not in ALLOWED:
        raise AssessmentError(_("This file type is not accepted. Accepted: %(types)s.",
                                types=", ".join(sorted(ALLOWED))))
    data = upload.read(current_app.config["MAX_CONTENT_LENGTH"] + 1)
    if len(data) > current_app.config["MAX_CONTENT_LENGTH"]:
        raise AssessmentError(_("The file is larger than the allowed maximum."))
    if not data:
        raise AssessmentError(_("The file is empty."))
    _check_content(extension, data)
    stored_name = secrets.token_hex(16)
    with changing(assessment, EDITABLE):
        # counted under the assessment's write lock, so concurrent uploads cannot pass the limit together
        if len(for_question(assessment, question_key)) >= MAX_PER_QUESTION:
            raise AssessmentError(_("A question can have at most %(n)d files.", n=MAX_PER_QUESTION))
        attachment = Attachment(assessment_id=assessment.id, question_key=question_key, filename=filename,
                                stored_name=stored_name, content_type=ALLOWED[extension][0], size=len(data),
                                sha256=hashlib.sha256(data).hexdigest(), uploaded_by_id=user.id)
        db.session.add(attachment)
        file_store.save(stored_name, data)  # in the same transaction: no content without its row, nor the reverse
        audit.record("attachment.add", user=user, assessment_id=assessment.id, question_key=question_key,
                     after={"filename": filename, "size": len(data), "sha256": attachment.sha256})
        scores.rescore(assessment)  # evidence coverage counts attachments
    return attachment


def remove(user: User, assessment: Assessment, attachment_id: int) -> None:
    """Delete an evidence file of an editable assessment; commits. LookupError when it is gone; AnswerLocked
    unless the user may change the assessment's answers (access.can_edit_answers)."""
    if not access.can_edit_answers(user, assessment):
        raise AnswerLocked(_("This assessment does not accept changes in its current status."))
    with changing(assessment, EDITABLE):
        attachment = get(assessment, attachment_id)  # read under the lock: a second removal finds nothing
        audit.record("attachment.remove", user=user, assessment_id=assessment.id,
                     question_key=attachment.question_key,
                     before={"filename": attachment.filename, "sha256": attachment.sha256})
        file_store.delete(attachment.stored_name)
        db.session.delete(attachment)
        scores.rescore(assessment)  # evidence coverage counts attachments


def get(assessment: Assessment, attachment_id: int) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.assessment_id != assessment.id:
        raise LookupError(attachment_id)
    return attachment


def content(attachment: Attachment):
    """The file's bytes, streamed chunk by chunk from the database (app.services.file_store)."""
    return file_store.chunks(attachment.stored_name)


def for_question(assessment: Assessment, question_key: str) -> list[Attachment]:
    return list(db.session.scalars(sa.select(Attachment).where(
        Attachment.assessment_id == assessment.id, Attachment.question_key == question_key).order_by(Attachment.id)))


def by_question(assessment: Assessment) -> dict[str, list[Attachment]]:
    grouped: dict[str, list[Attachment]] = {}
    for attachment in db.session.scalars(sa.select(Attachment).where(
            Attachment.assessment_id == assessment.id).order_by(Attachment.id)):
        grouped.setdefault(attachment.question_key, []).append(attachment)
    return grouped
