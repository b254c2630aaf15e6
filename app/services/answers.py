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


def visible_keys(questionnaire: scoring.Questionnaire, answers: dict[str, Answer]) -> frozenset[str]:
    """Keys of the questions whose show_if conditions these answers meet (DESIGN.md §3; scoring.visible_questions)."""
    return scoring.visible_questions(questionnaire, {k: (a.value, a.not_applicable) for k, a in answers.items()})
