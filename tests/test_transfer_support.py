"""Helpers shared by the import, workbook and transfer tests (no tests here)."""
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Answer, AuditEvent, User
from app.services import questionnaires
from app.services.assessments import save_answer, start_assessment

ROOT = Path(__file__).resolve().parent.parent
DCM = ROOT / "questionnaires" / "digital-customs-maturity" / "2026.1.yaml"
LABEL = "digital-customs-maturity@2026.1"


def load_questionnaire(app) -> None:
    with app.app_context():
        questionnaires.load_paths([str(DCM)])


def start(app, user, country: str = "AM", cycle: str = "2026") -> int:
    """A draft assessment of the user's country; returns its id."""
    with app.app_context():
        coordinator = db.session.get(User, user.id)
        return start_assessment(coordinator, country, questionnaires.find_by_label(LABEL), cycle).id


def save(app, user, assessment_id: int, key: str, changes: dict, base_revision: int) -> None:
    """Someone saves an answer on the website."""
    from app.models import Assessment

    with app.test_request_context():
        save_answer(db.session.get(User, user.id), db.session.get(Assessment, assessment_id), key, changes,
                    base_revision)


def stored(app, assessment_id: int) -> dict[str, tuple]:
    """question_key -> (value, not_applicable, comment, evidence_url, revision)."""
    with app.app_context():
        return {a.question_key: (a.value, a.not_applicable, a.comment, a.evidence_url, a.revision)
                for a in db.session.scalars(sa.select(Answer).where(Answer.assessment_id == assessment_id))}


def actions(app, assessment_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.assessment_id == assessment_id).order_by(AuditEvent.id)))


def parsed_questionnaire(app):
    with app.app_context():
        return questionnaires.parsed(questionnaires.find_by_label(LABEL))


def open_workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def to_bytes(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row_of(sheet, key: str) -> int:
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row, 1).value == key:
            return row
    raise KeyError(key)


def cell(sheet, key: str, column: str):
    """The cell of question `key` in the column with machine name `column` (row 1 holds the names)."""
    names = [c.value for c in sheet[1]]
    return sheet.cell(row_of(sheet, key), names.index(column) + 1)


def csv_bytes(text: str, bom: bool = False) -> bytes:
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def zip_bytes(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


MINIMAL_XLSX_PARTS = {
    "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                           b'content-types"></Types>',
    "xl/workbook.xml": b'<?xml version="1.0"?><workbook/>',
}


@pytest.fixture
def coordinator(make_user):
    """Armenia's coordinator."""
    return make_user("coordinator", "AM")


@pytest.fixture
def assessment_id(app, countries, coordinator):
    """A draft of the shipped digital customs questionnaire for Armenia."""
    load_questionnaire(app)
    return start(app, coordinator)
