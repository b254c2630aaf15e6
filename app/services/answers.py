"""Reading the stored answers of an assessment: by question key, and which questions show_if leaves visible.

Writes go through app.services.assessments (one writer per assessment, app.services.locks).
"""
from __future__ import annotations

import sqlalchemy as sa

import scoring
from app.extensions import db
from app.models import Answer


def by_key(assessment_id: int) -> dict[str, Answer]:
    """The assessment's stored answers, {question key: Answer}; a question never answered has no entry."""
    return {a.question_key: a for a in db.session.scalars(
        sa.select(Answer).where(Answer.assessment_id == assessment_id))}


#: the answer columns the pages show (read as plain rows: no ORM objects, no identity map)
ROW_COLUMNS = (Answer.question_key, Answer.value, Answer.not_applicable, Answer.comment, Answer.evidence_url,
               Answer.revision, Answer.carried_forward)


def rows_by_key(assessment_id: int, keys=None) -> dict[str, sa.Row]:
    """The assessment's answers by question key (only `keys` when given), as read-only rows with the
    attributes of ROW_COLUMNS; a question never answered has no entry."""
    query = sa.select(*ROW_COLUMNS).where(Answer.assessment_id == assessment_id)
    if keys is not None:
        query = query.where(Answer.question_key.in_(list(keys)))
    return {row.question_key: row for row in db.session.execute(query)}


def visible_keys(questionnaire: scoring.Questionnaire, answers: dict[str, Answer]) -> frozenset[str]:
    """Keys of the questions whose show_if conditions these answers meet (DESIGN.md §3; scoring.visible_questions)."""
    return scoring.visible_questions(questionnaire, {k: (a.value, a.not_applicable) for k, a in answers.items()})
