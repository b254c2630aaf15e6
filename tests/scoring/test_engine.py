"""Hand-computed examples of every scoring rule of DESIGN.md §4 (no fixtures)."""

import pytest

import scoring

NA = object()  # marks a not-applicable answer in `rows`


def questionnaire(*dimensions, stages=("s1", "s2"), scales=None, **rules):
    """A parsed questionnaire; rules default to threshold 0.8, min, mean, zero."""
    return scoring.parse({
        "format": 1, "id": "t", "version": "1", "status": "draft", "languages": ["en"],
        "title": {"en": "T"},
        "stages": [{"key": s, "label": {"en": s}} for s in stages],
        "scoring": rules, "scales": scales or {}, "dimensions": list(dimensions),
    }, "test")


def dimension(key, *questions, weight=1):
    return {"key": key, "title": {"en": key}, "weight": weight, "questions": list(questions)}


def question(key, type_="yes_no", stage="s1", weight=1, **extra):
    item = {"key": key, "type": type_, "text": {"en": key}, "weight": weight, **extra}
    if stage is not None:
        item["stage"] = stage
    return item


def choice(key, *points, **extra):
    choices = [{"value": f"c{p}", "points": p, "label": {"en": str(p)}} for p in points]
    return question(key, "choice", choices=choices, **extra)


def number(key, *bands, **extra):
    return question(key, "number", bands=list(bands), **extra)


def rows(answers):
    """Answer records of one assessment from {key: value or NA}."""
    return [{"question_key": key, "value": None if value is NA else value,
             "not_applicable": value is NA} for key, value in answers.items()]


def one(q, **answers):
    """Scores one assessment given keyword answers (dashes written as underscores)."""
    return scoring.score_one(q, rows({k.replace("_", "-"): v for k, v in answers.items()}))


YES_NO_PAIR = questionnaire(dimension("d", question("a"), question("b", weight=3)))


# ---- points of one question ------------------------------------------------------------

def test_yes_scores_one_and_no_scores_zero():
    result = one(YES_NO_PAIR, a="yes", b="no")
    assert result.overall.index == pytest.approx(25.0)  # 100 * (1*1 + 3*0) / 4


def test_scale_points_are_divided_by_the_highest_option():
    scales = {"impl": [{"value": v, "points": p, "label": {"en": v}}
                       for v, p in (("none", 0), ("partial", 1), ("full", 4))]}
    q = questionnaire(dimension("d", question("a", "scale", scale="impl")), scales=scales)
    assert one(q, a="partial").overall.index == pytest.approx(25.0)


def test_number_answers_take_the_first_band_that_holds_with_both_edges_inclusive():
    q = questionnaire(dimension("d", number("h", {"max": 4, "points": 2},
                                            {"min": 4, "max": 24, "points": 1},
                                            {"points": 0})))
    assert q.question("h").points("4") == 2  # the first band wins on the shared edge
    assert q.question("h").points("24") == 1
    assert q.question("h").points("24.5") == 0
    assert one(q, h="4").overall.index == 100
    assert one(q, h="24").overall.index == 50
    assert one(q, h="25").overall.index == 0


def test_a_number_that_falls_in_no_band_scores_zero_but_counts():
    q = questionnaire(dimension("d", number("h", {"min": 10, "max": 20, "points": 1}),
                                question("y")))
    result = one(q, h="5", y="yes")
    assert result.overall.index == 50
    assert result.overall.answered == 2


def test_text_questions_are_never_scored_but_count_as_answered():
    q = questionnaire(dimension("d", question("y"), question("t", "text")))
    result = one(q, y="yes", t="We plan a pilot")
    assert result.overall.index == 100
    assert (result.overall.answered, result.overall.required_answered) == (2, 2)
    assert not q.question("t").scored and q.question("t").max_points is None


def test_a_value_the_question_does_not_offer_counts_as_unanswered():
    result = one(YES_NO_PAIR, a="maybe", b="yes")
    assert result.overall.index == 75  # a counts as 0 under `zero`
    assert result.overall.answered == 1


# ---- not applicable, show_if -------------------------------------------------------------

def test_not_applicable_answers_leave_numerator_and_denominator():
    result = one(YES_NO_PAIR, a="yes", b=NA)
    assert result.overall.index == 100
    assert (result.overall.answered, result.overall.applicable) == (2, 1)


SHOW_IF = questionnaire(dimension(
    "d",
    question("gate"),
    question("child", weight=2, show_if={"question": "gate", "in": ["yes"]}),
    question("grandchild", show_if={"question": "child", "in": ["yes"]}),
    question("other", weight=4),
))


