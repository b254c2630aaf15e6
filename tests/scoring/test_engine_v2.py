"""Hand-computed examples of the scoring version 2 rules of DESIGN.md §4 (no fixtures)."""

import pytest

import scoring
from test_engine import NA, choice, dimension, question, questionnaire

SHIPPED = "questionnaires/digital-customs-maturity/2026.1.yaml"


def score(q, evidence=(), **answers):
    """Scores one assessment; keys with dashes are written with underscores."""
    rows = [{"question_key": key.replace("_", "-"), "value": None if value is NA else value,
             "not_applicable": value is NA, "has_evidence": key in evidence}
            for key, value in answers.items()]
    return scoring.score_one(q, rows)


def gated(hidden=None, rule="exclude", weight_b=1):
    """a, b at s1; f at s2 shown when a is yes (weight 2); g at s2."""
    follow_up = question("f", stage="s2", weight=2, show_if={"question": "a", "in": ["yes"]})
    if hidden:
        follow_up["hidden"] = hidden
    return questionnaire(dimension("d", question("a"), question("b", weight=weight_b),
                                   follow_up, question("g", stage="s2")), hidden=rule)


# ---- hidden: zero ---------------------------------------------------------------------------

def test_a_hidden_question_leaves_the_sums_under_exclude():
    d = score(gated(), a="no", b="yes", g="yes").dimensions[0]
    assert d.stages == {"s1": pytest.approx(0.5), "s2": pytest.approx(1.0)}
    assert d.index == pytest.approx(100 * 2 / 3)


def test_a_hidden_question_counts_with_no_points_under_zero():
    d = score(gated(rule="zero"), a="no", b="yes", g="yes").dimensions[0]
    assert d.stages == {"s1": pytest.approx(0.5), "s2": pytest.approx(1 / 3)}  # 1 / (2 + 1)
    assert d.index == pytest.approx(40.0)  # 100 * 2 / 5


def test_a_per_question_hidden_rule_overrides_the_questionnaire_rule():
    assert score(gated(hidden="exclude", rule="zero"), a="no", b="yes", g="yes"
                 ).dimensions[0].index == pytest.approx(100 * 2 / 3)
    assert score(gated(hidden="zero", rule="exclude"), a="no", b="yes", g="yes"
                 ).dimensions[0].index == pytest.approx(40.0)


def test_a_stale_answer_to_a_hidden_question_scores_nothing_under_zero():
    d = score(gated(rule="zero"), a="no", b="yes", f="yes", g="yes").dimensions[0]
    assert d.stages["s2"] == pytest.approx(1 / 3)


def test_a_hidden_question_marked_not_applicable_stays_out_under_zero():
    d = score(gated(rule="zero"), a="no", b="yes", f=NA, g="yes").dimensions[0]
    assert d.stages["s2"] == pytest.approx(1.0)


def test_a_hidden_question_is_never_required_for_completeness_under_zero():
    d = score(gated(rule="zero"), a="no", b="yes", g="yes").dimensions[0]
    assert (d.required_answered, d.required_visible, d.completeness) == (3, 3, 1.0)
    assert d.applicable == 3


def test_a_hidden_question_counts_in_the_overall_figures_under_zero():
    q = questionnaire(
        dimension("d", question("a"), question("f", stage="s2", weight=2,
                                                 show_if={"question": "a", "in": ["yes"]})),
        dimension("e", question("x", stage="s2")), hidden="zero", overall_index="pooled")
    result = score(q, a="no", x="yes")
    assert result.overall.stages == {"s1": 0.0, "s2": pytest.approx(1 / 3)}
    assert result.overall.index == pytest.approx(25.0)  # 100 * 1 / (1 + 2 + 1)


def test_the_roadmap_lists_a_hidden_question_that_holds_a_stage_under_zero():
    q = gated(rule="zero", weight_b=4)
    result = score(q, a="no", b="yes", g="yes")  # s1 = 4 / 5 attained; s2 = 1 / 3
    assert result.dimensions[0].level == 1
    [gap] = result.explanation["d"]
    assert (gap.question_key, gap.value, gap.not_answered, gap.shortfall) == ("f", None, True, 2.0)
    assert score(gated(weight_b=4), a="no", b="yes", g="yes").dimensions[0].level == 2


def shipped(rule):
    return scoring.with_rules(scoring.load_file(SHIPPED), hidden=rule)


