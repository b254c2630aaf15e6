"""score_table gives exactly the figures of score, as DataFrames."""

import math

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import scoring
from test_properties import SETTINGS, records, scored_case


def nullable(value):
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


@SETTINGS
@given(scored_case(assessments=3), st.data())
def test_the_table_holds_the_figures_of_score(case, data):
    q, answer_sets = case
    keys = [x.key for x in q.questions]
    rows = [r for i, answers in enumerate(answer_sets)
            for r in records(answers, i, data.draw(st.sets(st.sampled_from(keys))))]
    ids = list(range(len(answer_sets)))
    results, table = scoring.score(q, rows, assessment_ids=ids), scoring.score_table(q, rows, ids)
    dimensions = table.dimensions.astype(object).where(table.dimensions.notna(), None)
    expected = []
    for result in results:
        for d in (*result.dimensions, result.overall):
            expected.append([result.assessment_id, d.key, d.level, d.index,
                             *[d.stages[k] for k in q.stage_keys], d.answered, d.applicable,
                             d.required_answered, d.required_visible, d.completeness,
                             d.evidence_coverage,
                             ";".join(result.weakest) if d.key == "_overall" else ""])
    assert [[nullable(v) for v in row] for row in dimensions.values.tolist()] == expected
    assert [[r, m, nullable(a), s, n] for r, m, a, s, n in table.measures.values.tolist()] == [
        [r.assessment_id, m.id, m.attainment, m.status, m.criteria]
        for r in results for m in r.measures]
    assert table.gaps.values.tolist() == [
        [r.assessment_id, key, g.question_key, g.stage, g.weight, g.points_share, g.shortfall,
         g.value, g.not_answered]
        for r in results for key in (d.key for d in q.dimensions) for g in r.explanation[key]]


def test_an_empty_input_gives_empty_tables_with_their_columns():
    q = scoring.load_file("tests/scoring/data/minimal.yaml")
    table = scoring.score_table(q, pd.DataFrame(columns=["assessment_id", "question_key", "value"]))
    assert len(table.dimensions) == len(table.measures) == len(table.gaps) == 0
    assert "level" in table.dimensions and "shortfall" in table.gaps
