"""Persisting the engine's results as score rows; the shell never computes a score itself."""
from __future__ import annotations

import functools
from datetime import datetime, timezone
from typing import Callable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

import scoring
from app import database
from app.extensions import db
from app.models import Answer, Assessment, Attachment, ScoreRow
from app.services.questionnaires import parsed
from scoring import OVERALL


def has_evidence() -> sa.ColumnElement[bool]:
    """Whether an answer has evidence: an evidence URL or at least one attachment (DESIGN §4)."""
    attached = sa.exists().where(Attachment.assessment_id == Answer.assessment_id,
                                 Attachment.question_key == Answer.question_key)
    url = sa.func.length(sa.func.trim(sa.func.coalesce(Answer.evidence_url, ""))) > 0
    return sa.or_(url, attached).label("has_evidence")


def answer_records(assessment_id: int) -> list[dict]:
    """The assessment's answers in the form the engine takes."""
    rows = db.session.execute(sa.select(Answer.question_key, Answer.value, Answer.not_applicable, has_evidence())
                              .where(Answer.assessment_id == assessment_id))
    return [{"assessment_id": assessment_id, "question_key": k, "value": v, "not_applicable": na,
             "has_evidence": bool(evidence)} for k, v, na, evidence in rows]


def score_assessment(assessment: Assessment) -> scoring.AssessmentScore:
    """The engine's result for one assessment, from its stored answers (nothing is written)."""
    questionnaire = parsed(assessment.questionnaire_version)
    return scoring.score(questionnaire, answer_records(assessment.id), assessment_ids=[assessment.id])[0]


def rescore(assessment: Assessment) -> scoring.AssessmentScore:
    """Replace the assessment's score rows in the current transaction (the caller commits).

    The caller holds the assessment (app.services.locks), so no other change of its answers can
    commit between the read of the answers here and the commit of these rows.
    """
    db.session.flush()
    result = score_assessment(assessment)
    _replace_rows([assessment], [result], prune=False)
    return result


def recompute_all(batch_size: int = 500, progress: Callable[[int, int], None] | None = None) -> int:
    """Rescore every assessment, questionnaire version by version, in bulk; commits. Returns the count.

    Each batch of ``batch_size`` assessments is scored by one call of the engine (its vectorised
    path: benchmarks/scoring.py measures it against one call per assessment) and written in one
    write transaction that locks its assessments before reading their answers, so a save committing
    meanwhile is either seen or rescores after the batch, never overwritten. ``progress(done, total)``
    is called after each committed batch.
    """
    version_ids = db.session.scalars(sa.select(Assessment.questionnaire_version_id).distinct()).all()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Assessment)) or 0
    count = 0
    for version_id in version_ids:
        ids = db.session.scalars(sa.select(Assessment.id).where(
            Assessment.questionnaire_version_id == version_id).order_by(Assessment.id)).all()
        for start in range(0, len(ids), batch_size):
            count += _recompute_batch(ids[start:start + batch_size])
            db.session.commit()
            if progress is not None:
                progress(count, max(total, count))
    return count


def _recompute_batch(ids: list[int]) -> int:
    database.begin_write()
    # id order: two batches, or a batch and a single change, always lock in the same order
    assessments = db.session.scalars(sa.select(Assessment).where(Assessment.id.in_(ids)).order_by(Assessment.id)
                                     .with_for_update(of=Assessment)).all()
    questionnaire = parsed(assessments[0].questionnaire_version)
    frame = pd.read_sql(sa.select(Answer.assessment_id, Answer.question_key, Answer.value, Answer.not_applicable,
                                  has_evidence()).where(Answer.assessment_id.in_(ids)), db.session.connection())
    results = scoring.score(questionnaire, frame, assessment_ids=ids)
    _replace_rows(assessments, results)
    return len(results)


def _replace_rows(assessments: list[Assessment], results: list[scoring.AssessmentScore], prune: bool = True) -> None:
    """Upsert the results' rows; `prune` also deletes stored rows of dimension keys the results lack.

    An assessment's dimensions are those of its questionnaire version, which never changes, so a save
    (rescore) writes the same keys as before and skips the delete; only a scoring engine change can
    leave a key behind, and `flask scores recompute` (recompute_all, which prunes) clears it.
    """
    by_id = {a.id: a for a in assessments}
    now = datetime.now(timezone.utc)
    rows = []
    for result in results:
        assessment = by_id[result.assessment_id]
        threshold = parsed(assessment.questionnaire_version).rules.stage_threshold
        ways = scoring.next_level(result, threshold)
        for dim in (*result.dimensions, result.overall):
            rows.append({**_row(assessment, result, dim, now), "next_level": _way(ways.get(dim.key)),
                         "hidden": sorted(result.hidden) if dim.key == OVERALL else None})
    if prune:
        _delete_rows_not_in(list(by_id), rows)
    if rows:
        db.session.execute(upsert_score_rows(), rows)


