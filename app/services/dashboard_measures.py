"""The roadmap measures tracker: measures x countries from the stored `_overall` score rows.

Each cell is the engine's measure result (scoring version 2, DESIGN §4): attainment, status and the
number of counted criteria; nothing is scored here. A cell's criteria come with their answers only
where access.may_see_answers allows.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

import scoring
from app import access
from app.extensions import db
from app.models import Answer, QuestionnaireVersion, User
from app.services.dashboard import OVERALL, CountryScores, Filters, comparison


@dataclass(frozen=True)
class Cell:
    """One country's result for one measure; status `no_data` when the assessment has none stored."""

    measure_id: str
    country_code: str
    status: str
    attainment: float | None  # 0..1
    criteria: int


@dataclass(frozen=True)
class Matrix:
    """The countries shown (their chosen assessments) and the cells by (measure id, country code)."""

    series: list[CountryScores]
    cells: dict[tuple[str, str], Cell]

    def cell(self, measure_id: str, country_code: str) -> Cell:
        return self.cells.get((measure_id, country_code), Cell(measure_id, country_code, "no_data", None, 0))


def matrix(user: User, filters: Filters, version: QuestionnaireVersion, lang: str) -> Matrix:
    """Per shown country (latest assessment of this version in the cycle, as on the comparison), its measures."""
    series = comparison(user, filters, version, lang)
    cells = {}
    for s in series:
        row = s.rows.get(OVERALL)
        for m in (row.measures or []) if row is not None else []:
            cells[(m["id"], s.country_code)] = Cell(m["id"], s.country_code, m["status"], m["attainment"],
                                                    m["criteria"])
    return Matrix(series, cells)


@dataclass(frozen=True)
class Criterion:
    """A criterion behind a measure in one assessment: the question and, if the viewer may see it, the answer."""

    question: scoring.Question
    value: str | None
    not_applicable: bool
    hidden: bool
    share: float | None  # p = points / max points, 0..1; None when unanswered or not shown


def criteria(user: User, series: CountryScores, questionnaire: scoring.Questionnaire, measure_id: str
             ) -> tuple[list[Criterion], bool]:
    """The questions citing `measure_id` in the country's assessment, and whether their answers are shown."""
    from app.models import Assessment

    assessment = db.session.get(Assessment, series.assessment_id)
    shown = access.may_see_answers(user, assessment)
    questions = [q for q in questionnaire.questions if measure_id in q.measures]
    answers = {}
    if shown:
        answers = {k: (v, na) for k, v, na in db.session.execute(
            sa.select(Answer.question_key, Answer.value, Answer.not_applicable)
            .where(Answer.assessment_id == assessment.id))}
    visible = scoring.visible_questions(questionnaire, answers) if shown else frozenset()
    found = []
    for q in questions:
        value, na = answers.get(q.key, (None, False))
        points = q.points(value) if shown and q.key in visible and not na else None
        found.append(Criterion(q, value if shown else None, bool(na), shown and q.key not in visible,
                               None if points is None else points / q.max_points))
    return found, shown
