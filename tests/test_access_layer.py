"""One access decision per question (app.access): every service that changes protected data refuses a user
without the right, whoever calls it; a refusal is audited without committing the refused request's work."""
import io
from datetime import date

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from app import access
from app.extensions import db
from app.models import Answer, Assessment, Attachment, AuditEvent, Country, Cycle, ReviewFlag, User
from app.services import accounts, attachments, cycles, imports, workflow
from app.services.accounts import AccountError
from app.services.assessments import start_assessment, save_answer
from app.services.cycles import CycleError
from app.services.errors import AssessmentError

PDF = b"%PDF-1.4 evidence"


def _pdf() -> FileStorage:
    return FileStorage(stream=io.BytesIO(PDF), filename="act.pdf", content_type="application/pdf")


def _attachment(assessment: Assessment) -> int:
    attachment = Attachment(assessment_id=assessment.id, question_key="legal.e-docs", filename="a.pdf",
                            stored_name="f" * 32, content_type="application/pdf", size=1, sha256="0" * 64)
    db.session.add(attachment)
    db.session.commit()
    return attachment.id


def _version(assessment: Assessment):
    return assessment.questionnaire_version


# (name, role of the caller, the caller's country, the call, the error it must raise)
REFUSED_CALLS = [
    ("attachments.add by an analyst", "analyst", None,
     lambda u, a, other: attachments.add(u, a, "legal.e-docs", _pdf()), AssessmentError),
    ("attachments.add by another country", "coordinator", "BY",
     lambda u, a, other: attachments.add(u, a, "legal.e-docs", _pdf()), AssessmentError),
    ("attachments.remove by another country", "respondent", "BY",
     lambda u, a, other: attachments.remove(u, a, db.session.scalar(sa.select(Attachment.id))), AssessmentError),
    ("save_answer by an analyst", "analyst", None,
     lambda u, a, other: save_answer(u, a, "legal.e-docs", {"value": "full"}, 0), AssessmentError),
    ("imports.preview_upload by another country", "coordinator", "BY",
     lambda u, a, other: imports.preview_upload(u, a, "a.csv", b"key,value\n"), AssessmentError),
    ("imports.apply_upload by an analyst", "analyst", None,
     lambda u, a, other: imports.apply_upload(u, a, "t" * 32), AssessmentError),
    ("workflow.submit by a respondent", "respondent", "AM",
     lambda u, a, other: workflow.submit(u, a), AssessmentError),
    ("workflow.add_flag by a coordinator", "coordinator", "AM",
     lambda u, a, other: workflow.add_flag(u, a, "legal.e-docs", "check"), AssessmentError),
    ("workflow.return_assessment by an admin", "admin", None,
     lambda u, a, other: workflow.return_assessment(u, a), AssessmentError),
    ("workflow.validate by a coordinator", "coordinator", "AM",
     lambda u, a, other: workflow.validate(u, a, {}), AssessmentError),
    ("start_assessment for another country", "coordinator", "BY",
     lambda u, a, other: start_assessment(u, "AM", _version(a), "2031"), AssessmentError),
    ("cycles.open_cycle by a coordinator", "coordinator", "AM",
     lambda u, a, other: cycles.open_cycle(u, label="2031", version=_version(a), country_codes=["AM"],
                                           submission_deadline=date(2031, 12, 1)), CycleError),
    ("cycles.close_cycle by a respondent", "respondent", "AM",
     lambda u, a, other: cycles.close_cycle(u, db.session.scalar(sa.select(Cycle)), confirmed=True), CycleError),
    ("accounts.set_active by an analyst", "analyst", None,
     lambda u, a, other: accounts.set_active(u, other, False), AccountError),
    ("accounts.set_temporary_password by a coordinator", "coordinator", "AM",
     lambda u, a, other: accounts.set_temporary_password(u, other), AccountError),
    ("accounts.reset_second_factor by an analyst", "analyst", None,
     lambda u, a, other: accounts.reset_second_factor(u, other), AccountError),
    ("accounts.lift_lock by a respondent", "respondent", "AM",
     lambda u, a, other: accounts.lift_lock(u, other), AccountError),
]


