"""Races against a real threaded server, on a file SQLite database and on PostgreSQL (issue 9).

Each test releases concurrent requests together with a barrier, for several rounds, and checks
the outcome exactly: one winner, the losers refused, the audit log and the stored scores telling
what happened. Removing the guard a test checks makes it fail (see the notes of issue 9).
"""

import sqlalchemy as sa

from app.extensions import db
from app.models import Answer, Assessment, Attachment, QuestionnaireVersion, ReviewFlag, ScoreRow, User
from tests.test_concurrency_support import Client, at_once, events
from tests.test_concurrency_support import live, people  # noqa: F401  (fixtures)

STATUS_CHANGED = "changed in the meantime"


def _clients(live, email: str, n: int) -> list[Client]:
    return [Client(live.base, email) for _ in range(n)]


def _start(live, cycle: str, questionnaire: str = "mini") -> int:
    from app.services.assessments import start_assessment

    with live.app.app_context():
        version = db.session.scalar(sa.select(QuestionnaireVersion).where(
            QuestionnaireVersion.questionnaire_id == questionnaire))
        coordinator = db.session.scalar(sa.select(User).where(User.role == "coordinator"))
        return start_assessment(coordinator, "AM", version, cycle).id


def _complete(live, assessment_id: int) -> None:
    from app.services.assessments import save_answer

    with live.app.app_context():
        coordinator = db.session.scalar(sa.select(User).where(User.role == "coordinator"))
        for key, fields in (("legal.e-docs", {"value": "full", "evidence_url": "https://law.example/act"}),
                            ("legal.e-signature", {"value": "yes"}), ("release.hours", {"value": "3"})):
            save_answer(coordinator, db.session.get(Assessment, assessment_id), key, fields, 0)


def _submitted_with_flag(live, cycle: str) -> int:
    from app.services import workflow

    assessment_id = _start(live, cycle)
    _complete(live, assessment_id)
    with live.app.app_context():
        users = {u.role: u for u in db.session.scalars(sa.select(User))}
        assert workflow.submit(users["coordinator"], db.session.get(Assessment, assessment_id)) == []
        workflow.add_flag(users["analyst"], db.session.get(Assessment, assessment_id), "release.hours", "Source?")
    return assessment_id


def _stored_scores(live, assessment_id: int) -> dict:
    skip = {"id", "computed_at"}
    with live.app.app_context():
        rows = db.session.scalars(sa.select(ScoreRow).where(ScoreRow.assessment_id == assessment_id)).all()
        return {row.dimension_key: {c.key: getattr(row, c.key) for c in sa.inspect(ScoreRow).column_attrs
                                    if c.key not in skip} for row in rows}


def test_concurrent_saves_from_one_revision_let_exactly_one_win_and_tell_the_others(live, people):
    assessment_id = _start(live, "2026")
    clients = _clients(live, people["respondent"], 8) + _clients(live, people["coordinator"], 4)
    path = f"/assessments/{assessment_id}/answers/release.hours"
    # Round 0 races to create the answer, the others to change it. Every value differs from every value of
    # an earlier round: a save that repeats the stored value changes nothing and rightly answers 200, so a
    # repeated value would make a second "winner" that is no winner (it stored nothing).
    for base_revision in range(4):
        results = at_once([lambda c=c, i=i: c.post_json(path, {"base_revision": base_revision,
                                                                "value": str(100 * base_revision + i)})
                           for i, c in enumerate(clients)])
        codes = sorted(code for code, _body in results)
        assert codes == [200] + [409] * (len(clients) - 1), codes
        winner = next(body["answer"] for code, body in results if code == 200)
        assert winner["revision"] == base_revision + 1
        for code, body in results:
            if code == 409:  # the loser sees the winner's value, to show both
                assert (body["current"]["value"], body["current"]["revision"]) == (winner["value"],
                                                                                  winner["revision"])
        with live.app.app_context():
            stored = db.session.scalar(sa.select(Answer).where(Answer.assessment_id == assessment_id))
            assert (stored.value, stored.revision) == (winner["value"], base_revision + 1)
    updates = events(live, assessment_id, "answer.update")
    assert [e.after["revision"] for e in updates] == [1, 2, 3, 4]


def _maturity_draft(live, count: int):
    """A draft of the digital customs maturity questionnaire (AM, 2026), its parsed questionnaire, and the keys
    of its first `count` questions that have options and are always shown."""
    from app.services import questionnaires

    assessment_id = _start(live, "2026", questionnaire="digital-customs-maturity")
    with live.app.app_context():
        questionnaire = questionnaires.parsed(db.session.get(Assessment, assessment_id).questionnaire_version)
    keys = [q.key for q in questionnaire.questions if q.show_if is None and q.options]
    return assessment_id, questionnaire, keys[:count]


