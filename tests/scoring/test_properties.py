"""Properties of the engine over generated questionnaires and answers (Hypothesis)."""

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scoring

SETTINGS = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
STAGES = ("s1", "s2", "s3")
POINTS = st.sampled_from([0, 0.5, 1, 2, 3])
WEIGHTS = st.sampled_from([0.5, 1, 2, 3])
TYPES = st.sampled_from(["yes_no", "choice", "scale", "number", "text"])
SCALE = [{"value": v, "points": p, "label": {"en": v}}
         for v, p in (("none", 0), ("some", 1), ("full", 3))]


MEASURES = ("1.1", "1.2", "2.1")


@st.composite
def questionnaire_data(draw, show_if=True, hidden=None, unanswered=None, upward=False):
    """The data of a small questionnaire: 0-3 stages, 1-3 dimensions, 1-5 questions each.

    ``hidden`` forces one rule on every question; otherwise the questionnaire rule and the
    per-question overrides are drawn. A catalogue of up to three measures is drawn too.
    ``upward`` makes every show_if a follow-up that opens upward: it depends on a scale,
    choice or yes/no answer and is shown by every answer scoring at least some cut, so a
    better answer to its gate never hides it.
    """
    stages = STAGES[:draw(st.integers(0, 3))]
    measures = MEASURES[:draw(st.integers(0, 3))]
    targets, dimensions = [], []
    for d in range(draw(st.integers(1, 3))):
        questions = []
        for i in range(draw(st.integers(1, 5))):
            item = draw(question_data(f"d{d}.q{i}", stages))
            if hidden is None and draw(st.integers(0, 3)) == 0:
                item["hidden"] = draw(st.sampled_from(["exclude", "zero"]))
            if measures:
                item["measures"] = draw(st.lists(st.sampled_from(measures), unique=True,
                                                 max_size=2))
            if show_if and targets and draw(st.integers(0, 2)) == 0:
                target = draw(st.sampled_from(targets))
                item["show_if"] = draw(upward_condition(target) if upward else condition(target))
            questions.append(item)
            if item["type"] != "text" and not (upward and item["type"] == "number"):
                targets.append(item)
        dimensions.append({"key": f"d{d}", "title": {"en": "D"}, "weight": draw(WEIGHTS),
                           "questions": questions})
    scoring_rules = draw(rules())
    if hidden is not None:
        scoring_rules["hidden"] = hidden
    if unanswered is not None:
        scoring_rules["unanswered"] = unanswered
    return {"format": 1, "id": "h", "version": "1", "status": "draft", "languages": ["en"],
            "title": {"en": "H"}, "stages": [{"key": s, "label": {"en": s}} for s in stages],
            "scoring": scoring_rules, "scales": {"scale": SCALE}, "dimensions": dimensions,
            "measures": [{"id": m, "title": {"en": m}} for m in measures]}


@st.composite
def question_data(draw, key, stages):
    kind = draw(TYPES)
    item = {"key": key, "type": kind, "text": {"en": key}, "weight": draw(WEIGHTS),
            "required": draw(st.booleans())}
    if stages:
        item["stage"] = draw(st.sampled_from(stages))
    if kind == "scale":
        item["scale"] = "scale"
    elif kind == "choice":
        points = draw(st.lists(POINTS, min_size=1, max_size=4))
        item["choices"] = [{"value": f"c{j}", "points": p, "label": {"en": "c"}}
                           for j, p in enumerate(points)]
    elif kind == "number":
        item["bands"] = draw(bands())
    return item


@st.composite
def bands(draw):
    edges = sorted(draw(st.lists(st.integers(0, 50), min_size=1, max_size=3, unique=True)))
    bound = draw(st.sampled_from(["max", "min"]))
    ordered = edges if bound == "max" else edges[::-1]
    result = [{bound: edge, "points": draw(POINTS)} for edge in ordered]
    if draw(st.booleans()):
        result.append({"points": draw(POINTS)})
    return result


@st.composite
def condition(draw, target):
    if target["type"] == "number":
        return {"question": target["key"], "op": draw(st.sampled_from(["<", "<=", ">", ">=",
                                                                         "=="])),
                "value": draw(st.integers(0, 50))}
    values = [o["value"] for o in _options(target)]
    chosen = draw(st.lists(st.sampled_from(values), min_size=1, unique=True))
    return {"question": target["key"], "in": chosen}


@st.composite
def upward_condition(draw, target):
    options = _options(target)
    points = [o.get("points", 1 if o["value"] == "yes" else 0) for o in options]
    cut = draw(st.sampled_from(points))
    return {"question": target["key"],
            "in": [o["value"] for o, p in zip(options, points) if p >= cut]}


def _options(item):
    if item["type"] == "yes_no":
        return [{"value": "yes"}, {"value": "no"}]
    return SCALE if item["type"] == "scale" else item["choices"]