def _cycle(assessment: Assessment) -> Cycle:
    cycle = Cycle(label="2031", questionnaire_id=assessment.questionnaire_id,
                  questionnaire_version_id=assessment.questionnaire_version_id,
                  submission_deadline=date(2031, 12, 1), status="open")
    db.session.add(cycle)
    db.session.commit()
    return cycle


def _state() -> dict:
    """What a refused call must leave as it was (counts of stored rows, and the users' credentials)."""
    count = lambda model: db.session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
    users = db.session.execute(sa.select(User.id, User.active, User.password_hash, User.session_token)).all()
    return {"audit": count(AuditEvent), "answers": count(Answer), "attachments": count(Attachment), "flags": count(ReviewFlag),
            "assessments": count(Assessment), "cycles": count(Cycle), "users": sorted(users),
            "statuses": sorted(db.session.execute(sa.select(Assessment.id, Assessment.status)).all()),
            "cycle statuses": db.session.scalars(sa.select(Cycle.status)).all()}


@pytest.mark.parametrize("name, role, country, call, error", REFUSED_CALLS, ids=[c[0] for c in REFUSED_CALLS])
def test_a_service_refuses_a_user_without_the_right_whoever_calls_it(app, make_user, start, name, role, country,
                                                                      call, error):
    assessment_id = start(make_user("coordinator", "AM"))
    caller, other = make_user(role, country), make_user("respondent", "AM")
    with app.test_request_context():
        assessment = db.session.get(Assessment, assessment_id)
        if "remove" in name:
            _attachment(assessment)  # the file to remove exists (the service must refuse it anyway)
        if "cycle" in name and "close" in name:
            _cycle(assessment)
        before = _state()
        with pytest.raises(error):
            call(db.session.get(User, caller.id), db.session.get(Assessment, assessment_id),
                 db.session.get(User, other.id))
        db.session.rollback()
        assert _state() == before


def test_the_services_accept_the_user_who_has_the_right(app, make_user, start):
    """The counterpart of the refusals above: the rights are not simply refused to everyone."""
    owner = make_user("coordinator", "AM")
    assessment_id = start(owner)
    with app.test_request_context():
        user, assessment = db.session.get(User, owner.id), db.session.get(Assessment, assessment_id)
        added = attachments.add(user, assessment, "legal.e-docs", _pdf())
        attachments.remove(user, db.session.get(Assessment, assessment_id), added.id)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0
        admin, target = make_user("admin"), make_user("respondent", "AM")
        assert accounts.lift_lock(db.session.get(User, admin.id), db.session.get(User, target.id)) is False


def test_a_refusal_is_audited_and_does_not_commit_the_refused_requests_pending_changes(app, client, countries):
    @app.route("/_test/refuse-after-a-change")
    def _refuse_after_a_change():
        db.session.add(Country(code="ZZ", name_en="Nowhere", name_ru="Нигде", groups=[]))
        db.session.flush()  # sent to the database, not committed
        access.refuse(403, "test refusal")

    response = client.get("/_test/refuse-after-a-change")
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Country, "ZZ") is None
        [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "access.refused")).all()
        assert (event.target, event.after) == ("GET /_test/refuse-after-a-change",
                                               {"code": 403, "reason": "test refusal"})


def test_a_refusal_answered_without_aborting_is_audited_once_and_commits_nothing_else(app, client, countries):
    @app.route("/_test/record-refusal")
    def _record_refusal():
        db.session.add(Country(code="ZZ", name_en="Nowhere", name_ru="Нигде", groups=[]))
        access.record_refusal(404, "not the user's")
        access.record_refusal(404, "not the user's either")
        return "answered otherwise"

    assert client.get("/_test/record-refusal").status_code == 200
    with app.app_context():
        assert db.session.get(Country, "ZZ") is None
        reasons = db.session.scalars(sa.select(AuditEvent.after).where(AuditEvent.action == "access.refused")
                                     .order_by(AuditEvent.id)).all()
        assert [r["reason"] for r in reasons] == ["not the user's", "not the user's either"]


