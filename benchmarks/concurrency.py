"""Concurrent writes against gunicorn: lost updates, transition races, double submission, rescoring, limits.

    .venv/bin/python benchmarks/concurrency.py [--rounds 5] [--database-url URL ...] [--workers 2] [--threads 2]

For each database (by default a fresh SQLite file and, when reachable, a throw-away database on
the PostgreSQL server of TEST_DATABASE_URL or postgresql+psycopg://postgres@127.0.0.1:5432/test)
it sets up the data as `make setup` does (migrations, countries, questionnaires, demo data),
prepares fresh assessments for every round, serves them with gunicorn on 127.0.0.1 and, round
after round, sends at the same moment (threads released by a barrier):

  lost-update     20 autosaves of one answer, all based on revision 1
  different       20 autosaves of 20 different answers of one draft
  validate/return validate and return of each of 4 submitted assessments by two analysts
  double-submit   10 submissions of one complete draft by the coordinator
  attachments     15 uploads to one question (the limit is 10)

and prints per race and database: requests sent, done (200, or the form's success message),
refused (409, or the form's "status changed" / limit message), 5xx, lost writes (a save that was
answered 200 but whose value is not stored, or more than one winner from one revision) and wrong
final states (two transitions, a validated assessment returned, more submissions or files than
allowed, stored scores that differ from a recompute). The expected figures are 0 lost, 0 wrong, 0 5xx.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import HttpSession, create_database, seed_demo  # noqa: E402

PASSWORD = "Demo-Customs-2026!"
RESPONDENT, COORDINATOR, ANALYST = "am.respondent@demo.example", "am.coordinator@demo.example", "analyst@demo.example"
SECOND_ANALYST = "analyst2@bench.example"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
FIELDS = ("sent", "done", "refused", "5xx", "lost", "wrong")


# ---------------------------------------------------------------- setting up


def make_app(url: str, upload_dir: str):
    from app import create_app
    from config import DevelopmentConfig

    return create_app(type("Bench", (DevelopmentConfig,), {"SQLALCHEMY_DATABASE_URI": url, "UPLOAD_DIR": upload_dir}))


def prepare(app, rounds: int) -> list[dict]:
    """`make setup` on an empty database, then fresh assessments for every round; their ids."""
    from app.services import accounts

    seed_demo(app)
    with app.app_context():
        accounts.create_user(email=SECOND_ANALYST, name="Second analyst", role="analyst", password=PASSWORD)
        return [_round_data(r) for r in range(rounds)]


def _complete(user, assessment, questionnaire) -> None:
    """Answer what carry-forward left open (the demo version may add questions and evidence rules to the
    version it carries from), with an evidence link, until nothing blocks the submission."""
    from app.services import assessments, workflow

    for missing in workflow.submission_problems(assessment):
        question = questionnaire.question(missing.question_key)
        fields = {"evidence_url": "https://evidence.bench.example/" + question.key}
        if missing.problem == "unanswered":
            fields["value"] = (question.options[-1].value if question.options else "yes" if question.type == "yes_no"
                               else str(question.max if question.max is not None else 1))
        assessments.save_answer(user, assessment, question.key, fields, None)


def _round_data(r: int) -> dict:
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import User
    from app.services import assessments, demo_assessments, questionnaires, workflow

    users = {u.email: u for u in db.session.scalars(sa.select(User))}
    version = demo_assessments.demo_version()
    questionnaire = questionnaires.parsed(version)

    def start(label: str, carry: bool) -> int:
        return assessments.start_assessment(users[COORDINATOR], "AM", version, f"b{r}-{label}", carry_forward=carry).id

    lost = start("lost", False)
    keys = [q.key for q in questionnaire.questions if q.show_if is None and q.options]
    first = db.session.get(assessments.Assessment, lost)
    assessments.save_answer(users[RESPONDENT], first, keys[0], {"value": questionnaire.question(keys[0]).options[0].value}, 0)
    transitions = []
    for n in range(4):
        assessment_id = start(f"review{n}", True)
        assessment = db.session.get(assessments.Assessment, assessment_id)
        _complete(users[COORDINATOR], assessment, questionnaire)
        assert workflow.submit(users[COORDINATOR], assessment) == [], "the completed demo draft is submittable"
        flag = workflow.add_flag(users[ANALYST], assessment, keys[0], "Benchmark flag: please check.")
        transitions.append((assessment_id, flag.id))
    submit = start("submit", True)
    _complete(users[COORDINATOR], db.session.get(assessments.Assessment, submit), questionnaire)
    return {"lost": lost, "lost_key": keys[0], "different": start("diff", False), "keys": keys[1:21],
            "transitions": transitions, "submit": submit, "attach": start("attach", False),
            "attach_key": keys[0]}


def start_server(url: str, upload_dir: str, port: int, workers: int, threads: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "UPLOAD_DIR": upload_dir, "APP_ENV": "development",
           "RATELIMIT_STORAGE_URI": "memory://", "LOGIN_RATE_LIMIT": "100000 per minute"}
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "--workers", str(workers), "--threads", str(threads),
                               "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env)
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=1).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


# ---------------------------------------------------------------- the clients


class Client(HttpSession):
    """One browser session, logged in; knows its CSRF token."""

    def __init__(self, base: str, email: str) -> None:
        super().__init__(base)
        self.token = self._token(self.request("/login")[1])
        self.post_form("/login", {"email": email, "password": PASSWORD})
        self.token = self._token(self.request("/")[1])

    @staticmethod
    def _token(page: str) -> str:
        return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)

    def post_form(self, path: str, fields: dict) -> tuple[int, str]:
        return super().post_form(path, {**fields, "csrf_token": self.token})

    def save(self, assessment_id: int, key: str, base_revision: int, value: str, **fields) -> tuple[int, dict]:
        status, body = self.request(f"/assessments/{assessment_id}/answers/{key}",
                                    json.dumps({"base_revision": base_revision, "value": value, **fields}).encode(),
                                    {"Content-Type": "application/json", "X-CSRFToken": self.token})
        try:
            return status, json.loads(body)
        except ValueError:
            return status, {}

    def upload(self, path: str, filename: str, content: bytes) -> tuple[int, str]:
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{self.token}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
                f"Content-Type: application/pdf\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self.request(path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})


def at_once(calls: list) -> list:
    """Run the callables in threads released together by a barrier; results in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index: int, call) -> None:
        barrier.wait()
        try:
            results[index] = call()
        except Exception as error:  # a dropped connection counts as a server error
            results[index] = (599, repr(error))

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


