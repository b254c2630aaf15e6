"""The same questionnaire under other scoring rules, for sensitivity analysis (DESIGN §5)."""

from __future__ import annotations

import dataclasses

from .model import Questionnaire


def with_rules(q: Questionnaire, *, stage_threshold: float | None = None,
               overall_level: str | None = None, overall_index: str | None = None,
               unanswered: str | None = None, hidden: str | None = None) -> Questionnaire:
    """``q`` with the given scoring rules replaced; texts and structure are shared.

    ``hidden`` applies to every question: the per-question overrides are dropped, so
    that a variant "hidden = zero" means zero everywhere. ValueError for a rule the
    format does not know (the same values as questionnaires/schema.json).
    """
    changes = {name: value for name, value in (
        ("stage_threshold", stage_threshold), ("overall_level", overall_level),
        ("overall_index", overall_index), ("unanswered", unanswered), ("hidden", hidden))
        if value is not None}
    _check(changes)
    rules = dataclasses.replace(q.rules, **changes)
    dimensions = q.dimensions
    if hidden is not None:
        dimensions = tuple(dataclasses.replace(
            d, questions=tuple(dataclasses.replace(x, hidden=None) for x in d.questions))
            for d in q.dimensions)
    return dataclasses.replace(q, rules=rules, dimensions=dimensions)


_ALLOWED = {"overall_level": ("min", "median", "mean_floor"),
            "overall_index": ("mean", "pooled"), "unanswered": ("zero", "exclude"),
            "hidden": ("exclude", "zero")}


def _check(changes: dict) -> None:
    for name, value in changes.items():
        if name == "stage_threshold":
            if not 0 < value <= 1:
                raise ValueError(f"a stage threshold must be above 0 and at most 1, not {value}")
        elif value not in _ALLOWED[name]:
            raise ValueError(f"{name} must be one of {', '.join(_ALLOWED[name])}, not {value!r}")
