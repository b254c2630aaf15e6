"""Which questions ``show_if`` hides, for many assessments at once."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .compiled import Compiled, ShowIfColumn, compiled
from .frame import Cells, cells, encode, read_columns
from .model import Questionnaire


def visibility(c: Compiled, block: Cells) -> np.ndarray:
    """(assessment x question) booleans: True where the question is shown.

    A question is hidden when its condition is false, or when its target is
    unanswered, not applicable or itself hidden. Conditions are resolved in file order,
    and a show_if always points at an earlier question, so a target's visibility is
    final before any question depending on it is looked at: chains resolve in one pass.
    """
    visible = np.ones(block.code.shape, dtype=bool)
    for rule in c.show_ifs:
        target = rule.target
        shown = visible[:, target] & block.valid[:, target] & ~block.not_applicable[:, target]
        visible[:, rule.column] = shown & _condition(c, block, rule)
    return visible


def _condition(c: Compiled, block: Cells, rule: ShowIfColumn) -> np.ndarray:
    if rule.allowed is not None:
        return rule.allowed[block.vocabulary[:, rule.target]]
    number = block.number[:, c.number_position[rule.target]]
    return rule.op(number, rule.value)


def visible_questions(q: Questionnaire,
                      values: Mapping[str, tuple[str | None, bool]]) -> frozenset[str]:
    """Keys of the questions shown, given question key -> (value, not applicable)."""
    c = compiled(q)
    rows = [{"question_key": key, "value": value, "not_applicable": na}
            for key, (value, na) in values.items()]
    answers = encode(c, read_columns(rows), (np.zeros(len(rows), dtype=np.intp), [None]))
    shown = visibility(c, cells(c, answers, 0, 1))[0]
    return frozenset(key for key, show in zip(c.keys, shown.tolist()) if show)