@pytest.mark.parametrize("rule, before, after", [("exclude", 1.0, 4 / 6), ("zero", 4 / 6, 4 / 6)])
def test_the_navigation_seal_example_of_the_review(rule, before, after):
    # Smart stage of transit: seal-data-real-time (w2) is shown when the share is > 0;
    # minimal-stops (w2), extended-tracking (w1), risk-based-conditions (w1) are full.
    q = shipped(rule)
    full = {"transit.minimal-stops": "full", "transit.extended-tracking": "full",
            "transit.risk-based-conditions": "full"}
    figures = []
    for share in ("0", "5"):
        rows = [{"question_key": k, "value": v} for k, v in
                (full | {"transit.kpi-navigation-seal-share": share}).items()]
        figures.append(scoring.score_one(q, rows).dimension("transit").stages["smart"])
    assert figures == [pytest.approx(before), pytest.approx(after)]


@pytest.mark.parametrize("rule, before, after", [("exclude", 0.625, 0.5), ("zero", 2.5 / 6, 0.5)])
def test_the_ai_use_example_of_the_review(rule, before, after):
    # Smart stage of governance: ai-use (w2), ai-governance (w2, shown from pilot on),
    # innovation (w1, full), benchmarking (w1, yes).
    q = shipped(rule)
    figures = []
    for ai_use in ("planned", "pilot"):
        rows = [{"question_key": k, "value": v} for k, v in (
            ("governance.ai-use", ai_use), ("governance.innovation", "full"),
            ("governance.benchmarking", "yes"))]
        figures.append(scoring.score_one(q, rows).dimension("governance").stages["smart"])
    assert figures == [pytest.approx(before), pytest.approx(after)]


# ---- weakest dimensions -----------------------------------------------------------------

def test_the_weakest_dimensions_are_those_at_the_lowest_level_in_file_order():
    q = questionnaire(dimension("x", question("x1")), dimension("y", question("y1")),
                      dimension("w", question("w1", na_allowed=True)),
                      dimension("z", question("z1")))
    result = score(q, x1="yes", y1="no", w1=NA, z1="no")
    assert [d.level for d in result.dimensions] == [2, 0, None, 0]
    assert result.weakest == ("y", "z")  # w has no index, so no level to be weakest at


def test_every_dimension_is_weakest_when_all_share_the_level():
    q = questionnaire(dimension("x", question("x1")), dimension("y", question("y1")))
    assert score(q, x1="yes", y1="yes").weakest == ("x", "y")


def test_there_are_no_weakest_dimensions_without_stages_or_without_answers():
    assert score(questionnaire(dimension("x", question("x1", stage=None)), stages=()),
                 x1="no").weakest == ()
    assert score(questionnaire(dimension("x", question("x1", na_allowed=True))),
                 x1=NA).weakest == ()


# ---- evidence coverage ------------------------------------------------------------------

EVIDENCE = questionnaire(
    dimension("d", choice("q1", 0, 2, weight=2), choice("q2", 0, 1, 2), choice("q3", 0, 2)),
    dimension("e", question("e1"), question("e2")))


def test_evidence_coverage_weighs_the_points_that_have_evidence():
    result = score(EVIDENCE, evidence={"q1", "q3", "e1"}, q1="c2", q2="c1", q3="c0",
                   e1="yes", e2="no")
    d, e = result.dimensions
    assert d.evidence_coverage == pytest.approx(80.0)  # 100 * 2 / (2 + 0.5 + 0)
    assert e.evidence_coverage == pytest.approx(100.0)  # e2 claims no points
    assert result.overall.evidence_coverage == pytest.approx(100 * 3 / 3.5)  # pooled


def test_evidence_coverage_is_empty_when_no_points_are_claimed():
    result = score(EVIDENCE, evidence={"e1"}, q1="c0", q2="c0", e1="no")
    assert [d.evidence_coverage for d in result.dimensions] == [None, None]
    assert result.overall.evidence_coverage is None


def test_without_an_evidence_column_no_points_are_substantiated():
    rows = [{"question_key": "e1", "value": "yes"}]
    result = scoring.score_one(EVIDENCE, rows)
    assert result.dimension("e").evidence_coverage == 0.0
    assert result.dimension("d").evidence_coverage is None


