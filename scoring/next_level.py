"""The way to the next level: how much a dimension lacks, and the least that would do.

DESIGN §4, explanation: the first unattained stage s of dimension d lacks
t · Σ w_q − Σ w_q p_q weighted points (over its counted questions). Raising a gap q to its
best answer adds w_q (1 − p_q) to the points won (a question not yet counted, unanswered
under ``unanswered: exclude``, adds w_q to both sums and so gains w_q (1 − t)). The smallest
set of gaps whose best answers reach the threshold takes the largest gains first: no k
criteria can gain more than the k largest gains, so the first k whose gains add up is the
fewest possible. Ties keep the roadmap's order (file order).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .results import AssessmentScore, Gap

EPSILON = 1e-9  # the engine's tolerance: a stage at threshold − 1e-9 counts as attained


@dataclass(frozen=True, slots=True)
class NextLevel:
    """What stands between a dimension and its next level.

    ``points_lacking`` is in weighted points (the unit of the question weights);
    ``criteria`` are question keys, largest gain first; ``reachable`` is False only when
    even every gap at its best answer would not reach the threshold.
    """

    dimension: str
    stage: str | None
    points_lacking: float
    criteria: tuple[str, ...]
    reachable: bool


def smallest_set(gaps: Sequence[Gap], points_lacking: float, threshold: float
                 ) -> tuple[tuple[str, ...], bool]:
    """Keys of the fewest gaps whose best answers make up ``points_lacking``, and whether they do.

    ``gaps`` are one dimension's gaps (any order); ``threshold`` is the stage threshold in 0..1.
    """
    order = sorted(range(len(gaps)), key=lambda i: -gaps[i].gain_at(threshold))  # stable
    chosen, gained = [], 0.0
    for i in order:
        if gained >= points_lacking - EPSILON:
            break
        chosen.append(gaps[i].question_key)
        gained += gaps[i].gain_at(threshold)
    return tuple(chosen), gained >= points_lacking - EPSILON


def next_level(result: AssessmentScore, threshold: float,
               dimensions: Iterable[str] | None = None) -> dict[str, NextLevel]:
    """Per dimension below the top level, its way to the next level (dimension key -> NextLevel).

    ``threshold`` is the questionnaire's ``scoring.stage_threshold``. Dimensions at the top
    level, without an index or of a questionnaire without stages are left out.
    """
    found = {}
    for score in result.dimensions:
        if score.points_lacking is None or (dimensions is not None and score.key not in dimensions):
            continue
        gaps = result.explanation.get(score.key, ())
        criteria, reachable = smallest_set(gaps, score.points_lacking, threshold)
        stage = gaps[0].stage if gaps else None
        found[score.key] = NextLevel(score.key, stage, score.points_lacking, criteria, reachable)
    return found