# ---------------------------------------------------------------- the races


def race_lost_update(app, clients, data) -> Counter:
    question = _question(app, data["lost"], data["lost_key"])
    values = [question.options[1 + i % (len(question.options) - 1)].value for i in range(len(clients))]
    # the comment tells the writers apart: several may send the same option
    results = at_once([lambda c=c, v=v, i=i: c.save(data["lost"], data["lost_key"], 1, v, comment=f"writer {i}")
                       for i, (c, v) in enumerate(zip(clients, values))])
    count = _codes(results)
    winners = [body["answer"] for code, body in results if code == 200]
    stored = _answers(app, data["lost"])[data["lost_key"]]
    count["lost"] = max(0, len(winners) - 1) + sum(1 for w in winners if (w["value"], w["comment"]) != stored[::2])
    refused_ok = all(body.get("current", {}).get("comment") == stored[2] for code, body in results if code == 409)
    count["wrong"] = int(stored[1] != 2 or not refused_ok)
    return count


def race_different_answers(app, clients, data) -> Counter:
    keys = data["keys"]
    values = {k: _question(app, data["different"], k).options[-1].value for k in keys}
    results = at_once([lambda c=c, k=k: c.save(data["different"], k, 0, values[k]) for c, k in zip(clients, keys)])
    count = _codes(results)
    stored = _answers(app, data["different"])
    count["lost"] = sum(1 for (code, _b), k in zip(results, keys) if code == 200 and stored.get(k, (None,))[0] != values[k])
    count["wrong"] = int(not _scores_equal_a_recompute(app, data["different"]))
    return count


