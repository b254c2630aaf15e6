"""Like-for-like comparison across questionnaire versions: the criteria every version shares.

A criterion is comparable when it is in both versions (directly or through the newer
version's ``supersedes.renamed``) with the same stage and scoring: type, scale or choices
with their points, bands, weight, show_if and hidden rule (``scoring.diff`` compares them).
Texts, ``required`` and ``measures`` may differ. Restricting every version to its comparable
criteria and scoring them under one set of rules gives an index that a version change cannot
move by itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from .diff import diff
from .model import Questionnaire

#: the question properties that must not change for a criterion to stay comparable
SCORING_FIELDS = frozenset({"stage", "type", "scale", "choices", "bands", "weight", "show_if", "hidden"})


def comparable_pairs(old: Questionnaire, new: Questionnaire) -> dict[str, str]:
    """Old key -> new key of the criteria both versions share with the same stage and scoring."""
    result = diff(old, new)
    new_keys = {q.key for q in new.questions}
    pairs = {q.key: q.key for q in old.questions if q.key in new_keys}
    pairs.update(result.renamed)
    changed = {c.question_key for c in result.changed if c.field in SCORING_FIELDS}
    return {a: b for a, b in pairs.items() if b not in changed and new.question(b).scored}


def common_criteria(versions: Sequence[Questionnaire]) -> list[frozenset[str]]:
    """For versions ordered oldest to newest, each one's keys of the criteria all of them share.

    Consecutive versions are compared pairwise (the crosswalk of each newer version), so a
    criterion renamed twice is followed through both renames. The sets have equal sizes.
    """
    if not versions:
        return []
    newest = versions[-1]
    maps = [{q.key: q.key for q in newest.questions if q.scored}]
    for old, new in zip(reversed(versions[:-1]), reversed(versions[1:])):
        later = maps[0]
        maps.insert(0, {a: later[b] for a, b in comparable_pairs(old, new).items() if b in later})
    common = set(maps[0].values())
    return [frozenset(k for k, final in m.items() if final in common) for m in maps]


def restrict(q: Questionnaire, keys: Iterable[str], rules_from: Questionnaire | None = None
             ) -> Questionnaire:
    """``q`` with only the questions in ``keys`` counting, scored under ``rules_from``'s rules.

    A kept question's show_if targets stay, with weight 0, so that they still show or hide
    it but add nothing to any sum; dimensions left without questions are dropped. Unknown
    keys are ignored. ``rules_from`` (default ``q``) supplies the scoring rules, so that
    every version of a trend is scored alike.

    Raises ValueError when none of ``keys`` is a question of ``q``: a questionnaire without
    questions has no dimension and cannot be scored (callers check ``common_criteria`` first).
    """
    wanted = {k for k in keys if k in {x.key for x in q.questions}}
    if not wanted:
        raise ValueError(f"none of the criteria to keep is a question of {q.id} {q.version}: "
                         "nothing would be left to score")
    gates = set()
    for key in sorted(wanted):
        condition = q.question(key).show_if
        while condition is not None and condition.question not in wanted | gates:
            gates.add(condition.question)
            condition = q.question(condition.question).show_if
    dimensions = []
    for d in q.dimensions:
        # Each question keeps its own hidden rule whatever rules it is scored under.
        questions = tuple(dataclasses.replace(x, hidden=x.hidden_rule(q.rules),
                                              weight=x.weight if x.key in wanted else 0.0)
                          for x in d.questions if x.key in wanted or x.key in gates)
        if questions:
            dimensions.append(dataclasses.replace(d, questions=questions))
    return dataclasses.replace(q, dimensions=tuple(dimensions), rules=(rules_from or q).rules)