def test_a_question_hidden_by_show_if_is_left_out_of_the_sums():
    result = one(SHOW_IF, gate="no", child="yes", grandchild="yes", other="yes")
    assert result.hidden == {"child", "grandchild"}
    assert result.overall.index == pytest.approx(80.0)  # (0 + 4) / (1 + 4)
    assert result.overall.required_visible == 2


def test_a_question_whose_target_is_hidden_is_hidden_too():
    result = one(SHOW_IF, gate="no", child="yes", grandchild="yes", other="no")
    assert "grandchild" in result.hidden


@pytest.mark.parametrize("gate", [None, NA, "maybe"])
def test_a_question_whose_target_is_unanswered_or_not_applicable_is_hidden(gate):
    answers = {"child": "yes", "other": "yes"} | ({} if gate is None else {"gate": gate})
    result = scoring.score_one(SHOW_IF, rows(answers))
    assert {"child", "grandchild"} <= result.hidden


def test_a_shown_chain_counts_every_question():
    result = one(SHOW_IF, gate="yes", child="yes", grandchild="no", other="yes")
    assert result.hidden == frozenset()
    assert result.overall.index == pytest.approx(100 * 7 / 8)


def test_a_show_if_on_a_number_compares_with_its_operator():
    q = questionnaire(dimension("d", number("n", {"points": 1}),
                                question("y", show_if={"question": "n", "op": "<=",
                                                       "value": 24})))
    assert one(q, n="24", y="yes").hidden == frozenset()
    assert one(q, n="24.01", y="yes").hidden == {"y"}


def test_visible_questions_resolves_chains_from_plain_values():
    values = {"gate": ("yes", False), "child": ("no", False)}
    assert scoring.visible_questions(SHOW_IF, values) == {"gate", "child", "other"}
    assert scoring.visible_questions(SHOW_IF, {"gate": ("yes", True)}) == {"gate", "other"}


# ---- unanswered ------------------------------------------------------------------------

def test_an_unanswered_question_scores_zero_under_zero():
    assert one(YES_NO_PAIR, b="yes").overall.index == pytest.approx(75.0)


def test_an_unanswered_question_is_left_out_under_exclude():
    q = questionnaire(dimension("d", question("a"), question("b", weight=3)),
                      unanswered="exclude")
    assert one(q, b="no").overall.index == 0
    assert one(q, a="yes").overall.index == 100


# ---- stages and levels -------------------------------------------------------------------

def test_stage_attainment_is_the_weighted_share_of_points():
    q = questionnaire(dimension("d", question("a"), question("b", "yes_no", "s2", weight=3),
                                question("c", "yes_no", "s2")))
    result = one(q, a="yes", b="yes", c="no")
    assert result.dimensions[0].stages == {"s1": 1.0, "s2": 0.75}
    assert result.dimensions[0].level == 1  # 0.75 < 0.8


def test_a_stage_with_no_questions_is_attained():
    q = questionnaire(dimension("d", question("a", stage="s2")), stages=("s1", "s2"))
    result = one(q, a="yes")
    assert result.dimensions[0].level == 2
    assert result.dimensions[0].stages == {"s1": None, "s2": 1.0}


def test_a_stage_whose_questions_are_all_not_applicable_is_attained_and_reported_empty():
    q = questionnaire(dimension("d", question("a"), question("b", stage="s2")))
    result = one(q, a=NA, b="yes")
    assert result.dimensions[0].stages == {"s1": None, "s2": 1.0}
    assert result.dimensions[0].level == 2


def test_a_level_needs_every_stage_below_it():
    q = questionnaire(dimension("d", question("a"), question("b", stage="s2")))
    result = one(q, a="no", b="yes")
    assert result.dimensions[0].stages == {"s1": 0.0, "s2": 1.0}
    assert result.dimensions[0].level == 0


def test_a_stage_exactly_at_the_threshold_is_attained_despite_float_error():
    # 0.6 / 0.75 is 0.8, but (0.1 + 0.5) / (0.1 + 0.5 + 0.15) is 0.7999999999999999.
    q = questionnaire(dimension("d", question("a", weight=0.1), question("b", weight=0.5),
                                question("c", weight=0.15)))
    result = one(q, a="yes", b="yes", c="no")
    assert result.dimensions[0].stages["s1"] == pytest.approx(0.8)
    assert result.dimensions[0].level == 2


def test_a_dimension_with_no_counted_question_has_no_level_or_index_and_is_left_out():
    q = questionnaire(dimension("empty", question("a")), dimension("full", question("b")))
    result = one(q, a=NA, b="no")
    empty, full = result.dimensions
    assert (empty.level, empty.index) == (None, None)
    assert (full.level, full.index) == (0, 0)
    assert (result.overall.level, result.overall.index) == (0, 0)


