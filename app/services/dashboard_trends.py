"""Trends: a country's level and index of a dimension (or overall) over cycles, across versions.

Every number is a stored ScoreRow value; across versions a dimension keeps its key unless the
crosswalk of a newer version (supersedes.renamed) moved all its questions to a new one.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

import scoring
from app.extensions import db
from app.models import Assessment, QuestionnaireVersion, ScoreRow, User
from app.services.dashboard import OVERALL, Filters, scope, version_key
from app.services.questionnaires import parsed


@dataclass(frozen=True)
class TrendPoint:
    """A country's level and index of one dimension (or `_overall`) in one cycle."""

    country_code: str
    country_name: str
    cycle: str
    version: str
    status: str
    level: int | None
    index: float | None


def trend_points(user: User, filters: Filters, questionnaire_id: str, lang: str) -> list[TrendPoint]:
    """Every visible assessment of the questionnaire, across its versions, ordered by country and cycle."""
    keys = dimension_keys(questionnaire_id, filters.dimension)
    same_dimension = sa.or_(sa.false(), *(sa.and_(Assessment.questionnaire_version_id == version_id,
                                                  ScoreRow.dimension_key == key) for version_id, key in keys.items()))
    query = (sa.select(Assessment, QuestionnaireVersion.version, ScoreRow.level, ScoreRow.index)
             .join(QuestionnaireVersion, Assessment.questionnaire_version_id == QuestionnaireVersion.id)
             .join(ScoreRow, sa.and_(ScoreRow.assessment_id == Assessment.id, same_dimension))
             .where(Assessment.questionnaire_id == questionnaire_id, scope(user, filters))
             .order_by(Assessment.country_code, Assessment.cycle))
    return [TrendPoint(a.country_code, a.country.name(lang), a.cycle, version, a.status, level, index)
            for a, version, level, index in db.session.execute(query)]


def dimension_keys(questionnaire_id: str, key: str,
                   stored: list[QuestionnaireVersion] | None = None) -> dict[int, str]:
    """The key a dimension has in each stored version (by version id).

    Dimension keys usually stay; a dimension follows a new key back to an older version only when the
    crosswalk says so: the newer version's `supersedes.renamed` maps all its questions that came from
    an older dimension to this one. `stored`: the questionnaire's versions, when the caller has them.
    """
    versions = {v.version: v for v in (stored if stored is not None else _versions(questionnaire_id))}
    found = {v.id: key for v in versions.values() if key == OVERALL or key in {d.key for d in parsed(v).dimensions}}
    for newest in sorted(versions.values(), key=lambda v: version_key(v.version), reverse=True):
        current, version = key, newest
        while current and version is not None and version.id in found:
            newer = parsed(version)
            older = versions.get(newer.supersedes.version) if newer.supersedes else None
            current = _older_key(parsed(older), newer, current) if older is not None else None
            if current and older.id not in found:
                found[older.id] = current
            version = older
    return found


def _older_key(older: scoring.Questionnaire, newer: scoring.Questionnaire, key: str) -> str | None:
    """The older version's key of the newer version's dimension `key`, through the crosswalk."""
    if key == OVERALL or key in {d.key for d in older.dimensions}:
        return key
    origin = scoring.crosswalk(older, newer, {q.key: q.dimension for q in older.questions})
    sources = {dimension for new_key, dimension in origin.items() if newer.question(new_key).dimension == key}
    return sources.pop() if len(sources) == 1 else None


def dimensions_of(questionnaire_id: str) -> list[scoring.Dimension]:
    """The dimensions to offer for trends: newest wording first; a key the crosswalk renamed is not repeated."""
    versions = _versions(questionnaire_id)
    seen: dict[str, scoring.Dimension] = {}
    renamed: set[str] = set()
    for version in sorted(versions, key=lambda v: version_key(v.version), reverse=True):
        for dimension in parsed(version).dimensions:
            if dimension.key not in seen and dimension.key not in renamed:
                seen[dimension.key] = dimension
                renamed.update(dimension_keys(questionnaire_id, dimension.key, versions).values())
    return list(seen.values())


def _versions(questionnaire_id: str) -> list[QuestionnaireVersion]:
    return list(db.session.scalars(sa.select(QuestionnaireVersion).where(
        QuestionnaireVersion.questionnaire_id == questionnaire_id)))
