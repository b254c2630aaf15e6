"""Scoring 1 figures, recorded with the engine of scoring version 1.0.0, hold under the defaults.

The file ``data/golden-scoring-1.json`` was written by running this module as a script
with the scoring 1 engine on the path (``git show 2b316e5:scoring/...``): random but
seeded answers (values, blanks, not-applicable flags, evidence flags the old engine
ignored) to the shipped questionnaires and the test questionnaire, and every figure the
engine returned. Scoring 2 must give exactly the same figures for files without the
additions: ``hidden`` defaults to ``exclude``, and evidence and measures are new outputs.
"""

import json
import random
import sys
from pathlib import Path

import pytest

import scoring

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "data" / "golden-scoring-1.json"
FILES = ("questionnaires/digital-customs-maturity/2026.1.yaml",
         "questionnaires/single-window/2026.1.yaml", "tests/scoring/data/minimal.yaml")
ASSESSMENTS = 40


def answer_rows(q, seed):
    """Seeded answers of ASSESSMENTS assessments, every kind of answer represented."""
    rng = random.Random(seed)
    rows = []
    for assessment in range(ASSESSMENTS):
        for x in q.questions:
            draw = rng.random()
            if draw < 0.08:
                continue
            value, na = None, False
            if draw < 0.14:
                na = True
            elif x.type == "number":
                value = str(rng.choice([0, 1, 3, 4, 5, 12, 24, 25, 48, 100]))
            elif x.type == "text":
                value = "text"
            else:
                options = [o.value for o in x.options]
                value = rng.choice(options + options[-1:] * 2)  # better answers more often
            rows.append({"assessment_id": assessment, "question_key": x.key, "value": value,
                         "not_applicable": na, "has_evidence": rng.random() < 0.5})
    return rows


def figures(result):
    """Every figure of scoring 1, as plain JSON values."""
    def dimension(d):
        return [d.key, d.level, d.index, d.stages, d.answered, d.applicable,
                d.required_answered, d.required_visible, d.completeness]
    return {"overall": dimension(result.overall),
            "dimensions": [dimension(d) for d in result.dimensions],
            "explanation": {k: [[g.question_key, g.stage, g.weight, g.points_share,
                                 g.shortfall, g.value, g.not_answered] for g in gaps]
                            for k, gaps in result.explanation.items()},
            "hidden": sorted(result.hidden)}


def all_figures():
    recorded = {}
    for seed, path in enumerate(FILES):
        q = scoring.load_file(ROOT / path)
        results = scoring.score(q, answer_rows(q, seed), assessment_ids=range(ASSESSMENTS))
        recorded[path] = [figures(r) for r in results]
    return recorded


@pytest.mark.parametrize("path", FILES)
def test_scoring_2_gives_the_figures_of_scoring_1_under_the_defaults(path):
    recorded = json.loads(GOLDEN.read_text(encoding="utf-8"))[path]
    q = scoring.load_file(ROOT / path)
    results = scoring.score(q, answer_rows(q, FILES.index(path)),
                            assessment_ids=range(ASSESSMENTS))
    assert json.loads(json.dumps([figures(r) for r in results])) == recorded


if __name__ == "__main__":  # python tests/scoring/test_golden_scoring_1.py OUT.json
    Path(sys.argv[1]).write_text(json.dumps(all_figures(), ensure_ascii=False, indent=0),
                                 encoding="utf-8")
