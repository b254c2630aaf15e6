"""Frozen dataclasses of scoring results (DESIGN.md §4)."""

from __future__ import annotations

from dataclasses import dataclass, fields, make_dataclass
from typing import Any, Callable, Hashable, Iterable, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Gap:
    """A question standing between a dimension's level and the next one."""

    dimension: str
    question_key: str
    stage: str | None
    weight: float
    points_share: float  # p_q; 0 when unanswered
    shortfall: float  # w_q * (1 - p_q)
    value: str | None
    not_answered: bool
    #: whether the question is in the sums now (False: unanswered under ``unanswered: exclude``)
    counted: bool = True

    def gain_at(self, threshold: float) -> float:
        """Weighted points its best answer adds to Σ w p − t · Σ w of its stage (threshold t).

        A counted question gains w (1 − p); an uncounted one (unanswered under ``unanswered:
        exclude``) enters numerator and denominator alike and gains w (1 − t).
        """
        return self.shortfall if self.counted else self.weight * (1 - threshold)


@dataclass(frozen=True, slots=True)
class DimensionScore:
    """Level, index, stage attainments and counts of one dimension (or ``_overall``).

    ``level`` and ``index`` are None when no question counted (or, for ``level``, when
    the questionnaire has no stages); ``stages`` maps a stage key to its attainment in
    0..1, None when the stage had no counted question (attained vacuously).
    ``evidence_coverage`` is 100 · Σ w p [evidence] / Σ w p in percent (scoring version
    2), None when no points were won; on ``_overall`` it is pooled over every dimension.
    """

    key: str
    level: int | None
    index: float | None
    stages: dict[str, float | None]
    answered: int
    applicable: int
    required_answered: int
    required_visible: int
    completeness: float | None
    evidence_coverage: float | None = None
    #: weighted points the first unattained stage lacks to reach the threshold (t · Σ w − Σ w p);
    #: None at the top level, without stages and on ``_overall``
    points_lacking: float | None = None


MEASURE_STATUSES = ("implemented", "in_progress", "not_started", "no_data")


@dataclass(frozen=True, slots=True)
class MeasureScore:
    """Attainment of one measure of the catalogue (e.g. roadmap measure 3.8.1).

    ``attainment`` is Σ w p / Σ w in 0..1 over the counted questions citing the measure
    (None when none counts); ``status`` is one of MEASURE_STATUSES (DESIGN §4);
    ``criteria`` is the number of counted questions.
    """

    id: str
    attainment: float | None
    status: str
    criteria: int


@dataclass(frozen=True, slots=True)
class AssessmentScore:
    """Everything the engine says about one assessment."""

    assessment_id: Hashable
    questionnaire_id: str
    questionnaire_version: str
    scoring_version: str
    overall: DimensionScore
    dimensions: tuple[DimensionScore, ...]
    explanation: dict[str, tuple[Gap, ...]]
    hidden: frozenset[str]
    #: the dimensions (with an index) at the lowest level, in file order; () without stages
    weakest: tuple[str, ...] = ()
    measures: tuple[MeasureScore, ...] = ()

    def measure(self, measure_id: str) -> MeasureScore:
        """The result of measure ``measure_id``; KeyError if the catalogue lacks it."""
        for measure in self.measures:
            if measure.id == measure_id:
                return measure
        raise KeyError(measure_id)

    def dimension(self, key: str) -> DimensionScore:
        """The score of dimension ``key`` (``_overall`` for the overall score)."""
        if key == self.overall.key:
            return self.overall
        for dimension in self.dimensions:
            if dimension.key == key:
                return dimension
        raise KeyError(key)


def fast_constructor(cls: type[T]) -> Callable[..., list[T]]:
    """A function building many instances of a frozen slotted dataclass at once.

    It takes one iterable per field, in field order, and returns the list of instances,
    about three times faster than calling ``cls`` for each. A frozen dataclass sets every
    field through ``object.__setattr__``, and scoring builds tens of thousands of results
    at once; so they are built as a mutable twin with the same slots and then given
    their real class (allowed: the memory layouts are identical). The results are
    ordinary, frozen ``cls`` instances.
    """
    twin = make_dataclass(f"_{cls.__name__}Twin", [(f.name, Any) for f in fields(cls)],
                          slots=True)

    def build(*columns: Iterable[Any]) -> list[T]:
        instances = list(map(twin, *columns))
        for instance in instances:
            instance.__class__ = cls
        return instances
    return build