@st.composite
def rules(draw):
    return {"stage_threshold": draw(st.sampled_from([0.5, 0.8, 1])),
            "overall_level": draw(st.sampled_from(["min", "median", "mean_floor"])),
            "overall_index": draw(st.sampled_from(["mean", "pooled"])),
            "unanswered": draw(st.sampled_from(["zero", "exclude"])),
            "hidden": draw(st.sampled_from(["exclude", "zero"]))}


def value_of(question):
    """A strategy of valid values for a question."""
    if question.type == "number":
        return st.integers(0, 60).map(str)
    if question.type == "text":
        return st.just("some text")
    return st.sampled_from([o.value for o in question.options])


@st.composite
def answers_to(draw, q):
    """question key -> (value or None, not applicable); unanswered questions are absent."""
    answers = {}
    for question in q.questions:
        state = draw(st.sampled_from(["value", "value", "value", "blank", "na"]))
        if state == "na":
            answers[question.key] = (None, True)
        elif state == "value":
            answers[question.key] = (draw(value_of(question)), False)
    return answers


@st.composite
def scored_case(draw, show_if=True, assessments=1, hidden=None, unanswered=None,
                upward=False):
    data_ = draw(questionnaire_data(show_if, hidden, unanswered, upward))
    q = scoring.parse(data_, "hypothesis")
    return q, [draw(answers_to(q)) for _ in range(assessments)]


def records(answers, assessment_id=None, evidence=frozenset()):
    return [{"assessment_id": assessment_id, "question_key": key, "value": value,
             "not_applicable": na, "has_evidence": key in evidence}
            for key, (value, na) in answers.items()]


def all_scores(result):
    return (*result.dimensions, result.overall)


# ---- bounds ------------------------------------------------------------------------------

@SETTINGS
@given(scored_case())
def test_indices_stay_within_0_and_100_and_levels_within_the_stages(case):
    q, [answers] = case
    result = scoring.score_one(q, records(answers))
    for score in all_scores(result):
        assert score.index is None or 0 <= score.index <= 100 + 1e-9
        assert score.level is None or 0 <= score.level <= len(q.stages)
        assert all(a is None or 0 <= a <= 1 + 1e-12 for a in score.stages.values())
        assert score.completeness is None or 0 <= score.completeness <= 1
        assert score.required_answered <= score.required_visible
    if not q.stages:
        assert all(score.level is None for score in all_scores(result))


@SETTINGS
@given(scored_case())
def test_hidden_questions_are_those_visible_questions_leaves_out(case):
    q, [answers] = case
    result = scoring.score_one(q, records(answers))
    visible = scoring.visible_questions(q, answers)
    assert visible | result.hidden == {x.key for x in q.questions}
    assert not visible & result.hidden


# ---- monotonicity -------------------------------------------------------------------------

def raisable(q, answers):
    """Scored questions no show_if depends on, whose answer can be raised or kept."""
    targets = {x.show_if.question for x in q.questions if x.show_if}
    unanswered_counts = q.rules.unanswered == "zero"
    return [x for x in q.questions if x.scored and x.key not in targets
            and not answers.get(x.key, (None, False))[1]
            and (x.key in answers or unanswered_counts)]


@SETTINGS
@given(scored_case(), st.data())
def test_raising_an_answer_no_show_if_depends_on_never_lowers_an_index_or_level(case, data):
    # Raising the answer of a show_if target may reveal questions that score less, so
    # the property holds for every other question, in questionnaires with show_if too.
    q, [answers] = case
    candidates = raisable(q, answers)
    if not candidates:
        return
    question = data.draw(st.sampled_from(candidates))
    old_value = answers.get(question.key, (None, False))[0]
    old_points = question.points(old_value) if old_value is not None else 0.0
    new_value = data.draw(value_of(question).filter(lambda v: question.points(v) >= old_points))
    before = scoring.score_one(q, records(answers))
    after = scoring.score_one(q, records(answers | {question.key: (new_value, False)}))
    for old, new in zip(all_scores(before), all_scores(after)):
        assert (old.index is None) == (new.index is None)
        assert old.index is None or new.index >= old.index - 1e-9
        assert old.level is None or new.level >= old.level
        for stage, attainment in old.stages.items():
            assert attainment is None or new.stages[stage] >= attainment - 1e-12


def raise_any_answer(case, data):
    """Scores before and after raising (or keeping) one scored answer, targets included."""
    q, [answers] = case
    unanswered_counts = q.rules.unanswered == "zero"
    candidates = [x for x in q.questions if x.scored and not answers.get(x.key, (None, False))[1]
                  and (x.key in answers or unanswered_counts)]
    if not candidates:
        return None
    question = data.draw(st.sampled_from(candidates))
    old_value = answers.get(question.key, (None, False))[0]
    old_points = question.points(old_value) if old_value is not None else 0.0
    new_value = data.draw(value_of(question).filter(lambda v: question.points(v) >= old_points))
    return (scoring.score_one(q, records(answers)),
            scoring.score_one(q, records(answers | {question.key: (new_value, False)})))


