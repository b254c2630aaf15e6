"""Demo cycles: one Cycle per label of the demo assessments, with illustrative deadlines.

Kept apart from the demo assessments so that either can change on its own: it reads whatever
demo assessments exist (any questionnaire, any labels) and opens the cycles they lack.
"""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Assessment, QuestionnaireVersion, User
from app.services import countries, cycles, deadlines

#: a past cycle's illustrative deadlines: 30 April and 30 June of its year
PAST_DEADLINES = ((4, 30), (6, 30))
#: the current cycle's deadlines, counted from the day of seeding so that the demo always has some days left
CURRENT_DAYS = (10, 40)


def seed_cycles() -> int:
    """Open the missing cycles of the demo assessments (past ones closed); returns how many were opened."""
    analyst = db.session.scalar(sa.select(User).where(User.email == "analyst@demo.example"))
    if analyst is None:
        return 0
    today = deadlines.local_today(cycles.now(), cycles.time_zone())
    opened = 0
    for questionnaire_id, label in _demo_labels():
        if cycles.find(questionnaire_id, label) is not None:
            continue
        submission, review = _deadlines(label, today)
        cycle = cycles.open_cycle(analyst, label=label, version=_version(questionnaire_id, label),
                                  country_codes=list(countries.EEU_MEMBERS), submission_deadline=submission,
                                  review_deadline=review).cycle
        if review < today:
            cycles.close_cycle(analyst, cycle, confirmed=True)
        opened += 1
    return opened


def _demo_labels() -> list[tuple[str, str]]:
    return list(db.session.execute(sa.select(Assessment.questionnaire_id, Assessment.cycle).where(
        Assessment.is_demo.is_(True)).distinct().order_by(Assessment.questionnaire_id, Assessment.cycle)).all())


def _version(questionnaire_id: str, label: str) -> QuestionnaireVersion:
    """The version the cycle's demo assessments use (the newest one, if they differ)."""
    return db.session.scalar(sa.select(QuestionnaireVersion).join(
        Assessment, Assessment.questionnaire_version_id == QuestionnaireVersion.id).where(
        Assessment.questionnaire_id == questionnaire_id, Assessment.cycle == label).order_by(
        QuestionnaireVersion.loaded_at.desc(), QuestionnaireVersion.id.desc()).limit(1))


def _deadlines(label: str, today: date) -> tuple[date, date]:
    year = int(label) if label.isascii() and label.isdigit() else today.year
    if year < today.year:
        (sm, sd), (rm, rd) = PAST_DEADLINES
        return date(year, sm, sd), date(year, rm, rd)
    return today + timedelta(days=CURRENT_DAYS[0]), today + timedelta(days=CURRENT_DAYS[1])