def test_concurrent_saves_of_different_answers_all_succeed_and_the_scores_equal_a_recompute(live, people):
    assessment_id, questionnaire, keys = _maturity_draft(live, 30)
    clients = _clients(live, people["respondent"], 10)
    for start in range(0, len(keys), len(clients)):
        batch = keys[start:start + len(clients)]
        results = at_once([lambda c=c, k=k: c.post_json(f"/assessments/{assessment_id}/answers/{k}",
                                                          {"base_revision": 0, "value": _best(questionnaire, k)})
                           for c, k in zip(clients, batch)])
        assert [code for code, _body in results] == [200] * len(batch), results
    stored = _stored_scores(live, assessment_id)
    assert stored["_overall"]["answered"] == len(keys)
    result = live.app.test_cli_runner().invoke(args=["scores", "recompute"])
    assert result.exit_code == 0, result.output
    assert _stored_scores(live, assessment_id) == stored


def test_a_recompute_during_saves_never_leaves_stale_scores(live, people):
    from app.services import scores

    assessment_id, questionnaire, keys = _maturity_draft(live, 24)
    clients = _clients(live, people["respondent"], 2)
    for start in range(0, len(keys), 2):  # the last writer of each round decides what stays stored
        pair = keys[start:start + 2]
        results = at_once([lambda c=c, k=k: c.post_json(f"/assessments/{assessment_id}/answers/{k}",
                                                          {"base_revision": 0, "value": _best(questionnaire, k)})
                           for c, k in zip(clients, pair)] + [lambda: _recompute(live)])
        assert [code for code, _body in results[:2]] == [200, 200], results
        with live.app.app_context():
            fresh = scores.score_assessment(db.session.get(Assessment, assessment_id)).overall
            stored = scores.rows_for(assessment_id)["_overall"]
            assert stored.answered == fresh.answered == start + 2
            assert stored.index == fresh.index


def _recompute(live) -> int:
    """`flask scores recompute` in this thread, on its own connection, while the saves run."""
    from app.services import scores

    with live.app.app_context():
        return scores.recompute_all()


def _best(questionnaire, key: str) -> str:
    question = questionnaire.question(key)
    return max(question.options, key=lambda o: question.points(o.value) or 0).value


def test_validate_and_return_at_the_same_moment_let_exactly_one_transition_happen(live, people):
    clients = _clients(live, people["analyst"], 6)
    for round_number in range(4):
        assessment_id = _submitted_with_flag(live, f"race-{round_number}")
        with live.app.app_context():
            flag_ids = db.session.scalars(sa.select(ReviewFlag.id).where(
                ReviewFlag.assessment_id == assessment_id)).all()
        # the confirmed second step of each (issue 15): the tick box, and a reason for the open flag
        fields = {"validate": {"confirm": "y", **{f"reason-{i}": "Checked." for i in flag_ids}},
                  "return": {"confirm": "y"}}
        actions = ["validate", "return"] * 3
        pages = at_once([lambda c=c, a=a: c.post_form(f"/review/{assessment_id}/{a}", fields[a])
                         for c, a in zip(clients, actions)])
        assert all(code == 200 for code, _page in pages)
        transitions = events(live, assessment_id, "assessment.validated", "assessment.returned")
        assert len(transitions) == 1, [e.action for e in transitions]
        with live.app.app_context():
            assessment = db.session.get(Assessment, assessment_id)
            assert assessment.status == transitions[0].after["status"]
            if assessment.status == "validated":
                assert assessment.validated_at is not None and assessment.returned_at is None
            else:
                assert assessment.returned_at is not None and assessment.validated_at is None
        told = [page for _code, page in pages if STATUS_CHANGED in page]
        assert len(told) == len(clients) - 1


def test_a_draft_submitted_by_many_at_once_is_submitted_once(live, people):
    clients = _clients(live, people["coordinator"], 8)
    for round_number in range(3):
        assessment_id = _start(live, f"submit-{round_number}")
        _complete(live, assessment_id)
        pages = at_once([lambda c=c: c.post_form(f"/assessments/{assessment_id}/submit", {}) for c in clients])
        assert all(code == 200 for code, _page in pages)
        assert sum("submitted to the Commission" in page for _code, page in pages) == 1
        assert sum(STATUS_CHANGED in page for _code, page in pages) == len(clients) - 1
        assert len(events(live, assessment_id, "assessment.submitted")) == 1
        with live.app.app_context():
            assert db.session.get(Assessment, assessment_id).status == "submitted"


