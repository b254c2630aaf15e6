"""Races of state changes made outside the web pages, on SQLite (a file) and PostgreSQL (issue 9):
the command line (`flask assessments import`, `flask questionnaires load`, `flask users create`)
and the second factor at login. Threads, each on its own pooled connection, start together at a
barrier; each test fails when the guard it checks is removed (see the notes of issue 9).
"""
import os

import sqlalchemy as sa

from app.extensions import db
from app.models import Answer, Assessment, AuditEvent, QuestionnaireVersion, User
from tests.conftest import PASSWORD
from tests.test_concurrency_support import ROOT, at_once, events
from tests.test_concurrency_support import live, people  # noqa: F401  (fixtures)


def test_a_second_factor_code_used_by_several_logins_at_once_is_accepted_once(live, people, totp_code):
    import pyotp

    from app.services import totp

    with live.app.app_context():
        analyst = db.session.scalar(sa.select(User).where(User.role == "analyst"))
        analyst.totp_secret = pyotp.random_base32()
        db.session.commit()
        analyst_id, code = analyst.id, totp_code(analyst.totp_secret)

    def log_in() -> bool:
        with live.app.app_context():
            return totp.verify_login(db.session.get(User, analyst_id), code)

    assert sorted(at_once([log_in] * 8)) == [False] * 7 + [True]


def test_the_same_account_created_at_once_is_created_once(live, people):
    from app.services import accounts

    def create():
        with live.app.app_context():
            try:
                accounts.create_user(email="twice@example.org", name="Twice", role="analyst", password=PASSWORD)
                return "created"
            except accounts.AccountError as error:
                return str(error)

    outcomes = at_once([create] * 6)
    assert sorted(outcomes) == ["A user with the e-mail twice@example.org already exists."] * 5 + ["created"]
    with live.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "user.create", AuditEvent.after["email"].as_string() == "twice@example.org")) == 1


def test_a_questionnaire_version_loaded_by_several_commands_at_once_is_stored_once(live, people):
    from app.services import questionnaires

    path = os.path.join(ROOT, "questionnaires", "single-window", "2026.1.yaml")

    def load():
        with live.app.app_context():
            return questionnaires.load_paths([path])[0].outcome

    assert sorted(at_once([load] * 4)) == ["added", "unchanged", "unchanged", "unchanged"]
    with live.app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(QuestionnaireVersion).where(
            QuestionnaireVersion.questionnaire_id == "single-window")) == 1


def test_the_same_file_imported_by_several_commands_at_once_creates_the_draft_once(live, people):
    from app.services import imports

    data = b"question_key,value,comment\nrelease.hours,5,from the import\nlegal.e-docs,partial,\n"

    def run_import():
        with live.app.app_context():
            result = imports.import_file("answers.csv", data, country_code="AM", cycle="import", label="mini@2026.1")
            return result.created, result.changed

    outcomes = at_once([run_import] * 4)
    assert sorted(outcomes) == [(False, 0)] * 3 + [(True, 2)]
    with live.app.app_context():
        created = db.session.scalars(sa.select(Assessment.id).where(Assessment.cycle == "import")).all()
        assert len(created) == 1
        revisions = db.session.scalars(sa.select(Answer.revision).where(Answer.assessment_id == created[0])).all()
        assert revisions == [1, 1]
    assert len(events(live, created[0], "assessment.create")) == 1