@SETTINGS
@given(scored_case(hidden="zero", unanswered="zero", upward=True), st.data())
def test_with_hidden_zero_everywhere_raising_any_answer_never_lowers_a_figure(case, data):
    # No exception for show_if targets: revealing a follow-up moves it from p = 0 to its
    # own p >= 0 (an unanswered one scores 0 under unanswered: zero), so nothing falls,
    # and nothing that had a figure loses it (DESIGN §4, scoring version 2). Follow-ups
    # open upward, as follow-ups do: a question shown only while its gate is answered
    # badly is an alternative path, and hiding it can lower a score by design.
    scores = raise_any_answer(case, data)
    if scores is None:
        return
    before, after = scores
    for old, new in zip(all_scores(before), all_scores(after)):
        assert (old.index is None) == (new.index is None)
        assert old.index is None or new.index >= old.index - 1e-9
        assert old.level is None or new.level >= old.level
        for stage, attainment in old.stages.items():
            assert attainment is None or new.stages[stage] >= attainment - 1e-12
    for old, new in zip(before.measures, after.measures):
        assert old.attainment is None or new.attainment >= old.attainment - 1e-12


@SETTINGS
@given(scored_case(hidden="zero", unanswered="exclude", upward=True), st.data())
def test_with_hidden_zero_and_unanswered_exclude_a_dimension_never_falls(case, data):
    # Under unanswered: exclude, a follow-up revealed but not yet answered leaves the sums
    # (that is what exclude means): its p = 0 term goes, so every attainment rises or
    # becomes vacuous, which attains the stage. A dimension left with no counted question
    # leaves the overall figures (DESIGN §4), which cannot lower the overall index or a
    # min level; a median or mean_floor of fewer dimensions may move either way.
    scores = raise_any_answer(case, data)
    if scores is None:
        return
    before, after = scores
    for old, new in zip(all_scores(before), all_scores(after)):
        assert old.index is None or new.index is None or new.index >= old.index - 1e-9
        if new.key != "_overall" and old.level is not None and new.level is not None:
            assert new.level >= old.level
        for stage, attainment in old.stages.items():
            fresh = new.stages[stage]
            assert attainment is None or fresh is None or fresh >= attainment - 1e-12
    if before.overall.index is not None:
        assert after.overall.index is not None
    if case[0].rules.overall_level == "min" and before.overall.level is not None:
        assert after.overall.level >= before.overall.level
    for old, new in zip(before.measures, after.measures):
        assert old.attainment is None or new.attainment is None or (
            new.attainment >= old.attainment - 1e-12)


# ---- invariance ----------------------------------------------------------------------------

@SETTINGS
@given(scored_case(), st.randoms(use_true_random=False))
def test_the_order_of_answers_changes_nothing(case, rng):
    q, [answers] = case
    shuffled = records(answers)
    rng.shuffle(shuffled)
    assert scoring.score_one(q, shuffled) == scoring.score_one(q, records(answers))


@SETTINGS
@given(questionnaire_data(), st.data(), st.randoms(use_true_random=False))
def test_the_order_of_questions_within_a_dimension_changes_nothing(data_, data, rng):
    q = scoring.parse(data_, "original")
    answers = data.draw(answers_to(q))
    permuted = scoring.parse(_permute(data_, rng), "permuted")
    before = scoring.score_one(q, records(answers))
    after = scoring.score_one(permuted, records(answers))
    assert after.hidden == before.hidden
    for old, new in zip(all_scores(before), all_scores(after)):
        assert (new.level, new.answered, new.applicable, new.completeness) == (
            old.level, old.answered, old.applicable, old.completeness)
        assert new.index == pytest.approx(old.index)
        assert new.stages == pytest.approx(old.stages)
    for key, gaps in before.explanation.items():
        assert _gap_set(after.explanation[key]) == _gap_set(gaps)


def _permute(data_, rng):
    """The questionnaire with each dimension's questions shuffled, targets kept earlier."""
    placed = set()
    dimensions = []
    for dimension in data_["dimensions"]:
        pending = list(dimension["questions"])
        rng.shuffle(pending)
        ordered = []
        while pending:
            ready = next(x for x in pending
                         if "show_if" not in x or x["show_if"]["question"] in placed)
            pending.remove(ready)
            ordered.append(ready)
            placed.add(ready["key"])
        dimensions.append(dimension | {"questions": ordered})
    return data_ | {"dimensions": dimensions}


def _gap_set(gaps):
    shortfalls = [g.shortfall for g in gaps]
    assert shortfalls == sorted(shortfalls, reverse=True)
    return {(g.question_key, g.value, round(g.shortfall, 9)) for g in gaps}


@SETTINGS
@given(scored_case(assessments=4))
def test_scoring_one_at_a_time_and_in_bulk_gives_identical_results(case):
    q, answer_sets = case
    rows = [r for i, answers in enumerate(answer_sets) for r in records(answers, i)]
    bulk = scoring.score(q, rows, assessment_ids=range(len(answer_sets)))
    single = [scoring.score_one(q, records(answers, i)) for i, answers in enumerate(answer_sets)]
    # score_one cannot know the id of an assessment without answers; the rest must match.
    assert bulk == [dataclasses.replace(s, assessment_id=i) for i, s in enumerate(single)]
