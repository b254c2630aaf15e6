"""The vectorised engine agrees with a plain-loop reading of DESIGN §4 (reference_scorer.py)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

import scoring
from reference_scorer import reference_score
from test_engine import choice, dimension, question, questionnaire
from test_properties import SETTINGS, records, scored_case


def approx(value):
    return None if value is None else pytest.approx(value, rel=1e-9, abs=1e-9)


def assert_same(engine, reference):
    """Every figure of one engine result equals the reference's."""
    pairs = list(zip((*engine.dimensions, engine.overall),
                     (*reference["dimensions"], reference["overall"])))
    for got, want in pairs:
        assert got.key == want["key"]
        assert got.level == want["level"], got.key
        assert got.index == approx(want["index"]), got.key
        assert got.stages == {s: approx(a) for s, a in want["stages"].items()}, got.key
        assert (got.answered, got.applicable, got.required_answered, got.required_visible) == (
            want["answered"], want["applicable"], want["required_answered"],
            want["required_visible"]), got.key
        assert got.completeness == approx(want["completeness"]), got.key
        assert got.evidence_coverage == approx(want["evidence_coverage"]), got.key
    for d in reference["dimensions"]:
        gaps = [(g.question_key, g.value, g.shortfall) for g in engine.explanation[d["key"]]]
        assert gaps == [(k, v, pytest.approx(s)) for k, v, s in d["explanation"]], d["key"]
    assert engine.weakest == reference["weakest"]
    assert [(m.id, m.attainment, m.status, m.criteria) for m in engine.measures] == [
        (i, approx(a), s, c) for i, a, s, c in reference["measures"]]
    assert engine.hidden == reference["hidden"]


@SETTINGS
@given(scored_case(assessments=3), st.data())
def test_the_engine_matches_the_reference_scorer(case, data):
    q, answer_sets = case
    keys = [x.key for x in q.questions]
    evidence = [data.draw(st.sets(st.sampled_from(keys))) for _ in answer_sets]
    rows = [r for i, answers in enumerate(answer_sets) for r in records(answers, i, evidence[i])]
    results = scoring.score(q, rows, assessment_ids=range(len(answer_sets)))
    for result, answers, proof in zip(results, answer_sets, evidence):
        plain = {key: (value, na, key in proof) for key, (value, na) in answers.items()}
        assert_same(result, reference_score(q, plain))


def test_the_reference_scorer_gives_the_hand_computed_figures():
    # The reference is itself checked on a case worked by hand (test_engine_v2 has more).
    q = questionnaire(dimension("d", question("a"), choice("b", 0, 1, 2, weight=3),
                                question("f", stage="s2", weight=2,
                                         show_if={"question": "a", "in": ["yes"]})),
                      hidden="zero")
    figures = reference_score(q, {"a": ("no", False, True), "b": ("c1", False, True)})
    [d] = figures["dimensions"]
    assert d["stages"] == {"s1": pytest.approx(1.5 / 4), "s2": 0.0}
    assert (d["level"], d["index"], d["evidence_coverage"]) == (0, pytest.approx(25.0), 100.0)
    assert d["explanation"] == [("b", "c1", 1.5), ("a", "no", 1.0)]
    assert figures["hidden"] == {"f"}