def test_evidence_on_a_not_applicable_or_hidden_answer_counts_for_nothing():
    q = questionnaire(dimension("d", question("a"), question(
        "f", show_if={"question": "a", "in": ["no"]}), question("n", na_allowed=True)))
    result = score(q, evidence={"f", "n"}, a="yes", f="yes", n=NA)
    assert result.overall.evidence_coverage == 0.0


# ---- measures ---------------------------------------------------------------------------

def measured(**rules):
    data = {
        "format": 1, "id": "t", "version": "1", "status": "draft", "languages": ["en"],
        "title": {"en": "T"}, "stages": [{"key": "s1", "label": {"en": "s1"}}],
        "scoring": rules,
        "measures": [{"id": m, "title": {"en": m}} for m in ("m1", "m2", "m3", "m4", "m5")],
        "dimensions": [
            dimension("d", choice("q1", 0, 2, weight=2, measures=["m1"]),
                      choice("q2", 0, 1, 2, measures=["m2"]), choice("q3", 0, 2, measures=["m3"]),
                      question("q5", na_allowed=True, measures=["m4"]),
                      question("f", measures=["m5"], show_if={"question": "q5", "in": ["yes"]})),
            dimension("e", choice("q4", 0, 1, 2, measures=["m1", "m2"]))],
    }
    for d in data["dimensions"]:
        for x in d["questions"]:
            x["stage"] = "s1"
    return scoring.parse(data, "measures")


def test_measure_attainment_pools_the_questions_citing_it_across_dimensions():
    result = score(measured(), q1="c2", q2="c1", q3="c0", q5=NA, q4="c1")
    assert [(m.id, m.criteria, m.status) for m in result.measures] == [
        ("m1", 2, "implemented"), ("m2", 2, "in_progress"), ("m3", 1, "not_started"),
        ("m4", 0, "no_data"), ("m5", 0, "no_data")]
    assert result.measure("m1").attainment == pytest.approx(2.5 / 3)  # (2*1 + 1*0.5) / 3
    assert result.measure("m2").attainment == pytest.approx(0.5)
    assert result.measure("m3").attainment == 0.0
    assert result.measure("m4").attainment is None


def test_a_measure_just_under_the_threshold_is_in_progress():
    result = score(measured(stage_threshold=0.9), q1="c2", q4="c1")
    assert result.measure("m1").status == "in_progress"


def test_a_hidden_question_counts_in_its_measures_under_zero_only():
    assert score(measured(hidden="zero"), q5="no").measure("m5").status == "not_started"
    assert score(measured(), q5="no").measure("m5").status == "no_data"


def test_unanswered_questions_count_in_measures_as_the_unanswered_rule_says():
    assert score(measured(), q1="c2").measure("m2").status == "not_started"
    assert score(measured(unanswered="exclude"), q1="c2").measure("m2").status == "no_data"


def test_a_questionnaire_without_measures_gives_none():
    assert score(questionnaire(dimension("d", question("a"))), a="yes").measures == ()


def test_results_carry_scoring_version_2():
    assert scoring.SCORING_VERSION.startswith("2.")


PUBLISHED_WITH_ZERO = "questionnaires/digital-customs-maturity/2026.2.yaml"


@pytest.mark.parametrize("dimension_key, key, before, after, others", [
    ("transit", "transit.kpi-navigation-seal-share", "0", "5",
     {"transit.minimal-stops": "full", "transit.extended-tracking": "full",
      "transit.risk-based-conditions": "full"}),
    ("governance", "governance.ai-use", "planned", "pilot",
     {"governance.innovation": "full"}),
])
def test_both_examples_of_the_review_are_monotone_in_the_published_2026_2_file(dimension_key, key, before, after,
                                                                                others):
    """2026.2 is the version published with `hidden: zero` on its follow-ups (2026.1 is never edited): as
    shipped, with no rule overridden, the better answer lowers no attainment, index or level."""
    q = scoring.load_file(PUBLISHED_WITH_ZERO)
    assert q.question(key) and all(q.question(k) for k in others)
    results = [scoring.score_one(q, [{"question_key": k, "value": v} for k, v in (others | {key: value}).items()])
               for value in (before, after)]
    low, high = (r.dimension(dimension_key) for r in results)
    assert low.stages["smart"] is not None and high.stages["smart"] >= low.stages["smart"]
    assert high.index >= low.index and high.level >= low.level
    assert results[1].overall.index >= results[0].overall.index
    assert all(b >= a for a, b in zip(low.stages.values(), high.stages.values()) if a is not None)
