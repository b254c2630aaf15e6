"""Every shipped questionnaire validates, can score 100, and follows the house rules."""

import functools
from pathlib import Path

import pytest

import scoring

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "questionnaires").glob("*/*.yaml"))


def shipped(function):
    """Runs ``function`` once per shipped questionnaire file, named by its path."""
    ids = [str(path.relative_to(ROOT)) for path in SHIPPED]
    return pytest.mark.parametrize("path", SHIPPED, ids=ids)(function)


@functools.cache
def load(path):
    """The parsed file; parsed once, since questionnaires are immutable."""
    return scoring.load_file(path)


def best_answer(question):
    """A value giving the question its highest points (text for text questions)."""
    if question.type == "text":
        return "Described in the annual report"
    if question.type != "number":
        return max(question.options, key=lambda o: o.points).value
    for candidate in _number_candidates(question):
        value = scoring.canonical_number(candidate)
        if _allowed(question, candidate) and question.points(value) == question.max_points:
            return value
    raise AssertionError(f"{question.key}: no allowed number reaches its best band")


def _number_candidates(question):
    edges = {x for band in question.bands for x in (band.min, band.max) if x is not None}
    edges |= {x for x in (question.min, question.max) if x is not None} | {0.0}
    nudged = {x + d for x in edges for d in (-1, -0.5, 0, 0.5, 1)}
    return sorted(nudged)


def _allowed(question, number):
    return ((question.min is None or number >= question.min)
            and (question.max is None or number <= question.max))


def test_at_least_one_questionnaire_is_shipped():
    assert SHIPPED, "no questionnaires/*/*.yaml file"


@shipped
def test_a_shipped_file_validates(path):
    assert scoring.validate_files([path]) == []


@shipped
def test_a_shipped_file_is_named_after_its_id_and_version(path):
    q = load(path)
    assert (path.parent.name, path.stem) == (q.id, q.version)


@shipped
def test_the_best_answers_score_100_and_the_top_level(path):
    q = load(path)
    answers = [{"question_key": x.key, "value": x.normalise(best_answer(x)),
                "not_applicable": False} for x in q.questions]
    result = scoring.score_one(q, answers)
    top = len(q.stages) if q.stages else None
    for score in (*result.dimensions, result.overall):
        assert score.index == pytest.approx(100), score.key
        assert score.level == top, score.key
        assert score.completeness == 1, score.key
    assert all(gaps == () for gaps in result.explanation.values())


@shipped
def test_every_scored_question_cites_a_source(path):
    q = load(path)
    assert [x.key for x in q.questions if x.scored and not x.source.strip()] == []


@shipped
def test_every_dimension_has_scored_questions_at_every_stage(path):
    q = load(path)
    missing = [(d.key, stage) for d in q.dimensions for stage in q.stage_keys
               if not any(x.scored and x.stage == stage for x in d.questions)]
    assert missing == []
