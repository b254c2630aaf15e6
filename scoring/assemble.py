"""Result arrays -> frozen result dataclasses, with as little per-object work as possible.

Arrays become flat Python lists first (``tolist`` is one C call), and the objects are
built column-wise by ``fast_constructor``.
"""

from __future__ import annotations

from itertools import compress
from typing import TYPE_CHECKING, Hashable

import numpy as np
import pandas as pd

from .compiled import Compiled
from .model import Questionnaire
from .results import (MEASURE_STATUSES, AssessmentScore, DimensionScore, Gap, MeasureScore,
                      fast_constructor)
from .version import SCORING_VERSION

if TYPE_CHECKING:
    from .engine import Totals

OVERALL = "_overall"
_assessment_scores = fast_constructor(AssessmentScore)
_dimension_scores = fast_constructor(DimensionScore)
_measure_scores = fast_constructor(MeasureScore)
EPSILON = 1e-9  # the tolerance of engine.EPSILON, for measure statuses


def hidden_sets(c: Compiled, visible: np.ndarray) -> list[frozenset[str]]:
    """Per assessment, the keys of hidden questions; equal sets are one shared object."""
    columns = c.showif_columns
    if not len(columns):
        return [frozenset()] * len(visible)
    packed = np.packbits(~visible[:, columns], axis=1)
    rows = np.ascontiguousarray(packed).view(np.dtype((np.void, packed.shape[1]))).ravel()
    _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
    keys = [c.keys[i] for i in columns]
    patterns = (~visible[first][:, columns]).tolist()
    sets = [frozenset(compress(keys, pattern)) for pattern in patterns]
    return list(map(sets.__getitem__, inverse.ravel().tolist()))


def assemble(q: Questionnaire, c: Compiled, ids: list[Hashable], totals: Totals,
             gaps: list[dict[str, tuple[Gap, ...]]], hidden: list[frozenset[str]]
             ) -> list[AssessmentScore]:
    """One AssessmentScore per id."""
    count, width = len(ids), len(c.dimension_keys)
    flat = dimension_scores(c, totals)
    dimensions = [tuple(flat[i:i + width]) for i in range(0, count * width, width)]
    return _assessment_scores(ids, [q.id] * count, [q.version] * count,
                              [SCORING_VERSION] * count, overall_scores(c, totals),
                              dimensions, gaps, hidden, weakest(c, totals),
                              measure_scores(c, totals, q.rules.stage_threshold))


def weakest(c: Compiled, totals: Totals) -> list[tuple[str, ...]]:
    """Per assessment, the keys of the dimensions with an index at the lowest level."""
    count = len(totals.level)
    if not c.stage_keys or not count:
        return [()] * count
    level = np.where(totals.counted, totals.level, len(c.stage_keys) + 1)
    lowest = totals.counted & (level == level.min(axis=1, keepdims=True))
    # Equal rows share one tuple: each row is one bit pattern (up to 64 dimensions).
    packed = np.packbits(lowest, axis=1, bitorder="little")
    if packed.shape[1] <= 8:
        bits = (packed.astype(np.uint64) << (8 * np.arange(packed.shape[1], dtype=np.uint64)))
        inverse, distinct = pd.factorize(bits.sum(axis=1))
    else:
        distinct, inverse = np.unique(packed, axis=0, return_inverse=True)
        inverse = inverse.ravel()
    first = np.zeros(len(distinct), dtype=np.intp)
    first[inverse[::-1]] = np.arange(len(inverse))[::-1]
    keys = [tuple(compress(c.dimension_keys, row)) for row in lowest[first].tolist()]
    return list(map(keys.__getitem__, inverse.tolist()))


