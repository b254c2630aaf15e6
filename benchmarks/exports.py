"""Benchmark of the streamed answers.csv export against pandas ``read_sql`` + ``to_csv``.

Run by hand: ``python benchmarks/exports.py [--answers 1000000] [--database-url URL]``. It builds a
database (a temporary SQLite file unless a PostgreSQL URL is given: the database must exist and
be empty) with the digital-customs-maturity questionnaire and about ``--answers`` answer rows
(every question answered, seeded), then exports them twice, each in a fresh process:

- ``streamed``: app.services.exports.answer_rows -> csv_chunks, the code behind /exports/answers.csv
  and ``flask scores export --table answers`` (labels, points, neutralised cells, batched cursor);
- ``pandas``: the same joined rows read at once with ``pd.read_sql`` and written with
  ``DataFrame.to_csv`` (no labels, no points, no neutralisation: less work, all in memory).

It prints wall time, peak memory (tracemalloc peak of the export, and the process's peak RSS
growth), and the ratios. Nothing here is asserted; tests never time anything.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUESTIONNAIRE = ROOT / "questionnaires" / "digital-customs-maturity" / "2026.1.yaml"


def make_app(url: str):
    from app import create_app
    from config import TestConfig

    config = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url,
                                                "UPLOAD_DIR": tempfile.mkdtemp()})
    return create_app(config)


# ---- data ------------------------------------------------------------------------------------

def build(url: str, answers: int, seed: int = 7) -> int:
    """Schema, countries, the questionnaire, assessments and their answers; returns the answer count."""
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Answer, Assessment, Country, User
    from app.services import accounts, countries, questionnaires

    app = make_app(url)
    with app.app_context():
        db.create_all()
        countries.sync_countries()
        questionnaires.load_paths([str(QUESTIONNAIRE)])
        version = questionnaires.find_version("digital-customs-maturity", "2026.1")
        user = accounts.create_user(email="bench@example.org", name="Bench", role="analyst",
                                    password="Quarterly-Ledger-Owl-77")
        questions = questionnaires.parsed(version).questions
        codes = list(db.session.scalars(sa.select(Country.code)))
        needed = -(-answers // len(questions))
        slots = [(code, f"{2000 + c}") for c in range(-(-needed // len(codes))) for code in codes][:needed]
        stamp = datetime(2026, 3, 1, tzinfo=timezone.utc)
        db.session.execute(sa.insert(Assessment), [
            {"country_code": code, "questionnaire_version_id": version.id, "questionnaire_id": version.questionnaire_id,
             "cycle": cycle, "status": "validated", "submitted_at": stamp, "validated_at": stamp}
            for code, cycle in slots])
        ids = list(db.session.scalars(sa.select(Assessment.id).order_by(Assessment.id)))
        rng = random.Random(seed)
        batch, written = [], 0
        for assessment_id in ids:
            for q in questions:
                if written + len(batch) >= answers:
                    break
                batch.append(_answer(rng, assessment_id, q, user.id, stamp))
            if len(batch) >= 50_000:
                db.session.execute(sa.insert(Answer), batch)
                written, batch = written + len(batch), []
        if batch:
            db.session.execute(sa.insert(Answer), batch)
            written += len(batch)
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) >= 1
    return written


def _answer(rng: random.Random, assessment_id: int, q, user_id: int, stamp: datetime) -> dict:
    if q.options:
        value = rng.choice(q.options).value
    elif q.type == "number":
        value = str(rng.randint(int(q.min or 0), int(q.max or 100)))
    else:
        value = rng.choice(["Pilot since 2024", "=1+1 should be neutralised", "See the annual report"])
    comment = "Evidence on the portal" if rng.random() < 0.2 else None
    return {"assessment_id": assessment_id, "question_key": q.key, "value": value, "not_applicable": False,
            "comment": comment, "revision": 1, "updated_by_id": user_id, "updated_at": stamp}


# ---- the two exports, each measured in its own process ------------------------------------------

def streamed(target: str) -> int:
    from app.services import export_formats as formats
    from app.services import exports
    from app.services.dashboard import Filters

    rows = 0
    with open(target, "w", encoding="utf-8", newline="") as handle:
        for chunk in formats.csv_chunks(exports.answer_rows(None, Filters(status="all"), "en")):
            handle.write(chunk)
            rows += chunk.count("\r\n")
    return rows - 1


def with_pandas(target: str) -> int:
    import pandas as pd
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Answer, Assessment, QuestionnaireVersion, User

    query = (sa.select(Assessment.country_code, Assessment.cycle, Assessment.questionnaire_id,
                       QuestionnaireVersion.version.label("questionnaire_version"), Answer.question_key,
                       Answer.value, Answer.not_applicable, Answer.comment, Answer.evidence_url,
                       User.email.label("updated_by"), Answer.updated_at)
             .join(Assessment, Answer.assessment_id == Assessment.id)
             .join(QuestionnaireVersion, Assessment.questionnaire_version_id == QuestionnaireVersion.id)
             .outerjoin(User, Answer.updated_by_id == User.id)
             .order_by(Assessment.country_code, Assessment.questionnaire_id, Assessment.cycle, Assessment.id))
    frame = pd.read_sql(query, db.session.connection())
    frame.to_csv(target, index=False)
    return len(frame)


def measure(method: str, url: str, traced: bool) -> dict:
    """Run one export in this process (app ready, questionnaire parsed); report rows, seconds and memory."""
    import pandas  # noqa: F401  (imported before the baseline so both methods start alike)

    from app.services import questionnaires

    target = tempfile.NamedTemporaryFile(suffix=".csv", delete=False).name
    run = streamed if method == "streamed" else with_pandas
    app = make_app(url)
    with app.app_context():
        questionnaires.parsed(questionnaires.find_version("digital-customs-maturity", "2026.1"))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if traced:
            tracemalloc.start()
        start = time.perf_counter()
        rows = run(target)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] if traced else 0
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    size = os.path.getsize(target)
    os.unlink(target)
    return {"rows": rows, "seconds": seconds, "traced_peak": peak, "rss_growth": rss * 1024, "bytes": size}


def child(method: str, url: str, traced: bool) -> dict:
    output = subprocess.run([sys.executable, __file__, "--child", method, "--database-url", url]
                            + (["--traced"] if traced else []), check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def mib(value: float) -> str:
    return f"{value / 2**20:8.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--child", choices=["streamed", "pandas"])
    parser.add_argument("--traced", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.database_url, args.traced)))
        return
    directory = tempfile.mkdtemp()
    url = args.database_url or f"sqlite:///{directory}/bench.sqlite3"
    start = time.perf_counter()
    count = build(url, args.answers)
    print(f"database: {url.split('@')[-1]}  answers: {count:,}  built in {time.perf_counter() - start:.1f} s")
    results = {}
    for method in ("streamed", "pandas"):
        timed, traced = child(method, url, False), child(method, url, True)
        results[method] = {**timed, "traced_peak": traced["traced_peak"]}
        r = results[method]
        print(f"{method:9s} rows {r['rows']:>9,}  time {r['seconds']:6.2f} s  "
              f"tracemalloc peak {mib(r['traced_peak'])}  peak RSS growth {mib(r['rss_growth'])}  "
              f"file {mib(r['bytes'])}")
    s, p = results["streamed"], results["pandas"]
    print(f"ratio streamed/pandas: time {s['seconds'] / p['seconds']:.2f}x  "
          f"tracemalloc peak {s['traced_peak'] / max(p['traced_peak'], 1):.3f}x  "
          f"peak RSS growth {s['rss_growth'] / max(p['rss_growth'], 1):.3f}x")


if __name__ == "__main__":
    main()
