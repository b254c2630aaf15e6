"""Evidence files: accepted types only, size limit, stored in the database, served to the allowed."""
import io
from pathlib import Path

import sqlalchemy as sa

from app.extensions import db
from app.models import Attachment, StoredFileChunk


def _upload(client, assessment, data: bytes, name: str, key="legal.e-docs"):
    return client.post(f"/assessments/{assessment}/answers/{key}/attachments",
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data",
                       follow_redirects=True)


def _stored(app):
    with app.app_context():
        return db.session.scalars(sa.select(Attachment)).all()


def test_a_pdf_is_stored_in_the_database_and_downloaded_by_the_country(app, client, auth, make_user, start):
    from app.services import file_store

    user = make_user("respondent", "AM")
    assessment = start(make_user("coordinator", "AM"))
    auth.login(user)
    page = _upload(client, assessment, b"%PDF-1.7 customs code", "Закон о таможне.pdf").get_data(as_text=True)
    assert "was attached" in page
    [attachment] = _stored(app)
    with app.app_context():
        assert file_store.read(attachment.stored_name) == b"%PDF-1.7 customs code"
    assert not (Path(app.config["UPLOAD_DIR"]) / attachment.stored_name).exists()
    assert attachment.filename == "Закон о таможне.pdf"
    with client.get(f"/assessments/{assessment}/attachments/{attachment.id}") as response:
        assert response.status_code == 200 and response.data == b"%PDF-1.7 customs code"
        assert "attachment" in response.headers["Content-Disposition"]


def test_an_executable_is_refused(app, client, auth, make_user, start):
    auth.login(make_user("respondent", "AM"))
    assessment = start(make_user("coordinator", "AM"))
    page = _upload(client, assessment, b"MZ\x90\x00", "tool.exe").get_data(as_text=True)
    assert "This file type is not accepted" in page and _stored(app) == []


def test_a_file_whose_content_does_not_match_its_type_is_refused(app, client, auth, make_user, start):
    auth.login(make_user("respondent", "AM"))
    assessment = start(make_user("coordinator", "AM"))
    page = _upload(client, assessment, b"<html><script>alert(1)</script>", "report.pdf").get_data(as_text=True)
    assert "does not match its type" in page and _stored(app) == []


def test_a_file_over_the_size_limit_is_refused(app, client, auth, make_user, start):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    auth.login(make_user("respondent", "AM"))
    assessment = start(make_user("coordinator", "AM"))
    response = _upload(client, assessment, b"%PDF-" + b"x" * 4096, "big.pdf")
    assert response.status_code == 413 and _stored(app) == []


def test_a_removed_file_is_deleted_from_disk(app, client, auth, make_user, start):
    auth.login(make_user("respondent", "AM"))
    assessment = start(make_user("coordinator", "AM"))
    _upload(client, assessment, b"plain evidence", "note.txt")
    [attachment] = _stored(app)
    client.post(f"/assessments/{assessment}/attachments/{attachment.id}/delete")
    assert _stored(app) == []
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(StoredFileChunk)) == 0


def test_another_country_cannot_download(app, client, auth, make_user, start):
    auth.login(make_user("respondent", "AM"))
    assessment = start(make_user("coordinator", "AM"))
    _upload(client, assessment, b"plain evidence", "note.txt")
    auth.logout()
    auth.login(make_user("coordinator", "KZ"))
    assert client.get(f"/assessments/{assessment}/attachments/1").status_code == 404
