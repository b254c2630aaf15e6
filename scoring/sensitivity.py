"""Levels under other scoring rules, for the methodologist (``flask scores sensitivity``, DESIGN §5).

Every variant is the same questionnaire with other rules (``variants.with_rules``), scored
in bulk by the one engine path; nothing here does arithmetic of its own.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from itertools import product
from typing import Any, Hashable, Iterable, Iterator

from .engine import score
from .model import Questionnaire
from .variants import with_rules


def thresholds(spec: str) -> list[float]:
    """``0.6:0.9:0.05`` (start:stop:step, both ends included) or ``0.75,0.8``; ValueError if bad.

    Decimal steps, so that 0.6 + 4 × 0.05 is 0.8 and not 0.8000000000000002.
    """
    try:
        if ":" in spec:
            start, stop, step = (Decimal(part) for part in spec.split(":"))
            if step <= 0 or stop < start:
                raise ValueError
            values, value = [], start
            while value <= stop:
                values.append(value)
                value += step
        else:
            values = [Decimal(part) for part in spec.split(",")]
    except (InvalidOperation, ValueError):
        raise ValueError(f"'{spec}' is not a threshold list: write start:stop:step "
                         f"(e.g. 0.6:0.9:0.05) or values separated by commas") from None
    result = [float(v) for v in values]
    if not result or any(not 0 < v <= 1 for v in result):
        raise ValueError(f"'{spec}': every threshold must be above 0 and at most 1")
    return result


def header(q: Questionnaire) -> list[str]:
    """The columns after the caller's own: the variant, the overall figures, each dimension's level."""
    return (["stage_threshold", "overall_level_rule", "hidden", "overall_level", "overall_index"]
            + [f"level_{d.key}" for d in q.dimensions])


def sensitivity(q: Questionnaire, answers: Any, assessment_ids: Iterable[Hashable],
                stage_thresholds: Iterable[float], overall_levels: Iterable[str],
                hidden_rules: Iterable[str]) -> Iterator[tuple[Hashable, list]]:
    """(assessment id, row) for every variant and assessment, variants in the order given.

    ``answers`` are as for ``score``; a row holds the columns of ``header``: the threshold,
    the overall-level rule, the hidden rule (applied to every question), the overall level
    and index (exact; None when empty) and each dimension's level.
    """
    ids = list(assessment_ids)
    for hidden, threshold, rule in product(hidden_rules, stage_thresholds, overall_levels):
        variant = with_rules(q, stage_threshold=threshold, overall_level=rule, hidden=hidden)
        for result in score(variant, answers, assessment_ids=ids):
            yield result.assessment_id, [
                _decimal(threshold), rule, hidden, result.overall.level, result.overall.index,
                *[d.level for d in result.dimensions]]


def _decimal(value: float) -> str:
    return format(Decimal(repr(value)).normalize(), "f")
