"""The arithmetic of DESIGN.md §4, for one assessment or a million answers alike.

Answers become (assessment x question) matrices (``frame``), ``show_if`` hides columns
(``visibility``), and weighted points are summed per (dimension, stage) group. Every
assessment goes through the same code path; ``score_one`` is ``score`` of one.

Decisions the design leaves open:

- A value the question cannot score (not one of its options, not a number, empty) is
  treated as no answer. A number that falls in no band scores 0.
- A not-applicable flag always takes the question out, whatever ``na_allowed`` says:
  refusing such answers is the input form's job, not the arithmetic's.
- A stage counts as attained when a(d, s) >= threshold - 1e-9, so that float error in a
  sum such as 0.1 + 0.7 cannot cost a level; ``mean_floor`` and ``median`` use the same
  tolerance.
- An index-only questionnaire (``stages: []``) has no levels: every level is None,
  every ``stages`` mapping is empty and the explanation lists no gaps.
- Under ``unanswered: exclude`` a stage whose questions are all unanswered has no
  counted question, so it is attained vacuously, as §4 says.
"""

from __future__ import annotations

import contextlib
import gc
from dataclasses import dataclass
from typing import Any, Hashable, Iterable, Iterator

import numpy as np
import pandas as pd

from .assemble import assemble, hidden_sets
from .compiled import Compiled, compiled
from .explain import explain
from .frame import Answers, Cells, assessment_codes, cells, encode, read_columns
from .model import Questionnaire, ScoringRules
from .results import AssessmentScore
from .visibility import visibility

EPSILON = 1e-9
# Matrices are built for this many (assessment, question) cells at a time, so memory
# stays bounded (about 20 arrays of 8 bytes per cell) however many assessments come.
CHUNK_CELLS = 2_000_000


@dataclass(slots=True)
class Totals:
    """Sums and levels of a block of assessments; NaN where §4 says "empty"."""

    shares: np.ndarray  # p_q per cell, 0 where there are no points (no answer, text)
    stage: np.ndarray  # (assessment, dimension, stage) attainment
    level: np.ndarray  # (assessment, dimension)
    counted: np.ndarray  # (assessment, dimension): some question counted
    index: np.ndarray  # (assessment, dimension)
    counts: np.ndarray  # (4, assessment, dimension): answered, applicable, req. answered/visible
    overall_stage: np.ndarray
    overall_level: np.ndarray
    overall_index: np.ndarray
    evidence: np.ndarray  # (assessment, dimension) evidence coverage in percent
    overall_evidence: np.ndarray  # (assessment,) pooled over every dimension
    measures: np.ndarray  # (3, assessment, measure): points won, points possible, criteria
    open_cells: np.ndarray  # (assessment, question): questions a roadmap may list
    counted_cells: np.ndarray  # (assessment, question): questions in the sums
    lacking: np.ndarray  # (assessment, dimension): weighted points the first unattained stage lacks


def score(q: Questionnaire, answers: Any,
          assessment_ids: Iterable[Hashable] | None = None) -> list[AssessmentScore]:
    """Scores every assessment in ``answers`` (and ``assessment_ids``), sorted by id.

    ``answers`` is a DataFrame or an iterable of dicts/records with ``assessment_id``,
    ``question_key``, ``value`` and ``not_applicable``; unknown question keys are ignored.
    """
    c, coded = prepare(q, answers, assessment_ids)
    return _score(q, c, coded)


def score_one(q: Questionnaire, answers: Any) -> AssessmentScore:
    """Scores the answers of a single assessment; ``assessment_id`` may be absent."""
    c = compiled(q)
    columns = read_columns(answers)
    ids = _single_id(columns["assessment_id"])
    rows = 0 if columns["question_key"] is None else len(columns["question_key"])
    return _score(q, c, encode(c, columns, (np.zeros(rows, dtype=np.intp), [ids])))[0]


def _single_id(column: Any) -> Hashable:
    if column is None or not len(column):
        return None
    distinct = pd.unique(pd.Series(column, dtype=object).dropna())
    if len(distinct) > 1:
        raise ValueError(f"score_one got answers of {len(distinct)} assessments")
    return distinct[0] if len(distinct) else None


