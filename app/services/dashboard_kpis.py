"""KPI trends: the values of number questions per country over cycles, across versions through the crosswalk.

A KPI is a number question of the newest loaded version; an older version's question counts as the same
KPI when its key is the same or the newer versions' `supersedes.renamed` leads to it. Values are answers,
so they follow access.answer_visibility as well as the score filters; a value hidden by show_if or marked
not applicable is left out.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

import scoring
from app import access
from app.extensions import db
from app.models import Answer, Assessment, QuestionnaireVersion, User
from app.services.dashboard import Filters, scope, version_key
from app.services.questionnaires import parsed


@dataclass(frozen=True)
class KpiPoint:
    """One country's value of a KPI in one cycle."""

    country_code: str
    country_name: str
    cycle: str
    version: str
    status: str
    value: float


def kpis(questionnaire_id: str) -> tuple[scoring.Questionnaire | None, list[scoring.Question]]:
    """The newest loaded version and its number questions (the KPIs), in file order."""
    versions = _versions(questionnaire_id)
    if not versions:
        return None, []
    newest = parsed(versions[-1])
    return newest, [q for q in newest.questions if q.type == "number"]


def kpi_points(user: User, filters: Filters, questionnaire_id: str, key: str, lang: str) -> list[KpiPoint]:
    """Every visible value of KPI `key` (a newest-version key), ordered by country and cycle."""
    versions = _versions(questionnaire_id)
    keys = _keys_by_version(versions, key)
    query = (sa.select(Assessment).where(Assessment.questionnaire_id == questionnaire_id, scope(user, filters),
                                         access.answer_visibility(user),
                                         Assessment.questionnaire_version_id.in_(list(keys)))
             .order_by(Assessment.country_code, Assessment.cycle))
    assessments = list(db.session.scalars(query))
    answers: dict[int, dict[str, tuple[str | None, bool]]] = {}
    if assessments:
        for assessment_id, k, value, na in db.session.execute(
                sa.select(Answer.assessment_id, Answer.question_key, Answer.value, Answer.not_applicable)
                .where(Answer.assessment_id.in_([a.id for a in assessments]))):
            answers.setdefault(assessment_id, {})[k] = (value, bool(na))
    points = []
    for a in assessments:
        own_key, given = keys[a.questionnaire_version_id], answers.get(a.id, {})
        value, na = given.get(own_key, (None, False))
        number = scoring.canonical_number(value) if value is not None and not na else None
        if number is None or own_key not in scoring.visible_questions(parsed(a.questionnaire_version), given):
            continue
        points.append(KpiPoint(a.country_code, a.country.name(lang), a.cycle, a.questionnaire_version.version,
                               a.status, float(number)))
    return points


def _versions(questionnaire_id: str) -> list[QuestionnaireVersion]:
    return sorted(db.session.scalars(sa.select(QuestionnaireVersion).where(
        QuestionnaireVersion.questionnaire_id == questionnaire_id)), key=lambda v: version_key(v.version))


def _keys_by_version(versions: list[QuestionnaireVersion], key: str) -> dict[int, str]:
    """Version id -> the key KPI `key` has in that version, following renames back from the newest."""
    found, current = {}, key
    for newer, older in zip(reversed(versions), [*reversed(versions[:-1]), None]):
        q = parsed(newer)
        if current is None or current not in {x.key for x in q.questions} or q.question(current).type != "number":
            break
        found[newer.id] = current
        if older is None:
            continue
        renamed = q.supersedes.renamed if q.supersedes and q.supersedes.version == older.version else {}
        back = {new: old for old, new in renamed.items()}
        current = back.get(current, current)
    return found
