"""A questionnaire turned into arrays, once, so that scoring is array arithmetic.

Columns are questions in file order. Questions are grouped by (dimension, stage); an
index-only questionnaire has one group per dimension.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .model import OPTION_TYPES, Question, Questionnaire


@dataclass(frozen=True, slots=True, eq=False)
class ShowIfColumn:
    """A show_if as columns: ``column`` is shown when ``target`` meets the condition."""

    column: int
    target: int
    allowed: np.ndarray | None  # bool per option-vocabulary code (+ sentinel) for `in`
    op: np.ufunc | None
    value: float | None


@dataclass(frozen=True, slots=True, eq=False)
class Groups:
    """Question columns gathered group by group, for ``np.add.reduceat``.

    ``columns`` lists each group's questions in file order, each group led by a head
    position ``starts[i]`` that is set to 0 after gathering. ``np.add.reduceat`` then sums
    every group, empty ones included, as 0 + q1 + q2 + ... in a fixed order per row, so
    one assessment and many give bit-identical sums, and the sums of scoring 1 (which
    led each group by an appended zero column) are reproduced to the last bit.
    """

    columns: np.ndarray
    starts: np.ndarray

    def sums(self, values: np.ndarray, dtype: type | None = None) -> np.ndarray:
        """(..., rows, groups) sums of ``values`` (..., rows, questions): several stacked
        matrices are gathered and summed in one pass."""
        gathered = np.take(values, self.columns, axis=-1)  # faster than fancy indexing
        gathered[..., self.starts] = 0
        return np.add.reduceat(gathered, self.starts, axis=-1, dtype=dtype)


def groups(members: list[list[int]]) -> Groups:
    """The Groups of lists of question columns."""
    columns, starts = [], []
    for group in members:
        starts.append(len(columns))
        columns.append(0)  # the head, zeroed after gathering
        columns.extend(group)
    return Groups(np.array(columns, dtype=np.intp), np.array(starts, dtype=np.intp))


@dataclass(frozen=True, slots=True, eq=False)
class Compiled:
    """Per-question arrays and grouping of one questionnaire."""

    keys: tuple[str, ...]
    index: dict[str, int]
    weight: np.ndarray
    max_points: np.ndarray  # 1 where the question is not scored, to divide safely
    scored: np.ndarray
    required: np.ndarray
    dimension: np.ndarray  # dimension position of each question
    stage: np.ndarray  # stage position of each question (0 when there are no stages)
    stage_key: tuple[str | None, ...]
    vocabulary: dict[str, int]  # every option value of every question -> its code
    option_points: np.ndarray  # flat (question, vocabulary code + sentinel) -> points or NaN
    number_columns: np.ndarray
    number_position: dict[int, int]
    bands: np.ndarray  # (3, bands, number questions): min, max, points
    text_columns: np.ndarray
    show_ifs: tuple[ShowIfColumn, ...]
    showif_columns: np.ndarray
    groups: Groups  # (dimension, stage) groups, dimension-major
    dimension_keys: tuple[str, ...]
    dimension_weight: np.ndarray
    dimension_starts: np.ndarray  # first column of each dimension (they are contiguous)
    stage_keys: tuple[str, ...]
    hidden_override: np.ndarray  # per question: -1 follows scoring.hidden, 0 exclude, 1 zero
    measure_ids: tuple[str, ...]  # the measures catalogue, in file order
    measure_groups: Groups  # the questions citing each measure, across dimensions

    def hidden_zero(self, rule: str) -> np.ndarray:
        """Per question: True where a question hidden by show_if counts with p = 0."""
        return np.where(self.hidden_override < 0, rule == "zero", self.hidden_override == 1)

    @property
    def shape(self) -> tuple[int, int]:
        """(dimensions, stage groups per dimension)."""
        return len(self.dimension_keys), max(len(self.stage_keys), 1)


def compiled(q: Questionnaire) -> Compiled:
    """The arrays of ``q``, computed once and kept with it."""
    cached = q._cache.get("compiled")
    if cached is None:
        cached = q._cache["compiled"] = _compile(q)
    return cached


def _compile(q: Questionnaire) -> Compiled:
    questions = q.questions
    index = {question.key: i for i, question in enumerate(questions)}
    values = sorted({o.value for x in questions for o in x.options})
    vocabulary = {value: code for code, value in enumerate(values)}
    dims = {d.key: i for i, d in enumerate(q.dimensions)}
    stages = {key: i for i, key in enumerate(q.stage_keys)}
    dimension = np.array([dims[x.dimension] for x in questions], dtype=np.intp)
    stage = np.array([stages.get(x.stage, 0) for x in questions], dtype=np.intp)
    numbers = np.array([i for i, x in enumerate(questions) if x.type == "number"], np.intp)
    group = dimension * max(len(stages), 1) + stage
    return Compiled(
        keys=tuple(index), index=index,
        weight=np.array([x.weight for x in questions], dtype=float),
        max_points=np.array([x.max_points if x.scored else 1.0 for x in questions]),
        scored=np.array([x.scored for x in questions], dtype=bool),
        required=np.array([x.required for x in questions], dtype=bool),
        dimension=dimension, stage=stage,
        stage_key=tuple(x.stage for x in questions),
        vocabulary=vocabulary, option_points=_option_points(questions, vocabulary),
        number_columns=numbers,
        number_position={int(c): i for i, c in enumerate(numbers)},
        bands=_bands([questions[i] for i in numbers]),
        text_columns=np.array([i for i, x in enumerate(questions) if x.type == "text"],
                              np.intp),
        show_ifs=tuple(_show_ifs(questions, index, vocabulary)),
        showif_columns=np.array([i for i, x in enumerate(questions) if x.show_if], np.intp),
        groups=groups([np.flatnonzero(group == g).tolist()
                       for g in range(len(dims) * max(len(stages), 1))]),
        dimension_keys=tuple(dims), stage_keys=q.stage_keys,
        dimension_weight=np.array([d.weight for d in q.dimensions], dtype=float),
        dimension_starts=np.flatnonzero(np.r_[True, dimension[1:] != dimension[:-1]]),
        hidden_override=np.array([_OVERRIDES[x.hidden] for x in questions], dtype=np.int8),
        measure_ids=tuple(m.id for m in q.measures),
        measure_groups=groups([[i for i, x in enumerate(questions) if m.id in x.measures]
                               for m in q.measures]))


_OVERRIDES = {None: -1, "exclude": 0, "zero": 1}


def _option_points(questions: tuple[Question, ...], vocabulary: dict[str, int]
                   ) -> np.ndarray:
    table = np.full((len(questions), len(vocabulary) + 1), np.nan)
    for row, question in enumerate(questions):
        if question.type in OPTION_TYPES:
            for option in question.options:
                table[row, vocabulary[option.value]] = option.points
    return table.ravel()


def _bands(questions: list[Question]) -> np.ndarray:
    depth = max((len(x.bands) for x in questions), default=0)
    # Unused band slots can never hold: min +inf, max -inf.
    table = np.empty((3, depth, len(questions)))
    table[0], table[1], table[2] = np.inf, -np.inf, 0.0
    for column, question in enumerate(questions):
        for row, band in enumerate(question.bands):
            table[0, row, column] = -np.inf if band.min is None else band.min
            table[1, row, column] = np.inf if band.max is None else band.max
            table[2, row, column] = band.points
    return table


def _show_ifs(questions: tuple[Question, ...], index: dict[str, int],
              vocabulary: dict[str, int]) -> list[ShowIfColumn]:
    result = []
    for column, question in enumerate(questions):
        condition = question.show_if
        if condition is None:
            continue
        allowed, op = None, None
        if condition.values is not None:
            allowed = np.zeros(len(vocabulary) + 1, dtype=bool)
            allowed[[vocabulary[v] for v in condition.values if v in vocabulary]] = True
        else:
            op = _UFUNCS[condition.op]
        result.append(ShowIfColumn(column, index[condition.question], allowed, op,
                                   condition.value))
    return result


_UFUNCS = {"<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal,
           "==": np.equal}