def prepare(q: Questionnaire, answers: Any, assessment_ids: Iterable[Hashable] | None = None
            ) -> tuple[Compiled, Answers]:
    """The compiled questionnaire and the coded answers of ``score`` (same inputs and errors)."""
    c = compiled(q)
    columns = read_columns(answers)
    if columns["assessment_id"] is None:
        raise ValueError("the answers have no assessment_id column (use score_one for "
                         "the answers of one assessment)")
    ids = assessment_codes(columns["assessment_id"], assessment_ids or ())
    return c, encode(c, columns, ids)


@dataclass(slots=True)
class Block:
    """Assessments [start, stop) with their answer matrices, visibility and totals."""

    start: int
    stop: int
    cells: Cells
    visible: np.ndarray
    totals: Totals


def blocks(q: Questionnaire, c: Compiled, answers: Answers) -> Iterator[Block]:
    """The assessments in blocks of about CHUNK_CELLS cells, each scored by ``aggregate``.

    This is the one arithmetic path: ``score`` builds result objects from the blocks and
    ``table.score_table`` builds DataFrames from the same blocks.
    """
    step = max(1, CHUNK_CELLS // max(len(c.keys), 1))
    for start in range(0, len(answers.ids), step):
        stop = min(start + step, len(answers.ids))
        block = cells(c, answers, start, stop)
        visible = visibility(c, block)
        yield Block(start, stop, block, visible, aggregate(c, q.rules, block, visible))


def _score(q: Questionnaire, c: Compiled, answers: Answers) -> list[AssessmentScore]:
    results: list[AssessmentScore] = []
    with _collector_paused():
        for block in blocks(q, c, answers):
            results.extend(_results(q, c, answers, block))
    return results


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pauses Python's cycle collector while results are built, then restores it.

    Scoring creates hundreds of thousands of small acyclic objects, and every few
    hundred allocations would trigger a collection that walks live objects: with earlier
    results still held, that tripled the time of a bulk run. Reference counting frees
    everything as usual.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _results(q: Questionnaire, c: Compiled, answers: Answers, block: Block
             ) -> list[AssessmentScore]:
    gaps = explain(c, block.cells, block.visible, block.totals, answers.values.text)
    return assemble(q, c, answers.ids[block.start:block.stop], block.totals, gaps,
                    hidden_sets(c, block.visible))


def aggregate(c: Compiled, rules: ScoringRules, block: Cells, visible: np.ndarray) -> Totals:
    """Attainments, levels, indices, evidence coverage, measures and counts of a block."""
    shares = np.where(np.isnan(block.points), 0.0, block.points / c.max_points)
    counted = counted_cells(c, rules, block, visible)
    open_cells = visible & ~block.not_applicable & c.scored
    if len(c.showif_columns) and c.hidden_zero(rules.hidden).any():
        shares = np.where(visible, shares, 0.0)  # hidden: zero counts a hidden answer as p = 0
        open_cells |= counted
    # Weighted points and weights side by side, so that each grouping gathers and sums
    # both in one pass.
    stacked = np.empty((2, *shares.shape))
    points, weights = stacked
    np.multiply(counted, c.weight, out=weights)
    np.multiply(weights, shares, out=points)
    won, possible = group_sums(c, stacked)
    stage = _ratio(won, possible)
    attained = (possible <= 0) | (stage >= rules.stage_threshold - EPSILON)
    level = np.cumprod(attained, axis=2).sum(axis=2)
    has = possible.sum(axis=2) > 0
    index = 100 * _ratio(won.sum(axis=2), possible.sum(axis=2))
    weight = np.where(has, c.dimension_weight, 0.0)
    claimed, substantiated = _dimension_sums(c, np.stack([points, points * block.evidence]))
    return Totals(
        shares=shares, stage=stage, level=level, counted=has, index=index,
        counts=_counts(c, block, visible),
        overall_stage=_ratio(won.sum(axis=1), possible.sum(axis=1)),
        overall_level=overall_level(rules.overall_level, level, weight, len(c.stage_keys)),
        overall_index=_overall_index(rules.overall_index, index, weight, won, possible),
        evidence=100 * _ratio(substantiated, claimed),
        overall_evidence=100 * _ratio(substantiated.sum(axis=1), claimed.sum(axis=1)),
        measures=measure_sums(c, stacked, counted), open_cells=open_cells,
        counted_cells=counted, lacking=points_lacking(rules, len(c.stage_keys), level, won, possible))


def points_lacking(rules: ScoringRules, stages: int, level: np.ndarray, won: np.ndarray,
                   possible: np.ndarray) -> np.ndarray:
    """(assessment, dimension): t · Σ w − Σ w p over the counted questions of the first
    unattained stage, in weighted points (the way to the next level, DESIGN §4 explanation);
    NaN at the top level and without stages."""
    if not stages or not level.size:
        return np.full(level.shape, np.nan)
    at = np.minimum(level, stages - 1)[..., None]
    lack = (rules.stage_threshold * np.take_along_axis(possible, at, axis=2)
            - np.take_along_axis(won, at, axis=2))[..., 0]
    return np.where(level < stages, np.maximum(lack, 0.0), np.nan)


def counted_cells(c: Compiled, rules: ScoringRules, block: Cells, visible: np.ndarray
                  ) -> np.ndarray:
    """(assessment x question): True where a question enters the sums (DESIGN §4).

    Visible, applicable, scored questions count (answered ones only under ``unanswered:
    exclude``). Under ``hidden: zero`` a question hidden by show_if counts too, with
    p = 0, answered or not; a not-applicable flag still takes it out, so that revealing
    it cannot add a question to the sums (which keeps raising an answer monotone).
    """
    counted = visible & ~block.not_applicable & c.scored
    if rules.unanswered == "exclude":
        counted &= block.valid
    if len(c.showif_columns):
        zero = c.hidden_zero(rules.hidden) & c.scored
        if zero.any():
            counted |= ~visible & zero & ~block.not_applicable
    return counted


def measure_sums(c: Compiled, stacked: np.ndarray, counted: np.ndarray) -> np.ndarray:
    """(3, assessment, measure): Σ w p, Σ w and the count of counted criteria per measure;
    ``stacked`` is (2, assessment, question): the weighted points and the weights."""
    if not len(c.measure_ids):
        return np.zeros((3, stacked.shape[1], 0))
    groups = c.measure_groups
    return np.concatenate([groups.sums(stacked),
                           groups.sums(counted.view(np.int8), dtype=np.int64)[None]])


def _dimension_sums(c: Compiled, values: np.ndarray) -> np.ndarray:
    """(..., assessment, dimension) sums; a dimension's questions are contiguous and never none."""
    return np.add.reduceat(values, c.dimension_starts, axis=-1)


def group_sums(c: Compiled, values: np.ndarray) -> np.ndarray:
    """Row sums of each (dimension, stage) group: (..., assessment, dimension, stage)."""
    sums = c.groups.sums(values)
    return sums.reshape(*values.shape[:-1], *c.shape)


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    out = np.full(np.shape(numerator), np.nan)
    return np.divide(numerator, denominator, out=out, where=denominator > 0)


def _counts(c: Compiled, block: Cells, visible: np.ndarray) -> np.ndarray:
    answered = block.valid | block.not_applicable
    required = visible & c.required
    flags = (visible & answered, visible & ~block.not_applicable, required & answered, required)
    return np.stack([_dimension_counts(c, f) for f in flags])


def _dimension_counts(c: Compiled, flags: np.ndarray) -> np.ndarray:
    """(assessment, dimension) counts of True; a dimension's questions are contiguous."""
    return np.add.reduceat(flags.view(np.int8), c.dimension_starts, axis=1, dtype=np.int64)


def overall_level(rule: str, level: np.ndarray, weight: np.ndarray, stages: int
                  ) -> np.ndarray:
    """The overall level by ``rule`` over dimensions with a weight; NaN when none has."""
    total = weight.sum(axis=1)
    if rule == "min":
        result = np.where(weight > 0, level, stages + 1).min(axis=1).astype(float)
    elif rule == "median":
        steps = np.arange(stages + 1)
        below = ((level[:, :, None] <= steps) * weight[:, :, None]).sum(axis=1)
        # The lower middle: the first level at which half of the weight is reached.
        result = (2 * below >= total[:, None] * (1 - EPSILON)).argmax(axis=1).astype(float)
    else:
        result = np.floor(_ratio((level * weight).sum(axis=1), total) + EPSILON)
    return np.where((total > 0) & (stages > 0), result, np.nan)


def _overall_index(rule: str, index: np.ndarray, weight: np.ndarray, won: np.ndarray,
                   possible: np.ndarray) -> np.ndarray:
    if rule == "pooled":
        return 100 * _ratio(won.sum(axis=(1, 2)), possible.sum(axis=(1, 2)))
    weighted = np.where(weight > 0, index, 0.0) * weight
    return _ratio(weighted.sum(axis=1), weight.sum(axis=1))