def test_concurrent_uploads_never_pass_the_attachment_limit(live, people):
    from app.services.attachments import MAX_PER_QUESTION

    assessment_id = _start(live, "2026")
    clients = _clients(live, people["respondent"], MAX_PER_QUESTION + 5)
    path = f"/assessments/{assessment_id}/answers/legal.e-docs/attachments"
    pages = at_once([lambda c=c, i=i: c.upload(path, f"act-{i}.pdf", b"%PDF-1.7 act " + bytes([65 + i]),
                                               "application/pdf") for i, c in enumerate(clients)])
    assert all(code == 200 for code, _page in pages)
    assert sum("at most 10 files" in page for _code, page in pages) == 5
    with live.app.app_context():
        stored = db.session.scalars(sa.select(Attachment).where(Attachment.assessment_id == assessment_id)).all()
        assert len(stored) == MAX_PER_QUESTION
        from app.models import StoredFileChunk

        contents = set(db.session.scalars(sa.select(StoredFileChunk.stored_name).distinct()))
        assert contents == {a.stored_name for a in stored}  # no content without its row
    assert len(events(live, assessment_id, "attachment.add")) == MAX_PER_QUESTION


def test_saves_racing_a_submission_land_before_it_or_are_refused(live, people):
    from app.services import scores

    keys = ("legal.e-docs", "legal.e-signature", "release.hours")
    savers = _clients(live, people["respondent"], 6)
    submitter = _clients(live, people["coordinator"], 1)[0]
    for round_number in range(3):
        assessment_id = _start(live, f"lock-{round_number}")
        _complete(live, assessment_id)
        saves = [lambda c=c, k=keys[i % 3], i=i: c.post_json(f"/assessments/{assessment_id}/answers/{k}",
                                                            {"base_revision": 1, "comment": f"saver {i}"})
                 for i, c in enumerate(savers)]
        results = at_once([lambda: submitter.post_form(f"/assessments/{assessment_id}/submit", {})] + saves)
        assert "submitted to the Commission" in results[0][1]
        codes = [code for code, _body in results[1:]]
        assert set(codes) <= {200, 403, 409}, codes
        submitted = events(live, assessment_id, "assessment.submitted")
        later = [e for e in events(live, assessment_id, "answer.update") if e.after["revision"] > 1]
        assert len(later) == codes.count(200)
        assert all(e.id < submitted[0].id and e.at <= submitted[0].at for e in later)
        with live.app.app_context():
            result = scores.score_assessment(db.session.get(Assessment, assessment_id))
            stored = scores.rows_for(assessment_id)
            assert stored["_overall"].answered == result.overall.answered == 3


def test_starting_the_same_assessment_at_once_creates_it_once(live, people):
    clients = _clients(live, people["coordinator"], 6)
    with live.app.app_context():
        version_id = db.session.scalar(sa.select(QuestionnaireVersion.id).where(
            QuestionnaireVersion.questionnaire_id == "mini"))
    fields = {"country": "AM", "questionnaire": version_id, "cycle": "2027"}
    pages = at_once([lambda c=c: c.post_form("/assessments/start", fields) for c in clients])
    assert sum(code == 200 and "The assessment was started." in page for code, page in pages) == 1
    # the others get the start form back with the refusal in it (422)
    assert sum(code == 422 and "already has an assessment" in page for code, page in pages) == len(clients) - 1
    with live.app.app_context():
        created = db.session.scalars(sa.select(Assessment.id).where(Assessment.cycle == "2027")).all()
    assert len(created) == 1
    assert len(events(live, created[0], "assessment.create")) == 1


def test_a_previewed_upload_applied_by_several_requests_at_once_is_applied_once(live, people):
    import re

    assessment_id = _start(live, "2026")
    clients = _clients(live, people["coordinator"], 6)
    status, page = clients[0].upload(f"/assessments/{assessment_id}/upload", "answers.csv",
                                     b"question_key,value\nrelease.hours,5\n", "text/csv")
    assert status == 200, page
    token = re.search(r"/upload/([A-Za-z0-9_-]{43})/apply", page).group(1)
    pages = at_once([lambda c=c: c.post_form(f"/assessments/{assessment_id}/upload/{token}/apply", {})
                     for c in clients])
    assert all(code == 200 for code, _page in pages)
    assert sum("The changes were saved" in page for _code, page in pages) == 1
    assert sum("This preview is no longer available" in page for _code, page in pages) == len(clients) - 1
    assert len(events(live, assessment_id, "import.apply")) == 1
    assert [e.after["revision"] for e in events(live, assessment_id, "answer.update")] == [1]
