"""What the engine accepts and returns: answer shapes, bulk, results, answer values."""

import collections
import dataclasses
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest

import scoring
from scoring import engine

Q = scoring.load_file(Path(__file__).parent / "data" / "minimal.yaml")
E_DECLARATION, AUTO_RELEASE, HOURS, NOTES, CHANNEL = (x.key for x in Q.questions)


def answer(assessment_id, key, value, not_applicable=False):
    return {"assessment_id": assessment_id, "question_key": key, "value": value,
            "not_applicable": not_applicable}


ANSWERS = [
    answer(2, E_DECLARATION, "yes"), answer(2, AUTO_RELEASE, "full"), answer(2, HOURS, "3"),
    answer(2, CHANNEL, None, True), answer(1, E_DECLARATION, "no"), answer(1, HOURS, "30"),
    answer(1, NOTES, "Paper only"), answer(1, CHANNEL, "online"),
]


def test_score_sorts_by_id_and_scores_assessments_without_answers():
    results = scoring.score(Q, ANSWERS, assessment_ids=[3])
    assert [r.assessment_id for r in results] == [1, 2, 3]
    # 1: processes 0 (weight 1) and exchange 100 (weight 2); 2: exchange is N/A
    assert [r.overall.index for r in results] == [pytest.approx(200 / 3), 100, 0]
    assert results[1].dimensions[1].index is None
    assert results[2].overall.answered == 0


def test_a_dataframe_records_and_row_objects_give_the_same_scores():
    Row = collections.namedtuple("Row", "assessment_id question_key value not_applicable")
    expected = scoring.score(Q, ANSWERS)
    assert scoring.score(Q, pd.DataFrame(ANSWERS)) == expected
    assert scoring.score(Q, [Row(**a) for a in ANSWERS]) == expected
    assert scoring.score(Q, iter(ANSWERS)) == expected


def test_categorical_columns_give_the_same_scores():
    frame = pd.DataFrame(ANSWERS).astype({"question_key": "category", "value": "category"})
    assert scoring.score(Q, frame) == scoring.score(Q, ANSWERS)


@pytest.mark.parametrize("ids", [[7, 3], [-5, 10_000], [2**40, 2**40 + 3]])
def test_integer_ids_dense_or_sparse_are_coded_like_any_other_ids(ids):
    """Integer ids take a presence-table path when their range is small, a hash otherwise:
    both sort the ids and keep every answer with its assessment."""
    rows = [dict(a, assessment_id=ids[a["assessment_id"] - 1]) for a in ANSWERS]
    as_text = [dict(a, assessment_id=f"{a['assessment_id']:020d}") for a in rows] \
        if min(ids) >= 0 else None
    frame = pd.DataFrame(rows)
    assert frame["assessment_id"].dtype.kind == "i"
    results = scoring.score(Q, frame)
    assert [r.assessment_id for r in results] == sorted(ids)
    by_id = {r.assessment_id: r for r in results}
    plain = {r.assessment_id: r for r in scoring.score(Q, ANSWERS)}
    for position, identifier in enumerate(ids, start=1):
        assert dataclasses.replace(by_id[identifier], assessment_id=position) == plain[position]
    if as_text:  # object ids go through pd.factorize: the same order, the same figures
        assert [r.overall for r in scoring.score(Q, as_text)] == [r.overall for r in results]


def test_numbers_may_come_as_numbers_and_the_not_applicable_column_may_be_absent():
    frame = pd.DataFrame({"assessment_id": [1, 1], "question_key": [HOURS, E_DECLARATION],
                          "value": [3.0, None]})
    assert scoring.score(Q, frame)[0].dimensions[0].stages == {"electronic": 0.0,
                                                               "digital": 1.0}


def test_answers_to_unknown_questions_are_ignored():
    extra = ANSWERS + [answer(1, "no.such-question", "yes")]
    assert scoring.score(Q, extra) == scoring.score(Q, ANSWERS)


def test_the_last_of_repeated_answers_counts():
    repeated = [answer(1, E_DECLARATION, "no"), answer(1, E_DECLARATION, "yes")]
    assert scoring.score_one(Q, repeated).hidden == frozenset()


def test_score_one_needs_no_assessment_id_but_refuses_two():
    rows = [{"question_key": E_DECLARATION, "value": "yes"}]
    assert scoring.score_one(Q, rows).assessment_id is None
    assert scoring.score_one(Q, ANSWERS[:4]).assessment_id == 2
    with pytest.raises(ValueError, match="got answers of 2 assessments"):
        scoring.score_one(Q, ANSWERS)


def test_score_needs_assessment_ids():
    with pytest.raises(ValueError, match="no assessment_id column"):
        scoring.score(Q, [{"question_key": E_DECLARATION, "value": "yes"}])


def test_scoring_in_small_blocks_gives_the_same_results():
    whole = scoring.score(Q, ANSWERS, assessment_ids=[0, 9])
    with mock.patch.object(engine, "CHUNK_CELLS", 1):
        assert scoring.score(Q, ANSWERS, assessment_ids=[0, 9]) == whole


def test_results_carry_the_versions_and_are_frozen():
    result = scoring.score_one(Q, ANSWERS[:4])
    assert (result.questionnaire_id, result.questionnaire_version) == ("demo", "2026.1")
    assert result.scoring_version == scoring.SCORING_VERSION
    assert result.dimension("_overall") is result.overall
    assert result.dimension("exchange") is result.dimensions[1]
    assert type(result.overall) is scoring.DimensionScore
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.overall.level = 3


def test_numbers_are_normalised_to_canonical_decimal_text():
    hours = Q.question(HOURS)
    assert [hours.normalise(x) for x in ("12.50", 12, 12.0, "1e1", " 7,5 ", "-0")] == [
        "12.5", "12", "12", "10", "7.5", "0"]
    with pytest.raises(ValueError, match="'twelve' is not a number"):
        hours.normalise("twelve")
    with pytest.raises(ValueError, match="-1 is below the smallest allowed value, 0"):
        hours.normalise(-1)


def test_options_are_normalised_from_their_values_or_labels():
    e_declaration = Q.question(E_DECLARATION)
    assert [e_declaration.normalise(x) for x in ("yes", "No", "Да", True)] == [
        "yes", "no", "yes", "yes"]
    assert Q.question(CHANNEL).normalise("Онлайн") == "online"
    with pytest.raises(ValueError, match=r"'maybe' is not one of the answers .* \(yes, no\)"):
        e_declaration.normalise("maybe")


def test_text_answers_are_stripped_and_must_not_be_empty():
    assert Q.question(NOTES).normalise("  Paper only ") == "Paper only"
    with pytest.raises(ValueError, match="empty"):
        Q.question(NOTES).normalise("   ")


def test_questions_report_their_points_and_labels():
    channel, hours = Q.question(CHANNEL), Q.question(HOURS)
    assert (channel.points("online"), channel.points("fax"), channel.max_points) == (3, None, 3)
    assert (hours.points("4"), hours.points("4.5"), hours.points("x")) == (1, 0.5, None)
    assert channel.option_label("paper", "ru") == "Бумага"
    assert channel.option_label("paper", "kk") == "Paper"
    assert Q.question(NOTES).points("text") is None and not Q.question(NOTES).scored
