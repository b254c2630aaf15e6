"""Benchmark of the scoring engine against a plain pandas group-by of the same points.

Run by hand: ``python benchmarks/scoring.py [--countries 200] [--cycles 20]``. It builds a
synthetic questionnaire (250 questions, 9 dimensions, 4 stages, every question type,
number bands and show_if chains) and answers of every country in every cycle (about a
million rows, seeded), then prints times, their ratio and peak memory.

The questionnaire uses the additions of scoring version 2 (a measures catalogue cited by
the questions, ``hidden: zero`` on half the follow-ups) and the answers carry
``has_evidence``, so the bulk run computes every new output: evidence coverage, weakest
dimensions and measure attainment. The scoring 1 engine (scoring version 1.0.0, taken
from git at SCORING_1_COMMIT into a temporary directory) scores the same answers in the
same run, so the ratio of the two is measured, not remembered. Scoring 2 is timed both as
``score_table`` (the bulk path: every figure as DataFrame columns) and as ``score`` (one
frozen result object per assessment, dimension, measure and gap, as scoring 1 returned).

Baselines (group-by sums per assessment x dimension x stage, the groups whose sums give
the stage attainments; no visibility, no levels, no ratios):

- ``lookup+groupby``: map every (question, value) to its dimension, stage and weighted
  points by a merge with a lookup table, then group-by sum — the least a scorer starting
  from the same answer rows must do;
- ``groupby only``: the group-by sum alone, on precomputed weighted points, keyed as the
  lookup gives them (string dimension and stage keys, integer assessment ids): the
  target of DESIGN's benchmark item. The same is measured with categorical keys against
  the engine given categorical question keys and values, so that each comparison starts
  from the same kind of key columns.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.util
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import scoring  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
#: the last commit of scoring version 1.0.0 (before "Scoring model 2")
SCORING_1_COMMIT = "2b316e5eae9a0593206961ad14ee471dfab66942"
MEASURES = 30
STAGES = ("paperless", "electronic", "digital", "smart")
LEVELS = ("none", "pilot", "partial", "full")
TYPES = ("scale",) * 12 + ("yes_no",) * 3 + ("choice",) * 2 + ("number",) * 2 + ("text",)


def text(word: str) -> dict:
    """A text in both languages."""
    return {"en": word, "ru": f"{word} (ru)"}


def synthetic_questionnaire(questions: int = 250, dimensions: int = 9, seed: int = 1,
                            additions: bool = True) -> dict:
    """Questionnaire data with mixed types, bands and show_if (some chained).

    With ``additions``, a catalogue of MEASURES measures, each question citing up to two,
    and ``hidden: zero`` on every other follow-up; without, a file scoring 1 can read.
    """
    rng = np.random.default_rng(seed)
    items = [_question(i, rng) for i in range(questions)]
    _add_show_ifs(items, rng)
    if additions:
        _add_measures(items, rng)
    per = -(-questions // dimensions)
    data = {
        "format": 1, "id": "synthetic", "version": "1", "status": "draft",
        "languages": ["en", "ru"], "title": text("Synthetic"),
        "stages": [{"key": s, "label": text(s)} for s in STAGES],
        "scoring": {"stage_threshold": 0.8, "overall_level": "median",
                    "overall_index": "mean", "unanswered": "zero"},
        "scales": {"impl": [{"value": v, "points": p, "label": text(v)}
                            for p, v in enumerate(LEVELS)]},
        "dimensions": [{"key": f"d{d}", "title": text(f"D{d}"), "weight": 1 + d % 3,
                        "questions": items[d * per:(d + 1) * per]}
                       for d in range(dimensions)],
    }
    if additions:
        data["measures"] = [{"id": f"{m // 10 + 1}.{m % 10 + 1}", "title": text(f"M{m}")}
                            for m in range(MEASURES)]
    return data


def _add_measures(items: list[dict], rng: np.random.Generator) -> None:
    ids = [f"{m // 10 + 1}.{m % 10 + 1}" for m in range(MEASURES)]
    for item in items:
        count = int(rng.integers(0, 3))
        if count and item["type"] != "text":
            item["measures"] = list(rng.choice(ids, size=count, replace=False))
    follow_ups = [item for item in items if "show_if" in item]
    for item in follow_ups[::2]:
        item["hidden"] = "zero"


def _question(i: int, rng: np.random.Generator) -> dict:
    kind = TYPES[i % len(TYPES)]
    item = {"key": f"q{i:03d}", "stage": STAGES[int(rng.integers(4))], "type": kind,
            "text": text(f"Q{i}"), "weight": int(rng.integers(1, 4)),
            "na_allowed": bool(i % 7 == 0)}
    if kind == "scale":
        item["scale"] = "impl"
    elif kind == "choice":
        item["choices"] = [{"value": f"c{k}", "points": k, "label": text(f"c{k}")}
                           for k in range(4)]
    elif kind == "number":
        item["bands"] = [{"max": 4, "points": 2}, {"min": 4, "max": 24, "points": 1},
                         {"points": 0}]
    return item


def _add_show_ifs(items: list[dict], rng: np.random.Generator) -> None:
    # Every 10th question depends on an earlier one; every third of those on the
    # previous dependent question, which makes chains.
    for i in range(20, len(items), 10):
        if (i // 10) % 3 == 0:
            target = items[i - 10]
        else:
            target = next(t for t in items[i - 1::-1] if t["type"] in ("yes_no", "number"))
        items[i]["show_if"] = _condition(target)


def _condition(target: dict) -> dict:
    if target["type"] == "number":
        return {"question": target["key"], "op": "<=", "value": 24}
    values = {"yes_no": ["yes"], "scale": ["partial", "full"]}.get(target["type"], ["c2", "c3"])
    return {"question": target["key"], "in": values}


def synthetic_answers(q: scoring.Questionnaire, assessments: int, seed: int = 2
                      ) -> pd.DataFrame:
    """Answers of every question by every assessment, about 3% blank and 2% N/A."""
    rng = np.random.default_rng(seed)
    columns = [_values(question, assessments, rng) for question in q.questions]
    values = np.stack(columns, axis=1).ravel()
    values[rng.random(values.size) < 0.03] = None
    na_allowed = np.tile([x.na_allowed for x in q.questions], assessments)
    return pd.DataFrame({
        "assessment_id": np.repeat(np.arange(1, assessments + 1), len(q.questions)),
        "question_key": np.tile(np.array([x.key for x in q.questions], dtype=object),
                                assessments),
        "value": pd.array(values, dtype="str"),
        "not_applicable": na_allowed & (rng.random(values.size) < 0.1),
        "has_evidence": rng.random(values.size) < 0.6,
    })


def _values(question: scoring.Question, count: int, rng: np.random.Generator) -> np.ndarray:
    if question.type == "number":
        return rng.integers(0, 72, count).astype(str).astype(object)
    if question.type == "text":
        return np.full(count, "some text", dtype=object)
    options = np.array([o.value for o in question.options], dtype=object)
    # Mostly the better answers, as in a mature administration.
    weights = np.arange(1, len(options) + 1, dtype=float)
    return rng.choice(options, size=count, p=weights / weights.sum())


def lookup_table(q: scoring.Questionnaire, answers: pd.DataFrame) -> pd.DataFrame:
    """(question, value) -> dimension and weighted points, for the baseline."""
    pairs = answers[["question_key", "value"]].dropna().drop_duplicates()
    points = [q.question(k).points(v) for k, v in zip(pairs.question_key, pairs.value)]
    weight = [q.question(k).weight / (q.question(k).max_points or 1) for k in pairs.question_key]
    return pairs.assign(
        dimension=[q.question(k).dimension for k in pairs.question_key],
        stage=[q.question(k).stage for k in pairs.question_key],
        weighted=[w * (p or 0.0) for w, p in zip(weight, points)])


GROUPS = ["assessment_id", "dimension", "stage"]


def baseline(answers: pd.DataFrame, lookup: pd.DataFrame) -> pd.Series:
    """Look the weighted points up, then sum them per assessment, dimension and stage."""
    merged = answers.merge(lookup, on=["question_key", "value"], how="inner")
    return merged.groupby(GROUPS, sort=False)["weighted"].sum()


def groupby_only(prepared: pd.DataFrame) -> pd.Series:
    """The group-by sum alone (categorical keys: only the groups that occur)."""
    return prepared.groupby(GROUPS, sort=False, observed=True)["weighted"].sum()


def categorical(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """``frame`` with ``columns`` as pandas categoricals (codes computed once, beforehand)."""
    return frame.assign(**{name: frame[name].astype("category") for name in columns})


def best_of(runs: int, function, *args) -> tuple[float, float]:
    """The shortest and the median wall time of ``runs`` calls, in seconds."""
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def peak_memory(function, *args) -> float:
    """Peak traced allocation of one call, in MiB."""
    gc.collect()
    tracemalloc.start()
    function(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def median_time(runs: int, function, *args) -> float:
    """The median wall time of ``runs`` calls, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Generates the data, times everything and prints the figures."""
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--countries", type=int, default=200)
    options.add_argument("--cycles", type=int, default=20)
    options.add_argument("--runs", type=int, default=3, help="bulk runs (best is kept)")
    options.add_argument("--recompute-answers", type=int, default=60_000,
                         help="answers in the database of the `flask scores recompute` timing (0: skip)")
    args = options.parse_args()
    q = scoring.parse(synthetic_questionnaire(), "synthetic")
    answers = synthetic_answers(q, args.countries * args.cycles)
    print(f"questionnaire: {len(q.questions)} questions, {len(q.dimensions)} dimensions, "
          f"{len(q.stages)} stages, {sum(1 for x in q.questions if x.show_if)} show_if, "
          f"{len(q.measures)} measures, scoring version {scoring.SCORING_VERSION}")
    print(f"answers: {len(answers):,} rows, {args.countries * args.cycles:,} assessments")
    lookup = lookup_table(q, answers)
    time_bulk(q, answers, lookup, args.runs)
    time_against_scoring_1(q, answers, lookup, args.runs)
    time_single(q, answers, lookup)
    if args.recompute_answers:
        time_recompute(args.recompute_answers)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS:      {maxrss:8.1f} MiB")


def time_bulk(q: scoring.Questionnaire, answers: pd.DataFrame, lookup: pd.DataFrame,
              runs: int) -> None:
    """Prints bulk scoring against both baselines, and peak memory."""
    prepared = answers.merge(lookup, on=["question_key", "value"], how="inner")
    scoring.score(q, answers.head(1000))  # warms the per-questionnaire arrays
    (bulk, bulk_median), (base, _), (group, _) = (
        best_of(runs, scoring.score, q, answers), best_of(runs, baseline, answers, lookup),
        best_of(runs, groupby_only, prepared))
    print(f"bulk score:            {bulk * 1000:8.1f} ms (best of {runs}; median "
          f"{bulk_median * 1000:.1f} ms)")
    print(f"baseline lookup+group: {base * 1000:8.1f} ms   ratio {bulk / base:5.2f}x")
    print(f"baseline groupby only: {group * 1000:8.1f} ms   ratio {bulk / group:5.2f}x")
    print(f"peak traced memory:    {peak_memory(scoring.score, q, answers):8.1f} MiB "
          f"(baseline {peak_memory(baseline, answers, lookup):.1f} MiB)")


def scoring_1_engine(directory: Path):
    """The scoring package of SCORING_1_COMMIT, imported as ``scoring_v1``; None without git."""
    archive = directory / "scoring1.tar"
    try:
        with archive.open("wb") as handle:
            subprocess.run(["git", "-C", str(ROOT), "archive", SCORING_1_COMMIT, "scoring",
                            "questionnaires/schema.json"], stdout=handle, check=True,
                           stderr=subprocess.DEVNULL)
    except (OSError, subprocess.CalledProcessError):
        return None
    with tarfile.open(archive) as tar:
        tar.extractall(directory, filter="data")
    (directory / "scoring").rename(directory / "scoring_v1")
    sys.path.insert(0, str(directory))
    try:
        return importlib.import_module("scoring_v1")
    finally:
        sys.path.remove(str(directory))


def time_against_scoring_1(q: scoring.Questionnaire, answers: pd.DataFrame,
                           lookup: pd.DataFrame, runs: int) -> None:
    """Prints bulk scoring 2 (every new output) against scoring 1 and the group-by, interleaved."""
    with tempfile.TemporaryDirectory() as directory:
        v1 = scoring_1_engine(Path(directory))
        if v1 is None:
            print(f"scoring 1: not measured (git cannot read commit {SCORING_1_COMMIT})")
            return
        q1 = v1.parse(synthetic_questionnaire(additions=False), "synthetic")
        plain = answers.drop(columns="has_evidence")
        prepared = answers.merge(lookup, on=["question_key", "value"], how="inner")
        coded_prepared = categorical(prepared, ["dimension", "stage"])
        coded_answers = categorical(answers, ["question_key", "value"])
        v1.score(q1, plain.head(1000))
        scoring.score(q, answers.head(1000))
        scoring.score_table(q, answers.head(1000))
        calls = {"table": (scoring.score_table, q, answers),
                 "objects": (scoring.score, q, answers), "1": (v1.score, q1, plain),
                 "group": (groupby_only, prepared),
                 "table coded": (scoring.score_table, q, coded_answers),
                 "group coded": (groupby_only, coded_prepared)}
        times: dict[str, list[float]] = {name: [] for name in calls}
        for _ in range(runs):  # interleaved, so that a busy machine slows all of them alike
            for name, (function, *arguments) in calls.items():
                times[name].append(best_of(1, function, *arguments)[0])
    best = {name: min(values) for name, values in times.items()}
    table, objects, old, group = (best[k] for k in ("table", "objects", "1", "group"))
    print(f"scoring 1 score() (v{v1.SCORING_VERSION}): {old * 1000:8.1f} ms (best of {runs}, interleaved)")
    print(f"groupby only (str keys):      {group * 1000:8.1f} ms   sum per assessment x dimension x stage")
    print(f"scoring 2 score_table():      {table * 1000:8.1f} ms   ratio to scoring 1 {table / old:5.2f}x "
          f"(target <= 1.3x), to groupby {table / group:5.2f}x (target <= 3x)")
    print(f"scoring 2 score() objects:    {objects * 1000:8.1f} ms   ratio to scoring 1 {objects / old:5.2f}x, "
          f"to groupby {objects / group:5.2f}x")
    coded_table, coded_group = best["table coded"], best["group coded"]
    print(f"categorical keys: groupby {coded_group * 1000:.1f} ms, score_table "
          f"{coded_table * 1000:.1f} ms   ratio {coded_table / coded_group:5.2f}x")


def time_single(q: scoring.Questionnaire, answers: pd.DataFrame, lookup: pd.DataFrame
                ) -> None:
    """Prints the median time of scoring one assessment, as records and as a frame."""
    one = answers[answers.assessment_id == 1]
    records = one.drop(columns="assessment_id").to_dict("records")
    print(f"one assessment:        {median_time(200, scoring.score_one, q, records) * 1000:8.2f}"
          f" ms (median of 200, {len(records)} answer dicts)")
    print(f"one assessment frame:  {median_time(200, scoring.score_one, q, one) * 1000:8.2f}"
          f" ms (median of 200, DataFrame)")
    print(f"one baseline:          {median_time(200, baseline, one, lookup) * 1000:8.2f} ms")


def time_recompute(answers: int) -> None:
    """Prints `flask scores recompute` (app.services.scores.recompute_all: batches of 500 scored by
    one engine call each) against one engine call and one commit per assessment (how a rescore
    of a single assessment works), on the same temporary SQLite database built by
    benchmarks/exports.py (the digital-customs-maturity questionnaire, every question answered)."""
    spec = importlib.util.spec_from_file_location("bench_exports", ROOT / "benchmarks" / "exports.py")
    exports = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(exports)
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Assessment
    from app.services import scores

    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/recompute.db"
        written = exports.build(url, answers)
        with exports.make_app(url).app_context():
            count = len(db.session.scalars(sa.select(Assessment.id)).all())
            start = time.perf_counter()
            scores.recompute_all()
            batched = time.perf_counter() - start
            start = time.perf_counter()
            for assessment in db.session.scalars(sa.select(Assessment).order_by(Assessment.id)).all():
                scores.rescore(assessment)
                db.session.commit()
            single = time.perf_counter() - start
            db.session.remove()
    print(f"recompute {count:,} assessments ({written:,} answers, SQLite): batched {batched * 1000:.0f} ms, "
          f"one by one {single * 1000:.0f} ms   ratio {single / batched:5.2f}x")


if __name__ == "__main__":
    main()