def race_validate_return(app, analysts, data) -> Counter:
    calls = []  # one session per request: a flash message lives in the session of the browser
    for n, (assessment_id, flag_id) in enumerate(data["transitions"]):
        # the confirmed second steps of the review pages: validating gives a reason for the open flag
        validate = {"confirm": "y", f"reason-{flag_id}": "Checked by the benchmark."}
        calls.append(lambda a=assessment_id, c=analysts[2 * n], f=validate: c.post_form(f"/review/{a}/validate", f))
        calls.append(lambda a=assessment_id, c=analysts[2 * n + 1]: c.post_form(f"/review/{a}/return", {"confirm": "y"}))
    results = at_once(calls)
    count = _form_codes(results, ("was validated", "was returned to the country"))
    count["wrong"] = sum(1 for a, _flag in data["transitions"] if not _one_transition(app, a))
    return count


def race_double_submit(app, coordinators, data) -> Counter:
    results = at_once([lambda c=c: c.post_form(f"/assessments/{data['submit']}/submit", {}) for c in coordinators])
    count = _form_codes(results, ("submitted to the Commission",))
    events, status = _audit_count(app, data["submit"], "assessment.submitted")
    count["wrong"] = int(events != 1 or status != "submitted" or count["done"] != 1)
    return count


def race_attachments(app, clients, data) -> Counter:
    path = f"/assessments/{data['attach']}/answers/{data['attach_key']}/attachments"
    results = at_once([lambda c=c, i=i: c.upload(path, f"act-{i}.pdf", b"%PDF-1.7 benchmark " + str(i).encode())
                       for i, c in enumerate(clients)])
    count = _form_codes(results, ("was attached",), refused=("at most 10 files",))
    events, _status = _audit_count(app, data["attach"], "attachment.add")
    stored = _attachment_count(app, data["attach"])
    count["wrong"] = int(stored > 10 or events != stored or count["done"] != stored)
    return count


# ---------------------------------------------------------------- reading the outcome


def _codes(results) -> Counter:
    codes = Counter(code for code, _body in results)
    return Counter(sent=len(results), done=codes[200], refused=codes[409],
                   **{"5xx": sum(n for c, n in codes.items() if c >= 500)})


def _form_codes(results, success: tuple[str, ...], refused: tuple[str, ...] = ("changed in the meantime",)) -> Counter:
    count = Counter(sent=len(results))
    for code, page in results:
        if code >= 500:
            count["5xx"] += 1
        elif any(s in page for s in success):
            count["done"] += 1
        elif any(s in page for s in refused):
            count["refused"] += 1
    return count


def _question(app, assessment_id: int, key: str):
    from app.extensions import db
    from app.models import Assessment
    from app.services.questionnaires import parsed

    with app.app_context():
        return parsed(db.session.get(Assessment, assessment_id).questionnaire_version).question(key)


def _answers(app, assessment_id: int) -> dict:
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Answer

    with app.app_context():
        return {a.question_key: (a.value, a.revision, a.comment) for a in db.session.scalars(
            sa.select(Answer).where(Answer.assessment_id == assessment_id))}


def _scores_equal_a_recompute(app, assessment_id: int) -> bool:
    from app.extensions import db
    from app.models import Assessment
    from app.services import scores

    with app.app_context():
        stored = scores.rows_for(assessment_id)
        result = scores.score_assessment(db.session.get(Assessment, assessment_id))
        for dim in (*result.dimensions, result.overall):
            row = stored.get(dim.key)
            if row is None or (row.level, row.index, row.answered, row.applicable, row.completeness, row.stages) != (
                    dim.level, dim.index, dim.answered, dim.applicable, dim.completeness, dict(dim.stages)):
                return False
        return len(stored) == len(result.dimensions) + 1


def _one_transition(app, assessment_id: int) -> bool:
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Assessment, AuditEvent

    with app.app_context():
        assessment = db.session.get(Assessment, assessment_id)
        actions = list(db.session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.assessment_id == assessment_id,
            AuditEvent.action.in_(("assessment.validated", "assessment.returned")))))
        if len(actions) != 1:
            return False
        if assessment.status == "validated":
            return assessment.returned_at is None and assessment.validated_at is not None
        return assessment.status == "returned" and assessment.validated_at is None


