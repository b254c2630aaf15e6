"""`flask scores sensitivity`: stored answers scored under other rules; nothing is written (DESIGN.md §5)."""
from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import sqlalchemy as sa

from app.extensions import db
from app.models import Answer, Assessment
from app.services.dashboard import status_clause
from app.services.questionnaires import find_by_label, parsed
from scoring import sensitivity

HEAD = ["country_code", "cycle", "assessment_id", "status"]


class SensitivityError(ValueError):
    """The analysis cannot be run as asked; the message says why."""


def sensitivity_rows(label: str, thresholds: list[float], overall_levels: list[str], hidden: list[str],
                     status: str) -> Iterator[list]:
    """The header, then per assessment (country, cycle order) one row per variant, in the order given.

    A variant is (stage threshold, overall-level rule, hidden rule); the hidden rule applies to every
    question. The index is a percentage with 2 decimals. Reads stored answers only.
    """
    version = find_by_label(label)
    if version is None:
        raise SensitivityError(f"unknown questionnaire {label} (expected ID@VERSION)")
    questionnaire = parsed(version)
    assessments = db.session.execute(
        sa.select(Assessment.id, Assessment.country_code, Assessment.cycle, Assessment.status)
        .where(Assessment.questionnaire_version_id == version.id, status_clause(None, status))
        .order_by(Assessment.country_code, Assessment.cycle, Assessment.id)).all()
    ids = [a.id for a in assessments]
    answers = pd.read_sql(sa.select(Answer.assessment_id, Answer.question_key, Answer.value,
                                    Answer.not_applicable).where(Answer.assessment_id.in_(ids)),
                          db.session.connection())
    variants: dict[int, list[list]] = {i: [] for i in ids}
    for assessment_id, row in sensitivity.sensitivity(questionnaire, answers, ids, thresholds, overall_levels,
                                                      hidden):
        variants[assessment_id].append(row)
    yield HEAD + sensitivity.header(questionnaire)
    for a in assessments:
        for row in variants[a.id]:
            yield [a.country_code, a.cycle, a.id, a.status, *row[:4], _two(row[4]), *row[5:]]


def _two(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"
