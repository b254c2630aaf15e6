"""Like-for-like trends: every cycle's index recomputed on the criteria all versions share.

The engine scores each version's stored answers restricted to the comparable criteria
(scoring.common_criteria: present in every version through the supersedes crosswalk, with the same
stage and scoring), under the newest version's scoring rules. Nothing is stored.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

import scoring
from app.extensions import db
from app.models import Answer, Assessment, QuestionnaireVersion, User
from app.services.dashboard import OVERALL, Filters, scope, version_key
from app.services.dashboard_trends import TrendPoint, dimension_keys
from app.services.questionnaires import parsed


@dataclass(frozen=True)
class ComparableTrend:
    """The recomputed trend points, how many criteria they rest on, and the versions compared."""

    points: list[TrendPoint]
    criteria: int
    versions: list[str]


def comparable_trend(user: User, filters: Filters, questionnaire_id: str, lang: str) -> ComparableTrend:
    """Every visible assessment of the questionnaire, scored on the comparable criteria only."""
    assessments = list(db.session.scalars(
        sa.select(Assessment).where(Assessment.questionnaire_id == questionnaire_id, scope(user, filters))
        .order_by(Assessment.country_code, Assessment.cycle)))
    chain = _chain(questionnaire_id, {a.questionnaire_version_id for a in assessments})
    if not chain:
        return ComparableTrend([], 0, [])
    questionnaires = [parsed(v) for v in chain]
    keys = scoring.common_criteria(questionnaires)
    used = sorted({a.questionnaire_version.version for a in assessments}, key=version_key)
    if not keys[-1]:  # nothing shared with the same stage and scoring: nothing to score (the page says so)
        return ComparableTrend([], 0, used)
    dimension_of = dimension_keys(questionnaire_id, filters.dimension)
    results = {}
    for version, questionnaire, kept in zip(chain, questionnaires, keys):
        ids = [a.id for a in assessments if a.questionnaire_version_id == version.id]
        if ids:
            restricted = scoring.restrict(questionnaire, kept, rules_from=questionnaires[-1])
            for result in scoring.score(restricted, _answers(ids), assessment_ids=ids):
                results[result.assessment_id] = (version, _figure(result, dimension_of.get(version.id)))
    points = [TrendPoint(a.country_code, a.country.name(lang), a.cycle, results[a.id][0].version, a.status,
                         *results[a.id][1]) for a in assessments if a.id in results]
    return ComparableTrend(points, len(keys[-1]), used)


def _chain(questionnaire_id: str, with_data: set[int]) -> list[QuestionnaireVersion]:
    """The loaded versions from the oldest to the newest with data, oldest first (the crosswalk chain)."""
    versions = sorted(db.session.scalars(sa.select(QuestionnaireVersion).where(
        QuestionnaireVersion.questionnaire_id == questionnaire_id)), key=lambda v: version_key(v.version))
    positions = [i for i, v in enumerate(versions) if v.id in with_data]
    return versions[positions[0]:positions[-1] + 1] if positions else []


def _answers(ids: list[int]) -> list[dict]:
    rows = db.session.execute(sa.select(Answer.assessment_id, Answer.question_key, Answer.value,
                                        Answer.not_applicable).where(Answer.assessment_id.in_(ids)))
    return [{"assessment_id": i, "question_key": k, "value": v, "not_applicable": na} for i, k, v, na in rows]


def _figure(result: scoring.AssessmentScore, key: str | None) -> tuple[int | None, float | None]:
    """(level, index) of the dimension (or overall); (None, None) when it has no comparable criterion."""
    if key is None:
        return None, None
    try:
        score = result.dimension(OVERALL if key == OVERALL else key)
    except KeyError:
        return None, None
    return score.level, score.index
