"""Helpers for the cycle and notification tests: open a cycle, fill and submit an assessment of the mini questionnaire."""
from datetime import date

import pytest

from app import create_app
from app.extensions import db
from app.models import Assessment, Cycle, QuestionnaireVersion, User
from tests.conftest import BACKENDS, fresh_schema, make_config

COMPLETE = (("legal.e-docs", {"value": "full", "evidence_url": "https://law.example/act"}),
            ("legal.e-signature", {"value": "yes"}), ("release.hours", {"value": "3.5"}))


def open_cycle(app, user, version_id: int, label: str = "2026", countries=("AM", "BY", "KZ", "KG", "RU"),
               submission: date = date(2026, 12, 7), review: date | None = None, **kwargs) -> int:
    from app.services import cycles

    with app.app_context():
        return cycles.open_cycle(db.session.get(User, user.id), label=label,
                                 version=db.session.get(QuestionnaireVersion, version_id),
                                 country_codes=list(countries), submission_deadline=submission,
                                 review_deadline=review, **kwargs).cycle.id


def fill(app, user, assessment_id: int) -> None:
    """Answer every required question as `user`, through the service."""
    from app.services.assessments import save_answer

    with app.app_context():
        for key, changes in COMPLETE:
            save_answer(db.session.get(User, user.id), db.session.get(Assessment, assessment_id), key, changes, None)


def submit(app, user, assessment_id: int):
    from app.services import workflow

    with app.app_context():
        assert workflow.submit(db.session.get(User, user.id), db.session.get(Assessment, assessment_id)) == []


def assessment_of(app, cycle_id: int, country: str) -> Assessment:
    with app.app_context():
        found = db.session.scalar(db.select(Assessment).where(Assessment.cycle_id == cycle_id,
                                                              Assessment.country_code == country))
        if found is not None:
            db.session.expunge(found)
        return found


def cycle(app, cycle_id: int) -> Cycle:
    with app.app_context():
        found = db.session.get(Cycle, cycle_id)
        db.session.expunge(found)
        return found


@pytest.fixture(params=BACKENDS)
def shared_app(request, tmp_path):
    """An app on a database that separate connections share (a SQLite file, or a PostgreSQL database)."""
    url = f"sqlite:///{tmp_path}/reminders.db" if request.param == "sqlite" else request.getfixturevalue("pg_database")
    with fresh_schema(create_app(make_config(url, tmp_path))) as application:
        yield application