def measure_scores(c: Compiled, totals: Totals, threshold: float
                   ) -> list[tuple[MeasureScore, ...]]:
    """Per assessment, the attainment and status of every measure of the catalogue."""
    won, possible, criteria = totals.measures
    count, width = won.shape
    if not width or not count:
        return [()] * count
    attainment = np.full(won.shape, np.nan)
    np.divide(won, possible, out=attainment, where=possible > 0)
    status = np.select([possible <= 0, attainment >= threshold - EPSILON, won <= 0],
                       [3, 0, 2], default=1)
    # Equal results are one shared object, built once (scores repeat across assessments):
    # the attainment of a measure fixes its status, so (measure, attainment, criteria)
    # is the key, factorized in two hashing passes instead of a sort of rows.
    value_codes, _ = pd.factorize(attainment.ravel(), use_na_sentinel=False)
    key = ((value_codes * (int(criteria.max()) + 1) + criteria.ravel().astype(np.int64))
           * width + np.tile(np.arange(width), count))
    inverse, distinct = pd.factorize(key)
    first = np.zeros(len(distinct), dtype=np.intp)
    first[inverse[::-1]] = np.arange(len(inverse))[::-1]  # any cell of a key will do
    built = _measure_scores(
        [c.measure_ids[i] for i in (first % width).tolist()],
        _nullable(attainment.ravel()[first]),
        [MEASURE_STATUSES[i] for i in status.ravel()[first].tolist()],
        criteria.ravel()[first].astype(np.int64).tolist())
    flat = list(map(built.__getitem__, inverse.ravel().tolist()))
    return [tuple(flat[i:i + width]) for i in range(0, count * width, width)]


def dimension_scores(c: Compiled, totals: Totals) -> list[DimensionScore]:
    """Scores of every (assessment, dimension), assessment by assessment."""
    keep_level = totals.counted & bool(c.stage_keys)
    return _scores(c.dimension_keys * len(totals.level), totals.level, keep_level,
                   totals.index, totals.stage, totals.counts, c.stage_keys, totals.evidence,
                   totals.lacking)


def overall_scores(c: Compiled, totals: Totals) -> list[DimensionScore]:
    """The ``_overall`` score of every assessment."""
    level = totals.overall_level
    keep = ~np.isnan(level)
    return _scores([OVERALL] * len(level), np.where(keep, level, 0).astype(np.int64), keep,
                   totals.overall_index, totals.overall_stage[:, None, :],
                   totals.counts.sum(axis=2, keepdims=True), c.stage_keys,
                   totals.overall_evidence, np.full(len(level), np.nan))


def _scores(keys: list[str], level: np.ndarray, keep_level: np.ndarray, index: np.ndarray,
            stage: np.ndarray, counts: np.ndarray, stage_keys: tuple[str, ...],
            evidence: np.ndarray, lacking: np.ndarray) -> list[DimensionScore]:
    answered, applicable, required_answered, required_visible = (
        counts.reshape(4, -1).astype(np.int64).tolist())
    return _dimension_scores(
        keys, _nullable(level, keep_level), _nullable(index),
        _stage_dicts(stage_keys, stage), answered, applicable, required_answered,
        required_visible, _nullable(_completeness(counts)), _nullable(evidence),
        _nullable(lacking))


def _nullable(values: np.ndarray, keep: np.ndarray | bool = True) -> list:
    """A flat list of Python numbers, None where NaN or where ``keep`` is False."""
    return _objects(values, keep).ravel().tolist()


def _objects(values: np.ndarray, keep: np.ndarray | bool = True) -> np.ndarray:
    objects = values.astype(object)
    objects[~(np.asarray(keep) & ~np.isnan(values.astype(float)))] = None
    return objects


def _completeness(counts: np.ndarray) -> np.ndarray:
    required_answered, required_visible = counts[2], counts[3]
    out = np.full(required_visible.shape, np.nan)
    return np.divide(required_answered, required_visible, out=out, where=required_visible > 0)


def _stage_dicts(keys: tuple[str, ...], attainment: np.ndarray) -> list[dict]:
    """{stage key: attainment or None} per (assessment, dimension); {} without stages."""
    if not keys:
        return [{} for _ in range(attainment.shape[0] * attainment.shape[1])]
    rows = _objects(attainment).reshape(-1, len(keys)).tolist()
    return [dict(zip(keys, row)) for row in rows]
