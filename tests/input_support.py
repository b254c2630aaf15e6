"""Shared set-up of the input and export tests (issue 10): the `inputs` questionnaire, a country's draft."""
import io
import os
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.extensions import db
from app.models import Answer, Assessment, AuditEvent, QuestionnaireVersion, ReviewFlag, User

DATA = os.path.join(os.path.dirname(__file__), "data")
LABEL = "inputs@2026.1"


@dataclass
class Draft:
    id: int
    coordinator: User
    version_id: int


@pytest.fixture
def draft(app, make_user, auth) -> Draft:
    """The `inputs` questionnaire loaded, an Armenian coordinator logged in, and a draft of cycle 2026."""
    from app.services import questionnaires
    from app.services.assessments import start_assessment

    coordinator = make_user("coordinator", "AM")
    with app.app_context():
        questionnaires.load_paths([os.path.join(DATA, "inputs-2026.1.yaml")])
        version = questionnaires.find_version("inputs", "2026.1")
        assessment = start_assessment(db.session.get(User, coordinator.id), "AM", version, "2026")
        result = Draft(assessment.id, coordinator, version.id)
    auth.login(coordinator)
    return result


def save(client, assessment_id: int, key: str, base_revision: int | None = None, **fields):
    """An autosave request; base_revision defaults to the stored revision."""
    if base_revision is None:
        base_revision = revision(client.application, assessment_id, key)
    return client.post(f"/assessments/{assessment_id}/answers/{key}", json={"base_revision": base_revision, **fields})


def answer(app, assessment_id: int, key: str) -> Answer | None:
    with app.app_context():
        found = db.session.scalar(sa.select(Answer).filter_by(assessment_id=assessment_id, question_key=key))
        if found is not None:
            db.session.expunge(found)
        return found


def revision(app, assessment_id: int, key: str) -> int:
    found = answer(app, assessment_id, key)
    return found.revision if found else 0


def answers(app, assessment_id: int) -> dict[str, tuple]:
    with app.app_context():
        return {a.question_key: (a.value, a.not_applicable, a.comment, a.evidence_url, a.revision)
                for a in db.session.scalars(sa.select(Answer).filter_by(assessment_id=assessment_id))}


def history_rows(app, assessment_id: int, key: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.assessment_id == assessment_id, AuditEvent.question_key == key))


def store_raw(app, assessment_id: int, key: str, **fields) -> None:
    """Write an answer row directly, as an older version of the app might have (no entry checks)."""
    with app.app_context():
        found = db.session.scalar(sa.select(Answer).filter_by(assessment_id=assessment_id, question_key=key))
        if found is None:
            found = Answer(assessment_id=assessment_id, question_key=key, revision=1)
            db.session.add(found)
        for name, value in fields.items():
            setattr(found, name, value)
        db.session.commit()


def set_status(app, assessment_id: int, status: str) -> None:
    with app.app_context():
        db.session.get(Assessment, assessment_id).status = status
        db.session.commit()


def add_flag(app, assessment_id: int, analyst_id: int, key: str) -> int:
    with app.app_context():
        flag = ReviewFlag(assessment_id=assessment_id, question_key=key, comment="Check this",
                          created_by_id=analyst_id)
        db.session.add(flag)
        db.session.commit()
        return flag.id


def open_xlsx(data: bytes):
    return load_workbook(io.BytesIO(data))


def version_id(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(QuestionnaireVersion.id).filter_by(questionnaire_id="inputs"))