def test_an_assessment_with_nothing_counted_has_no_overall_level_or_index():
    result = one(YES_NO_PAIR, a=NA, b=NA)
    assert (result.overall.level, result.overall.index) == (None, None)
    assert result.overall.stages == {"s1": None, "s2": None}


# ---- overall level and index ---------------------------------------------------------------

def three_dimensions(overall_level, weights=(1, 1, 1)):
    """Dimensions at levels 0, 1 and 2 (the answers set by `levels_0_1_2`)."""
    dims = [dimension(f"d{i}", question(f"d{i}.a"), question(f"d{i}.b", stage="s2"),
                      weight=w) for i, w in enumerate(weights)]
    return questionnaire(*dims, overall_level=overall_level)


def levels_0_1_2(q):
    return scoring.score_one(q, rows({"d0.a": "no", "d0.b": "no", "d1.a": "yes",
                                      "d1.b": "no", "d2.a": "yes", "d2.b": "yes"}))


def test_overall_level_min_is_the_weakest_dimension():
    result = levels_0_1_2(three_dimensions("min", weights=(1, 5, 5)))
    assert [d.level for d in result.dimensions] == [0, 1, 2]
    assert result.overall.level == 0


@pytest.mark.parametrize("weights, expected", [
    ((1, 1, 1), 1),  # cumulative 1/3, 2/3: level 1 reaches half
    ((3, 1, 1), 0),  # level 0 alone holds 3/5
    ((1, 1, 2), 1),  # 2/4 at level 1 is exactly half: the lower middle
    ((1, 1, 3), 2),
])
def test_overall_level_median_is_the_weighted_lower_middle(weights, expected):
    assert levels_0_1_2(three_dimensions("median", weights)).overall.level == expected


@pytest.mark.parametrize("weights, expected", [
    ((1, 1, 1), 1),  # mean 1
    ((1, 1, 2), 1),  # 5/4
    ((1, 1, 10), 1),  # 21/12
    ((10, 1, 1), 0),  # 3/12
])
def test_overall_level_mean_floor_is_the_floor_of_the_weighted_mean(weights, expected):
    assert levels_0_1_2(three_dimensions("mean_floor", weights)).overall.level == expected


def test_overall_level_mean_floor_is_not_lowered_by_float_error():
    # Levels 0, 0, 2 weighted 0.1, 0.2, 0.3: the mean is 0.6 / 0.6 = 1, which floating
    # point computes as 0.9999999999999998.
    q = three_dimensions("mean_floor", weights=(0.1, 0.2, 0.3))
    answers = {"d0.a": "no", "d1.a": "no", "d2.a": "yes", "d2.b": "yes"}
    assert scoring.score_one(q, rows(answers)).overall.level == 1


def test_overall_index_mean_weighs_dimension_indices_by_dimension_weight():
    q = questionnaire(dimension("x", question("x.a"), weight=3),
                      dimension("y", question("y.a"), question("y.b"), question("y.c"),
                                question("y.d")))
    result = scoring.score_one(q, rows({"x.a": "yes", "y.a": "yes"}))
    assert [d.index for d in result.dimensions] == [100, 25]
    assert result.overall.index == pytest.approx((3 * 100 + 25) / 4)


def test_overall_index_pooled_weighs_every_question():
    q = questionnaire(dimension("x", question("x.a"), weight=3),
                      dimension("y", question("y.a"), question("y.b"), question("y.c"),
                                question("y.d")), overall_index="pooled")
    result = scoring.score_one(q, rows({"x.a": "yes", "y.a": "yes"}))
    assert result.overall.index == pytest.approx(40.0)  # 2 of 5 questions


def test_overall_stages_pool_the_stage_sums_of_all_dimensions():
    q = questionnaire(dimension("x", question("x.a", weight=3)),
                      dimension("y", question("y.a"), question("y.b", stage="s2")))
    result = scoring.score_one(q, rows({"x.a": "yes", "y.a": "no", "y.b": "yes"}))
    assert result.overall.stages == {"s1": 0.75, "s2": 1.0}


