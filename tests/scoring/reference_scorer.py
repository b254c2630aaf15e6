"""A second implementation of DESIGN.md §4 (scoring version 2), for the tests only.

Plain loops over the answers of one assessment, written from the design text and not
from the engine: no numpy, no pandas, no shared helpers beyond the parsed questionnaire
(whose ``Question.points`` and ``ShowIf.holds`` read the file's own rules). The engine
must agree with it on random questionnaires and answers (test_reference_scorer.py).
"""

from __future__ import annotations

import math

EPSILON = 1e-9


def reference_score(q, answers):
    """Every figure of one assessment as a dict; ``answers`` maps a question key to
    (value or None, not applicable, has evidence)."""
    rules, stages = q.rules, [s.key for s in q.stages]
    state = _questions(q, answers)
    dimensions = [_dimension(q, d, state, stages, rules.stage_threshold) for d in q.dimensions]
    return {
        "dimensions": dimensions,
        "overall": _overall(q, dimensions, state, stages),
        "weakest": _weakest(dimensions, stages),
        "measures": _measures(q, state),
        "hidden": {key for key, s in state.items() if not s["visible"]},
    }


def _questions(q, answers):
    """Per question: visible, valid, not applicable, counted, p, evidence, value."""
    state = {}
    for x in q.questions:
        value, na, evidence = answers.get(x.key, (None, False, False))
        valid = _valid(x, value)
        visible = True
        if x.show_if is not None:
            target = state[x.show_if.question]
            visible = (target["visible"] and target["valid"] and not target["na"]
                       and x.show_if.holds(answers[x.show_if.question][0]))
        points = x.points(value) if valid and x.type != "text" else None
        p = points / x.max_points if (visible and points is not None and x.scored) else 0.0
        if visible:
            counted = x.scored and not na and (valid or q.rules.unanswered == "zero")
        else:
            counted = x.scored and not na and (x.hidden or q.rules.hidden) == "zero"
        state[x.key] = {"question": x, "visible": visible, "valid": valid, "na": na,
                        "counted": counted, "p": p, "evidence": evidence,
                        "value": value if (visible and valid) else None}
    return state


def _valid(x, value):
    if value is None:
        return False
    if x.type == "text":
        return bool(value.strip())
    return x.points(value) is not None


def _dimension(q, d, state, stages, threshold):
    won = {s: 0.0 for s in stages or [None]}
    possible = dict(won)
    claimed = substantiated = 0.0
    counts = {"answered": 0, "applicable": 0, "required_answered": 0, "required_visible": 0}
    for x in d.questions:
        s = state[x.key]
        if s["counted"]:
            won[x.stage] += x.weight * s["p"]
            possible[x.stage] += x.weight
            claimed += x.weight * s["p"]
            if s["evidence"]:
                substantiated += x.weight * s["p"]
        if s["visible"]:
            answered = s["valid"] or s["na"]
            counts["answered"] += answered
            counts["applicable"] += not s["na"]
            counts["required_answered"] += x.required and answered
            counts["required_visible"] += x.required
    attainment = {s: (won[s] / possible[s] if possible[s] > 0 else None) for s in stages}
    total = sum(possible.values())
    level = None
    if total > 0 and stages:
        level = 0
        for s in stages:
            if possible[s] > 0 and won[s] / possible[s] < threshold - EPSILON:
                break
            level += 1
    return {"key": d.key, "weight": d.weight, "level": level,
            "index": 100 * sum(won.values()) / total if total > 0 else None,
            "stages": attainment, "won": won, "possible": possible, **counts,
            "completeness": _share(counts["required_answered"], counts["required_visible"]),
            "evidence_coverage": 100 * substantiated / claimed if claimed > 0 else None,
            "claimed": claimed, "substantiated": substantiated,
            "explanation": _gaps(d, state, stages, level)}


def _gaps(d, state, stages, level):
    if level is None or level >= len(stages):
        return []
    stage = stages[level]
    gaps = []
    for x in d.questions:
        s = state[x.key]
        listed = (s["visible"] and not s["na"] and x.scored) or (not s["visible"] and s["counted"])
        if x.stage == stage and listed and s["p"] < 1:
            gaps.append((x.key, s["value"], x.weight * (1 - s["p"])))
    return sorted(gaps, key=lambda gap: -gap[2])  # sorted() is stable: file order on ties


def _overall(q, dimensions, state, stages):
    rules = q.rules
    scored = [d for d in dimensions if d["index"] is not None]
    weight = sum(d["weight"] for d in scored)
    won = sum(sum(d["won"].values()) for d in dimensions)
    possible = sum(sum(d["possible"].values()) for d in dimensions)
    if rules.overall_index == "pooled":
        index = 100 * won / possible if possible > 0 else None
    else:
        index = sum(d["index"] * d["weight"] for d in scored) / weight if scored else None
    claimed = sum(d["claimed"] for d in dimensions)
    substantiated = sum(d["substantiated"] for d in dimensions)
    stage_won = {s: sum(d["won"][s] for d in dimensions) for s in stages}
    stage_possible = {s: sum(d["possible"][s] for d in dimensions) for s in stages}
    return {
        "key": "_overall",
        "level": _overall_level(rules.overall_level, scored, weight) if stages and scored else None,
        "index": index,
        "stages": {s: (stage_won[s] / stage_possible[s] if stage_possible[s] > 0 else None)
                   for s in stages},
        **{name: sum(d[name] for d in dimensions)
           for name in ("answered", "applicable", "required_answered", "required_visible")},
        "completeness": _share(sum(d["required_answered"] for d in dimensions),
                               sum(d["required_visible"] for d in dimensions)),
        "evidence_coverage": 100 * substantiated / claimed if claimed > 0 else None,
    }


def _overall_level(rule, scored, weight):
    if rule == "min":
        return min(d["level"] for d in scored)
    if rule == "mean_floor":
        return math.floor(sum(d["level"] * d["weight"] for d in scored) / weight + EPSILON)
    below = 0.0  # weighted median, the lower middle
    for level in sorted({d["level"] for d in scored}):
        below += sum(d["weight"] for d in scored if d["level"] == level)
        if 2 * below >= weight * (1 - EPSILON):
            return level
    raise AssertionError("unreachable: the whole weight is reached at the top level")


def _weakest(dimensions, stages):
    scored = [d for d in dimensions if d["index"] is not None]
    if not stages or not scored:
        return ()
    lowest = min(d["level"] for d in scored)
    return tuple(d["key"] for d in scored if d["level"] == lowest)


def _measures(q, state):
    result = []
    for measure in q.measures:
        won = possible = 0.0
        criteria = 0
        for s in state.values():
            x = s["question"]
            if s["counted"] and measure.id in x.measures:
                won += x.weight * s["p"]
                possible += x.weight
                criteria += 1
        if possible <= 0:
            attainment, status = None, "no_data"
        else:
            attainment = won / possible
            if attainment >= q.rules.stage_threshold - EPSILON:
                status = "implemented"
            elif won > 0:
                status = "in_progress"
            else:
                status = "not_started"
        result.append((measure.id, attainment, status, criteria))
    return result


def _share(numerator, denominator):
    return numerator / denominator if denominator > 0 else None
