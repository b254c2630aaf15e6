"""Evidence files in the database (any server serves them), the migration that moves them there, and /healthz."""
import hashlib
import io
import os
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from app.models import Attachment, StoredFileChunk
from app.services import file_store
from tests.conftest import BACKENDS, DATA, PASSWORD, make_config
from tests.test_migrations import empty_database_url  # noqa: F401  (fixture)


def _upload(client, assessment, data: bytes, name: str):
    return client.post(f"/assessments/{assessment}/answers/legal.e-docs/attachments",
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


@pytest.fixture(params=BACKENDS)
def pg_or_file_url(request, tmp_path):
    """One database for two app instances: a SQLite file, or the session's PostgreSQL database."""
    url = f"sqlite:///{tmp_path}/shared.db" if request.param == "sqlite" else request.getfixturevalue("pg_database")
    yield url
    engine = sa.create_engine(url)
    db.metadata.drop_all(engine)
    engine.dispose()


@pytest.fixture
def countries_and_users():
    """Build the schema through an app and give it a country, a coordinator and a draft assessment."""
    def build(app) -> tuple[int, str, str]:
        from app.models import QuestionnaireVersion, User
        from app.services import accounts, assessments, countries, questionnaires

        with app.app_context():
            db.drop_all()
            db.create_all()
            countries.sync_countries(("AM",))
            user = accounts.create_user(email="coord@customs.am", name="C", role="coordinator", country_code="AM",
                                        password=PASSWORD)
            questionnaires.load_paths([os.path.join(DATA, "mini-2026.1.yaml")])
            version = db.session.scalar(sa.select(QuestionnaireVersion))
            assessment = assessments.start_assessment(db.session.get(User, user.id), "AM", version, "2026").id
            db.session.remove()
        return assessment, "coord@customs.am", PASSWORD

    return build


def test_a_large_file_is_stored_in_chunks_and_streamed_back_unchanged(app, client, auth, make_user, start,
                                                                      monkeypatch):
    # Smaller chunks keep the upload under the test client's 500 KB spooling threshold.
    monkeypatch.setattr(file_store, "CHUNK_SIZE", 50_000)
    data = b"%PDF-1.7\n" + os.urandom(3 * file_store.CHUNK_SIZE + 12345)
    auth.login(make_user("respondent", "AM"))
    assessment = start(make_user("coordinator", "AM"))
    _upload(client, assessment, data, "law.pdf")
    with app.app_context():
        attachment = db.session.scalar(sa.select(Attachment))
        sizes = db.session.scalars(sa.select(sa.func.length(StoredFileChunk.data)).order_by(StoredFileChunk.seq)).all()
    assert sizes == [file_store.CHUNK_SIZE] * 3 + [len(data) - 3 * file_store.CHUNK_SIZE]
    response = client.get(f"/assessments/{assessment}/attachments/{attachment.id}")
    assert response.is_streamed and response.headers["Content-Length"] == str(len(data))
    assert hashlib.sha256(response.data).hexdigest() == attachment.sha256


def test_a_file_uploaded_through_one_instance_is_served_by_another(pg_or_file_url, tmp_path, countries_and_users):
    first = create_app(make_config(pg_or_file_url, tmp_path / "one"))
    second = create_app(make_config(pg_or_file_url, tmp_path / "two"))  # another UPLOAD_DIR: nothing shared on disk
    assessment, email, password = countries_and_users(first)
    one, two = first.test_client(), second.test_client()
    for client in (one, two):
        client.post("/login", data={"email": email, "password": password})
    _upload(one, assessment, b"evidence text, UTF-8: \xd0\xb4\xd0\xb0", "note.txt")
    with first.app_context():
        attachment_id = db.session.scalar(sa.select(Attachment.id))
    response = two.get(f"/assessments/{assessment}/attachments/{attachment_id}")
    assert response.status_code == 200 and response.data == b"evidence text, UTF-8: \xd0\xb4\xd0\xb0"
    assert not list((tmp_path / "two").rglob("*.*")) and not list((tmp_path / "one").rglob("*.*"))
    for app in (first, second):
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _seed_revision_0002(conn, stored_name: str) -> None:
    now = datetime.now(timezone.utc)
    conn.execute(sa.text("INSERT INTO country (code, name_en, name_ru, groups) VALUES ('AM', 'Armenia', 'Армения', '[]')"))
    conn.execute(sa.text(
        "INSERT INTO questionnaire_version (id, questionnaire_id, version, status, title, content, sha256, loaded_at) "
        "VALUES (1, 'q', '1', 'published', '{}', '', :sha, :now)"), {"sha": "0" * 64, "now": now})
    conn.execute(sa.text(
        "INSERT INTO assessment (id, country_code, questionnaire_version_id, questionnaire_id, cycle, status, is_demo, "
        "created_at, updated_at) VALUES (1, 'AM', 1, 'q', '2026', 'draft', false, :now, :now)"), {"now": now})
    conn.execute(sa.text(
        "INSERT INTO attachment (id, assessment_id, question_key, filename, stored_name, content_type, size, sha256, "
        "uploaded_at) VALUES (1, 1, 'legal.e-docs', 'old.pdf', :name, 'application/pdf', 1, :sha, :now)"),
        {"name": stored_name, "sha": "0" * 64, "now": now})


def test_the_migration_moves_existing_files_into_the_database_and_back(empty_database_url, tmp_path):  # noqa: F811
    app = create_app(make_config(empty_database_url, tmp_path))
    content = b"%PDF-1.4 " + os.urandom(file_store.CHUNK_SIZE + 10)
    uploads = tmp_path / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    (uploads / ("f" * 32)).write_bytes(content)
    with app.app_context():
        upgrade(revision="0002")
        with db.engine.begin() as conn:
            _seed_revision_0002(conn, "f" * 32)
        upgrade()
        assert file_store.read("f" * 32) == content
        db.session.remove()
        (uploads / ("f" * 32)).unlink()
        downgrade(revision="0002")
        assert (uploads / ("f" * 32)).read_bytes() == content
        downgrade(revision="base")
        db.engine.dispose()


def test_healthz_says_ok_only_when_the_schema_is_at_the_head(empty_database_url, tmp_path):  # noqa: F811
    app = create_app(make_config(empty_database_url, tmp_path))
    client = app.test_client()
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_json()["migrations"].startswith("at none")
    with app.app_context():
        upgrade(revision="0002")
        assert client.get("/healthz").status_code == 503
        upgrade()
        response = client.get("/healthz")
        assert response.status_code == 200 and response.get_json() == {"status": "ok", "database": "ok",
                                                                       "migrations": "head"}
        assert "Set-Cookie" not in response.headers
        downgrade(revision="base")
        db.engine.dispose()


def test_healthz_says_so_when_the_database_is_unreachable(tmp_path):
    app = create_app(make_config("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2", tmp_path))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json()["database"] == "unreachable"
