"""The way to the next level (DESIGN §4 explanation): points lacking and the smallest set, by hand."""

import pytest

import scoring
from test_engine import choice, dimension, one, question, questionnaire


def four_criteria():
    """Stage s1: a (w 3, 0/1/2/4 points), b (w 2, yes/no), c (w 1, yes/no), e (w 4, 0..4 points)."""
    return questionnaire(dimension("d", choice("a", 0, 1, 2, 4, weight=3), question("b", weight=2),
                                   question("c"), choice("e", 0, 1, 2, 3, 4, weight=4),
                                   question("f", stage="s2")))


def test_the_first_stage_lacks_threshold_times_its_weight_less_the_points_won():
    # Σw = 10, Σwp = 3·0.5 + 0 + 1 + 4·0.25 = 3.5; 0.8 · 10 − 3.5 = 4.5
    result = one(four_criteria(), a="c2", b="no", c="yes", e="c1", f="yes")
    assert result.dimensions[0].level == 0
    assert result.dimensions[0].points_lacking == pytest.approx(4.5)


def test_the_smallest_set_takes_the_largest_shortfall_first_until_the_threshold_is_reached():
    # shortfalls: e 4·0.75 = 3, b 2, a 1.5 (c is full: no gap); 3 < 4.5, 3 + 2 = 5 >= 4.5
    result = one(four_criteria(), a="c2", b="no", c="yes", e="c1", f="yes")
    way = scoring.next_level(result, 0.8)["d"]
    assert (way.stage, way.criteria, way.reachable) == ("s1", ("e", "b"), True)
    assert way.points_lacking == pytest.approx(4.5)


def test_at_the_second_stage_only_its_own_criteria_count():
    q = questionnaire(dimension("d", question("a"), question("f", stage="s2", weight=2),
                                question("g", stage="s2"), question("h", stage="s2")))
    # s1 attained; s2: Σw = 4, Σwp = 1 (h); 0.8 · 4 − 1 = 2.2; f gains 2 (< 2.2), then g: 3
    way = scoring.next_level(one(q, a="yes", f="no", g="no", h="yes"), 0.8)["d"]
    assert (way.stage, way.criteria) == ("s2", ("f", "g"))
    assert way.points_lacking == pytest.approx(2.2)


def test_reaching_the_threshold_exactly_is_enough():
    q = questionnaire(dimension("d", question("a"), question("b"), question("c", weight=2)),
                      stage_threshold=0.75)
    # Σw = 4, Σwp = 1; 0.75 · 4 − 1 = 2 = c's shortfall alone
    way = scoring.next_level(one(q, a="yes", b="no", c="no"), 0.75)["d"]
    assert way.criteria == ("c",) and way.points_lacking == pytest.approx(2.0)


def test_an_unanswered_criterion_under_exclude_gains_only_its_weight_times_one_minus_the_threshold():
    q = questionnaire(dimension("d", question("a"), question("b"), question("c", weight=2)),
                      unanswered="exclude")
    # counted a, b: Σw = 2, Σwp = 1, lacking 0.6. c (unanswered, not counted) would gain 2 · 0.2 = 0.4
    # only ((1 + 2) / 4 = 0.75 < 0.8), b gains 1: b alone is the smallest set, though c's shortfall is larger
    result = one(q, a="yes", b="no")
    gaps = {g.question_key: g for g in result.explanation["d"]}
    assert (gaps["b"].counted, gaps["c"].counted, gaps["c"].shortfall) == (True, False, 2.0)
    way = scoring.next_level(result, 0.8)["d"]
    assert way.criteria == ("b",) and way.points_lacking == pytest.approx(0.6)


def test_a_hidden_follow_up_counted_as_zero_gains_its_whole_weight():
    q = questionnaire(dimension("d", question("a"), question("f", weight=3, show_if={"question": "a", "in": ["yes"]}),
                                question("g")), hidden="zero")
    # a = no hides f, which counts with p = 0: Σw = 5, Σwp = 1 (g); 4 − 1 = 3; f gains 3, a gains 1
    way = scoring.next_level(one(q, a="no", g="yes"), 0.8)["d"]
    assert way.criteria == ("f",) and way.points_lacking == pytest.approx(3.0)


def test_the_top_level_and_questionnaires_without_stages_have_no_way_to_show():
    full = one(four_criteria(), a="c4", b="yes", c="yes", e="c4", f="yes")
    assert full.dimensions[0].points_lacking is None and scoring.next_level(full, 0.8) == {}
    flat = questionnaire(dimension("d", question("a", stage=None)), stages=())
    assert scoring.next_level(one(flat, a="no"), 0.8) == {}
    assert one(flat, a="no").overall.points_lacking is None


def test_the_smallest_set_is_never_larger_than_any_other_set_that_reaches_the_threshold():
    from itertools import combinations
    result = one(four_criteria(), a="c1", b="no", c="no", e="c0", f="yes")
    gaps, lacking = result.explanation["d"], result.dimensions[0].points_lacking
    chosen, _ = scoring.smallest_set(gaps, lacking, 0.8)
    enough = [size for size in range(1, len(gaps) + 1) for combo in combinations(gaps, size)
              if sum(g.shortfall for g in combo) >= lacking - 1e-9]
    assert len(chosen) == min(enough)
