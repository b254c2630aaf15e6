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


@st.composite
def questionnaire_data(draw, show_if=True):
    """The data of a small questionnaire: 0-3 stages, 1-3 dimensions, 1-5 questions each."""
    stages = STAGES[:draw(st.integers(0, 3))]
    targets, dimensions = [], []
    for d in range(draw(st.integers(1, 3))):
        questions = []
        for i in range(draw(st.integers(1, 5))):
            item = draw(question_data(f"d{d}.q{i}", stages))
            if show_if and targets and draw(st.integers(0, 2)) == 0:
                item["show_if"] = draw(condition(draw(st.sampled_from(targets))))
            questions.append(item)
            if item["type"] != "text":
                targets.append(item)
        dimensions.append({"key": f"d{d}", "title": {"en": "D"}, "weight": draw(WEIGHTS),
                           "questions": questions})
    return {"format": 1, "id": "h", "version": "1", "status": "draft", "languages": ["en"],
            "title": {"en": "H"}, "stages": [{"key": s, "label": {"en": s}} for s in stages],
            "scoring": draw(rules()), "scales": {"scale": SCALE}, "dimensions": dimensions}


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


def _options(item):
    if item["type"] == "yes_no":
        return [{"value": "yes"}, {"value": "no"}]
    return SCALE if item["type"] == "scale" else item["choices"]


@st.composite
def rules(draw):
    return {"stage_threshold": draw(st.sampled_from([0.5, 0.8, 1])),
            "overall_level": draw(st.sampled_from(["min", "median", "mean_floor"])),
            "overall_index": draw(st.sampled_from(["mean", "pooled"])),
            "unanswered": draw(st.sampled_from(["zero", "exclude"]))}


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
def scored_case(draw, show_if=True, assessments=1):
    q = scoring.parse(draw(questionnaire_data(show_if)), "hypothesis")
    return q, [draw(answers_to(q)) for _ in range(assessments)]


def records(answers, assessment_id=None):
    return [{"assessment_id": assessment_id, "question_key": key, "value": value,
             "not_applicable": na} for key, (value, na) in answers.items()]


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