def test_a_role_refusal_of_the_review_pages_is_audited_with_the_role(app, client, auth, make_user, start):
    assessment_id = start(make_user("coordinator", "AM"))
    auth.login(make_user("admin"))
    assert client.get(f"/review/{assessment_id}").status_code == 403
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "access.refused"))
        assert event.after == {"code": 403, "reason": "role admin not in analyst"}


def _refusals(app) -> list[dict]:
    with app.app_context():
        return db.session.scalars(sa.select(AuditEvent.after).where(AuditEvent.action == "access.refused")
                                  .order_by(AuditEvent.id)).all()


def test_an_account_action_is_refused_to_non_administrators_and_for_unknown_users(app, client, auth, make_user):
    target = make_user("respondent", "AM")
    auth.login(make_user("analyst"))
    assert client.post(f"/admin/users/{target.id}/unlock").status_code == 403
    auth.logout()
    auth.login(make_user("admin"))
    assert client.post("/admin/users/99999/unlock").status_code == 404
    assert _refusals(app) == [{"code": 403, "reason": "role analyst not in admin"},
                              {"code": 404, "reason": "user 99999 not found"}]


def test_a_file_is_reached_only_through_its_own_assessment(app, client, auth, make_user, start):
    owner = make_user("coordinator", "AM")
    first, second = start(owner), start(owner, cycle="2027")
    with app.app_context():
        file_id = _attachment(db.session.get(Assessment, first))
    auth.login(owner)
    assert client.get(f"/assessments/{first}/attachments/{file_id}").status_code == 200
    assert client.get(f"/assessments/{second}/attachments/{file_id}").status_code == 404
    assert _refusals(app) == [{"code": 404, "reason": f"attachment {file_id} not in assessment {second}"}]


@pytest.mark.parametrize("role, country, offered", [
    ("coordinator", "AM", ["AM"]), ("analyst", None, ["AM", "BY", "KG", "KZ", "RU"]),
    ("respondent", "AM", None), ("admin", None, None)])
def test_the_start_form_offers_the_countries_access_can_start_allows(app, client, auth, make_user, mini_version,
                                                                      role, country, offered):
    import re

    auth.login(make_user(role, country))
    page = client.get("/assessments/").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="country".*?</select>', page, re.S)
    if offered is None:
        assert select is None and 'action="/assessments/start"' not in page
    else:
        assert sorted(re.findall(r'<option[^>]*value="([A-Z]{2})"', select.group(0))) == offered


def _access_decisions(function) -> tuple[int, list[str]]:
    """How many access decisions a view makes itself (a decorator or helper of app.access, or a refusal that
    does not map a service's error), and the `if` tests that decide on an access.can_* predicate."""
    import ast

    names = lambda node: ast.unparse(node)  # noqa: E731
    handlers = {id(n) for h in ast.walk(function) if isinstance(h, ast.ExceptHandler) for n in ast.walk(h)}
    count = sum(names(d).startswith("access.roles_required") for d in function.decorator_list)
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            called = names(node.func)
            if called.startswith(("access.get_", "access.require_role")) or (
                    called == "access.refuse" and id(node) not in handlers):
                count += 1
    ifs = [names(n.test) for n in ast.walk(function) if isinstance(n, (ast.If, ast.IfExp)) and "access.can_" in names(n.test)]
    return count, ifs


def test_every_route_makes_at_most_one_access_decision_and_leaves_the_predicates_to_app_access():
    """DESIGN: one access call per route; a view never decides on access.can_* itself (display flags are fine)."""
    import ast
    from pathlib import Path

    checked = 0
    for path in sorted(Path("app").glob("*/*.py")):
        for function in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(function, ast.FunctionDef) or not any(
                    ".route(" in ast.unparse(d) for d in function.decorator_list):
                continue
            count, ifs = _access_decisions(function)
            assert count <= 1 and not ifs, f"{path}:{function.name} makes {count} access decisions, decides on {ifs}"
            checked += 1
    assert checked >= 50