def upsert_score_rows() -> sa.Insert:
    """INSERT of score rows that updates every other column of an existing (assessment, dimension) row.

    Generic over ScoreRow's columns, so a column added to the model is written without a change
    here; works on SQLite and PostgreSQL (INSERT ... ON CONFLICT DO UPDATE).
    """
    return _upsert_score_rows(db.session.get_bind().dialect.name)


@functools.cache
def _upsert_score_rows(dialect: str) -> sa.Insert:
    """Built once per dialect: a statement is immutable, and building it costs more than running it."""
    table = ScoreRow.__table__
    insert = (sqlite_insert if dialect == "sqlite" else postgresql_insert)(table)
    keys = ("assessment_id", "dimension_key")
    updated = {c.name: insert.excluded[c.name] for c in table.columns if not c.primary_key and c.name not in keys}
    return insert.on_conflict_do_update(index_elements=list(keys), set_=updated)


def _delete_rows_not_in(assessment_ids: list[int], rows: list[dict]) -> None:
    """Remove stored rows of these assessments whose dimension the new result no longer has."""
    keys_by_assessment: dict[int, set[str]] = {i: set() for i in assessment_ids}
    for row in rows:
        keys_by_assessment[row["assessment_id"]].add(row["dimension_key"])
    groups: dict[frozenset[str], list[int]] = {}
    for assessment_id, keys in keys_by_assessment.items():
        groups.setdefault(frozenset(keys), []).append(assessment_id)
    for keys, ids in groups.items():
        db.session.execute(sa.delete(ScoreRow).where(ScoreRow.assessment_id.in_(ids),
                                                     ScoreRow.dimension_key.not_in(sorted(keys))))


def _way(way: scoring.NextLevel | None) -> dict | None:
    if way is None:
        return None
    # plain JSON values (the engine may hand numpy scalars)
    return {"stage": way.stage, "points_lacking": float(way.points_lacking),
            "criteria": [str(k) for k in way.criteria], "reachable": bool(way.reachable)}


def stored_way(row: ScoreRow) -> scoring.NextLevel | None:
    """A dimension row's stored way to the next level (None at the top level or when not stored)."""
    way = row.next_level
    if not way:
        return None
    return scoring.NextLevel(row.dimension_key, way["stage"], way["points_lacking"], tuple(way["criteria"]),
                             way["reachable"])


def _row(assessment: Assessment, result: scoring.AssessmentScore, dim, now: datetime) -> dict:
    overall = dim.key == OVERALL
    gaps = result.explanation.get(dim.key, ()) if not overall else ()
    return {
        "assessment_id": assessment.id, "dimension_key": dim.key, "level": dim.level, "index": dim.index,
        "stages": dict(dim.stages), "answered": dim.answered, "applicable": dim.applicable,
        "completeness": dim.completeness, "required_answered": dim.required_answered,
        "required_visible": dim.required_visible, "explanation": [_gap(g) for g in gaps],
        "evidence_coverage": dim.evidence_coverage,
        "weakest_dimensions": list(result.weakest) if overall else None,
        "measures": [_measure(m) for m in result.measures] if overall else None,
        "questionnaire_version_id": assessment.questionnaire_version_id,
        "scoring_version": result.scoring_version, "computed_at": now,
    }


def _measure(measure: scoring.MeasureScore) -> dict:
    return {"id": measure.id, "attainment": measure.attainment, "status": measure.status,
            "criteria": measure.criteria}


def _gap(gap) -> dict:
    return {"question_key": gap.question_key, "stage": gap.stage, "weight": gap.weight,
            "points_share": gap.points_share, "shortfall": gap.shortfall, "value": gap.value,
            "not_answered": gap.not_answered}


def rows_for(assessment_id: int) -> dict[str, ScoreRow]:
    """The stored score rows of an assessment by dimension key (`_overall` included)."""
    rows = db.session.scalars(sa.select(ScoreRow).where(ScoreRow.assessment_id == assessment_id))
    return {row.dimension_key: row for row in rows}


def progress_and_hidden(assessment_id: int) -> tuple[dict[str, tuple[int, int]], frozenset[str] | None]:
    """What an assessment's question pages need of its stored score rows, in one light query:
    {dimension key (and `_overall`): (required answered, required visible)}, and the questions hidden
    by skip logic (None when the rows predate migration 0009 and hold no hidden list)."""
    progress, hidden = {}, None
    for key, answered, visible, stored_hidden in db.session.execute(
            sa.select(ScoreRow.dimension_key, ScoreRow.required_answered, ScoreRow.required_visible,
                      ScoreRow.hidden).where(ScoreRow.assessment_id == assessment_id)):
        progress[key] = (answered, visible)
        if key == OVERALL and stored_hidden is not None:
            hidden = frozenset(stored_hidden)
    return progress, hidden


def overall_rows(assessment_ids: list[int]) -> dict[int, ScoreRow]:
    """The `_overall` score rows of many assessments in one query, by assessment id."""
    if not assessment_ids:
        return {}
    rows = db.session.scalars(sa.select(ScoreRow).where(ScoreRow.assessment_id.in_(assessment_ids),
                                                        ScoreRow.dimension_key == OVERALL))
    return {row.assessment_id: row for row in rows}