def test_the_methodologists_worked_example():
    """questionnaires/README.md §3: 58.33, 66.67, level 0, 62.50 (pooled 61.11)."""
    scales = {"implementation": [{"value": v, "points": p, "label": {"en": v}}
                                 for v, p in (("none", 0), ("partial", 1), ("full", 2))]}
    interagency = [{"value": v, "points": p, "label": {"en": v}}
                   for v, p in (("paper", 0), ("files", 1), ("online", 2))]
    declaring = dimension(
        "declaring",
        question("declaring.e-declaration", "scale", "electronic", 2, scale="implementation"),
        question("declaring.auto-release", "yes_no", "digital",
                 show_if={"question": "declaring.e-declaration", "in": ["partial", "full"]}),
        number("declaring.release-hours", {"max": 4, "points": 2}, {"max": 24, "points": 1},
               {"points": 0}, stage="digital", weight=3))
    exchange = dimension(
        "exchange",
        question("exchange.interagency", "choice", "electronic", 2, choices=interagency),
        question("exchange.pilot", "yes_no", "digital"),
        question("exchange.comments", "text", "digital"))
    answers = rows({"declaring.e-declaration": "full", "declaring.auto-release": "no",
                    "declaring.release-hours": "12", "exchange.interagency": "files",
                    "exchange.pilot": "yes", "exchange.comments": "Pilot since 2025"})
    for overall_index, expected in (("mean", 62.5), ("pooled", 100 * 5.5 / 9)):
        q = questionnaire(declaring, exchange, stages=("electronic", "digital"),
                          scales=scales, overall_index=overall_index)
        result = scoring.score_one(q, answers)
        assert [round(d.index, 2) for d in result.dimensions] == [58.33, 66.67]
        assert [d.level for d in result.dimensions] == [1, 0]
        assert result.overall.level == 0
        assert result.overall.index == pytest.approx(expected)
    roadmap = {k: [g.question_key for g in v] for k, v in result.explanation.items()}
    assert roadmap == {"declaring": ["declaring.release-hours", "declaring.auto-release"],
                       "exchange": ["exchange.interagency"]}


# ---- index-only questionnaires --------------------------------------------------------

def test_a_questionnaire_without_stages_gives_indices_and_no_levels():
    q = questionnaire(dimension("x", question("x.a", stage=None), question("x.b", stage=None)),
                      dimension("y", question("y.a", stage=None)), stages=())
    result = scoring.score_one(q, rows({"x.a": "yes", "x.b": "no", "y.a": "yes"}))
    assert [d.index for d in result.dimensions] == [50, 100]
    assert result.overall.index == 75
    assert {d.level for d in (*result.dimensions, result.overall)} == {None}
    assert {len(d.stages) for d in (*result.dimensions, result.overall)} == {0}
    assert result.explanation == {"x": (), "y": ()}


# ---- explanation -----------------------------------------------------------------------

def test_the_explanation_lists_the_first_unattained_stage_largest_shortfall_first():
    q = questionnaire(dimension(
        "d",
        question("done", weight=5),
        question("small", weight=1), question("big", weight=3), question("tie", weight=1),
        choice("half", 0, 1, 2, weight=4), question("gone", weight=9),
        question("later", stage="s2", weight=9)))
    result = one(q, done="yes", small="no", tie="no", half="c1", gone=NA, later="no")
    gaps = result.explanation["d"]
    assert [(g.question_key, g.shortfall) for g in gaps] == [
        ("big", 3.0), ("half", 2.0), ("small", 1.0), ("tie", 1.0)]
    big, half = gaps[0], gaps[1]
    assert (big.not_answered, big.value, big.points_share, big.stage) == (True, None, 0, "s1")
    assert (half.not_answered, half.value, half.points_share) == (False, "c1", 0.5)


def test_the_explanation_includes_unanswered_questions_even_under_exclude():
    q = questionnaire(dimension("d", question("a"), question("b")), unanswered="exclude")
    result = one(q, a="no")
    assert [g.question_key for g in result.explanation["d"]] == ["a", "b"]


def test_the_explanation_is_empty_at_the_top_level():
    result = one(YES_NO_PAIR, a="yes", b="yes")
    assert result.explanation == {"d": ()}


def test_the_explanation_leaves_out_hidden_questions():
    result = one(SHOW_IF, gate="no", other="no")
    assert [g.question_key for g in result.explanation["d"]] == ["other", "gate"]


# ---- completeness and counts ------------------------------------------------------------

def test_completeness_is_required_answered_over_required_visible():
    q = questionnaire(dimension("d", question("a"), question("b"), question("c"),
                                question("optional", required=False)))
    result = one(q, a="yes", b=NA, optional="yes")
    assert (result.overall.required_answered, result.overall.required_visible) == (2, 3)
    assert result.overall.completeness == pytest.approx(2 / 3)
    assert (result.overall.answered, result.overall.applicable) == (3, 3)


def test_completeness_is_empty_without_required_questions():
    q = questionnaire(dimension("d", question("a", required=False)))
    assert one(q).overall.completeness is None
