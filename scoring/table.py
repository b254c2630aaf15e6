"""Bulk results as DataFrames: the figures of ``score`` without a Python object per figure.

``score_table`` runs the same blocks as ``score`` (engine.blocks: one arithmetic path) and
lays the totals out as columns, which is what bulk consumers (recomputing every stored
score, benchmarks) need; ``score`` remains the API for one assessment or a few.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Hashable, Iterable

import numpy as np
import pandas as pd

from .assemble import OVERALL, weakest
from .compiled import Compiled
from .engine import Block, blocks, prepare
from .explain import gap_cells
from .frame import Answers
from .model import Questionnaire
from .results import MEASURE_STATUSES

EPSILON = 1e-9


@dataclass(frozen=True)
class ScoreTable:
    """The results of many assessments as three long tables.

    ``dimensions``: one row per assessment and dimension, then its ``_overall`` row, with
    ``assessment_id, dimension_key, level`` (nullable integer), ``index`` (0..100),
    ``stage_<key>`` (0..1), ``answered, applicable, required_answered, required_visible,
    completeness`` (0..1), ``evidence_coverage`` (0..100) and ``weakest_dimensions`` (keys
    joined by ";" on ``_overall`` rows, "" elsewhere); NaN where DimensionScore has None.
    ``measures``: one row per assessment and catalogue measure: ``assessment_id,
    measure_id, attainment`` (0..1), ``status, criteria``. ``gaps``: the explanation, one
    row per gap in (assessment, dimension, largest shortfall) order: ``assessment_id,
    dimension_key, question_key, stage, weight, points_share, shortfall, value,
    not_answered``.
    """

    dimensions: pd.DataFrame
    measures: pd.DataFrame
    gaps: pd.DataFrame


def score_table(q: Questionnaire, answers: Any,
                assessment_ids: Iterable[Hashable] | None = None) -> ScoreTable:
    """The figures of ``score(q, answers, assessment_ids)`` as DataFrames (same inputs)."""
    c, coded = prepare(q, answers, assessment_ids)
    parts = [_block_tables(q, c, coded, block) for block in blocks(q, c, coded)]
    if not parts:
        parts = [(_dimension_frame(q, c, np.empty(0, dtype=object), None),
                  _measure_frame(q, c, np.empty(0, dtype=object), None),
                  _gap_frame(c, coded, np.empty(0, dtype=object), None))]
    return ScoreTable(*(pd.concat(frames, ignore_index=True) for frames in zip(*parts)))


def _block_tables(q: Questionnaire, c: Compiled, coded: Answers, block: Block) -> tuple:
    ids = np.empty(block.stop - block.start, dtype=object)
    ids[:] = coded.ids[block.start:block.stop]
    return (_dimension_frame(q, c, ids, block), _measure_frame(q, c, ids, block),
            _gap_frame(c, coded, ids, block))


def _dimension_frame(q: Questionnaire, c: Compiled, ids: np.ndarray, block: Block | None
                     ) -> pd.DataFrame:
    count, width = len(ids), len(c.dimension_keys) + 1
    keys = pd.Categorical.from_codes(np.tile(np.arange(width), count),
                                     categories=[*c.dimension_keys, OVERALL])
    columns: dict[str, Any] = {"assessment_id": np.repeat(ids, width), "dimension_key": keys}
    if block is None:
        columns["level"] = pd.array([], dtype="Int64")
        return pd.DataFrame(columns)
    t = block.totals
    keep = t.counted & bool(c.stage_keys)
    level = np.column_stack([np.where(keep, t.level, np.nan), t.overall_level])
    columns["level"] = pd.array(level.ravel(), dtype="Int64")
    columns["index"] = np.column_stack([t.index, t.overall_index]).ravel()
    stages = np.concatenate([t.stage, t.overall_stage[:, None, :]], axis=1)
    for position, key in enumerate(c.stage_keys):
        columns[f"stage_{key}"] = stages[:, :, position].ravel()
    counts = np.concatenate([t.counts, t.counts.sum(axis=2, keepdims=True)], axis=2)
    for position, name in enumerate(("answered", "applicable", "required_answered",
                                     "required_visible")):
        columns[name] = counts[position].ravel()
    completeness = np.full(counts[2].shape, np.nan)
    np.divide(counts[2], counts[3], out=completeness, where=counts[3] > 0)
    columns["completeness"] = completeness.ravel()
    columns["evidence_coverage"] = np.column_stack([t.evidence, t.overall_evidence]).ravel()
    names = np.full((count, width), "", dtype=object)
    names[:, -1] = [";".join(keys_) for keys_ in weakest(c, t)]
    columns["weakest_dimensions"] = names.ravel()
    return pd.DataFrame(columns)


def _measure_frame(q: Questionnaire, c: Compiled, ids: np.ndarray, block: Block | None
                   ) -> pd.DataFrame:
    count, width = len(ids), len(c.measure_ids)
    frame = {"assessment_id": np.repeat(ids, width),
             "measure_id": pd.Categorical.from_codes(np.tile(np.arange(width), count),
                                                     categories=list(c.measure_ids))}
    if block is None or not width:
        return pd.DataFrame(frame | {"attainment": np.empty(0), "status": [], "criteria": []})
    won, possible, criteria = block.totals.measures
    attainment = np.full(won.shape, np.nan)
    np.divide(won, possible, out=attainment, where=possible > 0)
    status = np.select([possible <= 0, attainment >= q.rules.stage_threshold - EPSILON,
                        won <= 0], [3, 0, 2], default=1)
    return pd.DataFrame(frame | {
        "attainment": attainment.ravel(),
        "status": pd.Categorical.from_codes(status.ravel(), categories=list(MEASURE_STATUSES)),
        "criteria": criteria.astype(np.int64).ravel()})


def _gap_frame(c: Compiled, coded: Answers, ids: np.ndarray, block: Block | None
               ) -> pd.DataFrame:
    if block is None:
        found_rows = found_cols = found_codes = np.empty(0, dtype=np.intp)
        shares = shortfall = np.empty(0)
    else:
        found = gap_cells(c, block.cells, block.visible, block.totals)
        found_rows, found_cols, found_codes = found.rows, found.cols, found.codes
        shares, shortfall = found.shares, found.shortfall
    texts = np.empty(len(coded.values.text), dtype=object)
    texts[:] = coded.values.text  # the last entry (code -1) is None
    stages = np.empty(len(c.stage_key), dtype=object)
    stages[:] = c.stage_key
    return pd.DataFrame({
        "assessment_id": ids[found_rows],
        "dimension_key": pd.Categorical.from_codes(c.dimension[found_cols],
                                                   categories=list(c.dimension_keys)),
        "question_key": pd.Categorical.from_codes(found_cols, categories=list(c.keys)),
        "stage": stages[found_cols], "weight": c.weight[found_cols], "points_share": shares,
        "shortfall": shortfall, "value": pd.Series(texts[found_codes], dtype=object),
        "not_answered": found_codes < 0})
