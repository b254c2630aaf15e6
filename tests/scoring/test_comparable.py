"""Like-for-like across versions: restrict to the shared criteria, then score (hand-computed)."""

import pytest

import scoring
from test_engine import dimension, question, rows


def version(number, *questions, supersedes=None, **rules):
    data = {"format": 1, "id": "t", "version": number, "status": "draft", "languages": ["en"],
            "title": {"en": "T"}, "stages": [{"key": s, "label": {"en": s}} for s in ("s1", "s2")],
            "scoring": rules, "dimensions": [dimension("d", *questions)]}
    if supersedes:
        data["supersedes"] = supersedes
    return scoring.parse(data, "test")


# 2025: a (w 1), b (w 2), f (w 1) at s1, c (w 1) at s2
OLD = version("2025", question("a"), question("b", weight=2), question("f"), question("c", stage="s2"))
# 2026: a unchanged, b renamed b2, f moved to s2 (not comparable), c dropped, e new
NEW = version("2026", question("a"), question("b2", weight=2), question("f", stage="s2"),
              question("e", stage="s2"),
              supersedes={"version": "2025", "renamed": {"b": "b2"}, "dropped": ["c"]})


def index(q, **answers):
    return scoring.score_one(q, rows(answers)).overall.index


def test_only_criteria_with_the_same_stage_and_scoring_in_both_versions_are_comparable():
    assert scoring.comparable_pairs(OLD, NEW) == {"a": "a", "b": "b2"}
    assert scoring.common_criteria([OLD, NEW]) == [frozenset({"a", "b"}), frozenset({"a", "b2"})]


def test_a_version_change_alone_moves_the_full_index_but_not_the_comparable_one():
    old_answers, new_answers = dict(a="yes", b="no", f="yes", c="yes"), dict(a="yes", b2="no", f="no", e="yes")
    # full: 2025 (1 + 0 + 1 + 1) / 5 = 60; 2026 (1 + 0 + 0 + 1) / 5 = 40
    assert index(OLD, **old_answers) == pytest.approx(60.0)
    assert index(NEW, **new_answers) == pytest.approx(40.0)
    old_keys, new_keys = scoring.common_criteria([OLD, NEW])
    # comparable: a and b only, both years (1 + 2·0) / 3 = 33.33
    assert index(scoring.restrict(OLD, old_keys), **old_answers) == pytest.approx(100 / 3)
    assert index(scoring.restrict(NEW, new_keys), **new_answers) == pytest.approx(100 / 3)


def test_a_restricted_questionnaire_scores_under_the_rules_it_is_given():
    old = version("2025", question("a"), question("b", weight=2), stage_threshold=0.5)
    new = version("2026", question("a"), question("b", weight=2), stage_threshold=0.9)
    keys = scoring.common_criteria([old, new])[0]
    result = scoring.score_one(scoring.restrict(old, keys, rules_from=new), rows(dict(a="no", b="yes")))
    assert result.dimensions[0].stages["s1"] == pytest.approx(2 / 3) and result.dimensions[0].level == 0


def test_a_kept_criterion_keeps_its_gate_which_adds_nothing_to_the_sums():
    q = version("1", question("g"), question("k", weight=2, show_if={"question": "g", "in": ["yes"]}),
                question("x"))
    restricted = scoring.restrict(q, {"k"})
    assert [(x.key, x.weight) for x in restricted.questions] == [("g", 0.0), ("k", 2.0)]
    assert index(restricted, g="yes", k="yes") == pytest.approx(100.0)
    assert index(restricted, g="no", k="yes") is None  # k hidden (exclude): nothing counts


def test_a_criterion_renamed_twice_is_followed_through_both_crosswalks():
    v1 = version("1", question("a"), question("z"))
    v2 = version("2", question("a2"), question("z"), supersedes={"version": "1", "renamed": {"a": "a2"}})
    v3 = version("3", question("a3"), supersedes={"version": "2", "renamed": {"a2": "a3"}, "dropped": ["z"]})
    assert scoring.common_criteria([v1, v2, v3]) == [frozenset({"a"}), frozenset({"a2"}), frozenset({"a3"})]


@pytest.mark.parametrize("keys", [[], ["c"], ["no-such-question"]])
def test_restricting_to_no_question_of_the_version_is_refused_with_a_clear_error(keys):
    # "c" was dropped in 2026: nothing of NEW would be left, and an empty questionnaire cannot be scored
    with pytest.raises(ValueError, match="nothing would be left to score"):
        scoring.restrict(NEW, keys)
    assert index(scoring.restrict(NEW, ["a"]), a="yes") == 100.0