def _audit_count(app, assessment_id: int, action: str) -> tuple[int, str]:
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Assessment, AuditEvent

    with app.app_context():
        events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent).where(
            AuditEvent.assessment_id == assessment_id, AuditEvent.action == action))
        return events, db.session.get(Assessment, assessment_id).status


def _attachment_count(app, assessment_id: int) -> int:
    import sqlalchemy as sa

    from app.extensions import db
    from app.models import Attachment

    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(Attachment).where(
            Attachment.assessment_id == assessment_id))


# ---------------------------------------------------------------- running


RACES = (("lost-update", race_lost_update, "national", 20), ("different", race_different_answers, "national", 20),
         ("validate/return", race_validate_return, "analysts", 8), ("double-submit", race_double_submit, "coordinators", 10),
         ("attachments", race_attachments, "national", 15))


def run_database(name: str, url: str, args) -> dict[str, Counter]:
    with tempfile.TemporaryDirectory() as uploads:
        app = make_app(url, uploads)
        rounds = prepare(app, args.rounds)
        server = start_server(url, uploads, args.port, args.workers, args.threads)
        try:
            base = f"http://127.0.0.1:{args.port}"
            pools = {"national": [Client(base, RESPONDENT if i % 2 else COORDINATOR) for i in range(20)],
                     "analysts": [Client(base, SECOND_ANALYST if i % 2 else ANALYST) for i in range(8)],
                     "coordinators": [Client(base, COORDINATOR) for _ in range(10)]}
            totals = {race: Counter() for race, *_ in RACES}
            for data in rounds:
                for race, function, pool, n in RACES:
                    totals[race] += function(app, pools[pool][:n], data)
        finally:
            server.terminate()
            server.wait(timeout=20)
            with app.app_context():
                from app.extensions import db
                db.engine.dispose()
    return totals


def report(name: str, totals: dict[str, Counter], rounds: int) -> None:
    print(f"\n{name}: {rounds} rounds")
    print(f"{'race':<18}" + "".join(f"{f:>9}" for f in FIELDS))
    every = Counter()
    for race, count in totals.items():
        every += count
        print(f"{race:<18}" + "".join(f"{count[f]:>9}" for f in FIELDS))
    print(f"{'all':<18}" + "".join(f"{every[f]:>9}" for f in FIELDS))
    verdict = "as expected" if every["lost"] == every["wrong"] == every["5xx"] == 0 else "NOT as expected"
    print(f"lost writes {every['lost']}, wrong final states {every['wrong']}, 5xx {every['5xx']}: {verdict}")


def _postgres_database(server_url: str):
    """A throw-away database on the server (created here, dropped at the end), or None if unreachable."""
    import sqlalchemy as sa

    try:
        return create_database(server_url, "cm_bench_")
    except sa.exc.OperationalError:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database-url", action="append",
                        help="a database to run on (repeatable); it must be empty. Default: a fresh SQLite file "
                             "and a throw-away PostgreSQL database when the server is reachable")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=8090)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        targets, cleanups = [], []
        if args.database_url:
            targets = [(sa_name(u), u) for u in args.database_url]
        else:
            targets.append(("SQLite", f"sqlite:///{tmp}/bench.sqlite3"))
            postgres = _postgres_database(os.environ.get("TEST_DATABASE_URL") or DEFAULT_PG)
            if postgres is None:
                print("PostgreSQL is not reachable: SQLite only")
            else:
                targets.append(("PostgreSQL", postgres[0]))
                cleanups.append(postgres[1])
        print(f"gunicorn {args.workers} workers x {args.threads} threads on 127.0.0.1:{args.port}")
        try:
            for name, url in targets:
                report(name, run_database(name, url, args), args.rounds)
        finally:
            for cleanup in cleanups:
                cleanup()


def sa_name(url: str) -> str:
    return "PostgreSQL" if url.startswith("postgresql") else "SQLite" if url.startswith("sqlite") else url


if __name__ == "__main__":
    main()
