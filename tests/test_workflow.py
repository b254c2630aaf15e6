"""Submission, review flags, return, reply, validation; the lifecycle of DESIGN.md §2."""

import sqlalchemy as sa

from app.extensions import db
from app.models import Assessment
from tests.conftest import answer_with_evidence


def _complete(save, assessment):
    save(assessment, "legal.e-docs", value="full", evidence_url="https://law.example/act")
    save(assessment, "legal.e-signature", value="yes")
    save(assessment, "release.hours", value="3.5")


def _status(app, assessment):
    with app.app_context():
        return db.session.get(Assessment, assessment).status


def test_submission_lists_what_is_missing_with_links(client, auth, make_user, start, save):
    coordinator = make_user("coordinator", "AM")
    assessment = start(coordinator)
    auth.login(coordinator)
    save(assessment, "legal.e-docs", value="full")
    response = client.post(f"/assessments/{assessment}/submit")
    assert response.status_code == 302 and response.location.endswith(f"/assessments/{assessment}/submit")
    page = client.get(response.location).get_data(as_text=True)
    assert "cannot be submitted yet" in page
    assert "Evidence required" in page and f"/assessments/{assessment}/section/legal#q-legal.e-docs" in page
    assert f"/assessments/{assessment}/section/release#q-release.hours" in page
    assert "Remote release" not in page  # optional


def test_an_attachment_satisfies_required_evidence(app, client, auth, make_user, start, save):
    coordinator = make_user("coordinator", "AM")
    assessment = start(coordinator)
    auth.login(coordinator)
    answer_with_evidence(client, save, assessment, "2", b"%PDF-1.7 law")
    client.post(f"/assessments/{assessment}/submit")
    assert _status(app, assessment) == "submitted"


def test_submitting_locks_the_answers(app, client, auth, make_user, start, save):
    coordinator = make_user("coordinator", "AM")
    assessment = start(coordinator)
    auth.login(coordinator)
    _complete(save, assessment)
    response = client.post(f"/assessments/{assessment}/submit", follow_redirects=True)
    assert "submitted to the Commission" in response.get_data(as_text=True)
    assert _status(app, assessment) == "submitted"
    assert save(assessment, "release.hours", base_revision=1, value="5").status_code == 403


def test_a_respondent_cannot_submit(app, client, auth, make_user, start, save):
    assessment = start(make_user("coordinator", "AM"))
    auth.login(make_user("respondent", "AM"))
    _complete(save, assessment)
    client.post(f"/assessments/{assessment}/submit")
    assert _status(app, assessment) == "draft"


def _submitted(client, auth, make_user, start, save):
    coordinator = make_user("coordinator", "AM")
    assessment = start(coordinator)
    auth.login(coordinator)
    _complete(save, assessment)
    client.post(f"/assessments/{assessment}/submit")
    auth.logout()
    return coordinator, assessment


def test_the_full_review_cycle(app, client, auth, make_user, start, save):
    coordinator, assessment = _submitted(client, auth, make_user, start, save)
    analyst = make_user("analyst")
    auth.login(analyst)
    assert "Armenia" in client.get("/assessments/").get_data(as_text=True)  # needs-action list
    client.post(f"/review/{assessment}/flags", data={"question_key": "release.hours",
                                                     "comment": "3.5 hours looks optimistic: source?"})
    client.post(f"/review/{assessment}/return", data={"confirm": "y"})
    assert _status(app, assessment) == "returned"
    auth.logout()

    auth.login(coordinator)
    section = client.get(f"/assessments/{assessment}/section/release").get_data(as_text=True)
    assert "3.5 hours looks optimistic" in section and "flagged" in section
    assert "Answer the review flags" in client.get("/assessments/").get_data(as_text=True)
    submit_page = client.post(f"/assessments/{assessment}/submit", follow_redirects=True).get_data(as_text=True)
    assert "Open review flag" in submit_page
    save(assessment, "release.hours", base_revision=1, value="6")
    client.post(f"/assessments/{assessment}/flags/1/reply", data={"response": "Corrected from customs statistics."})
    client.post(f"/assessments/{assessment}/submit")
    assert _status(app, assessment) == "submitted"
    auth.logout()

    auth.login(analyst)
    review = client.get(f"/review/{assessment}").get_data(as_text=True)
    assert "Changed since the assessment was returned" in review and "3.5 → 6" in review
    assert "Corrected from customs statistics." in review
    refused = client.post(f"/review/{assessment}/validate", data={"confirm": "y"})
    assert refused.status_code == 422 and _status(app, assessment) == "submitted"  # the answered flag needs a reason
    client.post(f"/review/{assessment}/validate", data={"confirm": "y", "reason-1": "Statistics attached."})
    assert _status(app, assessment) == "validated"


def test_returning_needs_at_least_one_flag(app, client, auth, make_user, start, save):
    _coordinator, assessment = _submitted(client, auth, make_user, start, save)
    auth.login(make_user("analyst"))
    response = client.post(f"/review/{assessment}/return", data={"confirm": "y"}, follow_redirects=True)
    assert "Flag at least one question" in response.get_data(as_text=True)
    assert _status(app, assessment) == "submitted"


def test_a_validated_assessment_is_final(app, client, auth, make_user, start, save):
    coordinator, assessment = _submitted(client, auth, make_user, start, save)
    auth.login(make_user("analyst"))
    client.post(f"/review/{assessment}/validate", data={"confirm": "y"})
    assert _status(app, assessment) == "validated"
    client.post(f"/review/{assessment}/return", data={"confirm": "y"})
    client.post(f"/review/{assessment}/flags", data={"question_key": "release.hours", "comment": "late"})
    assert _status(app, assessment) == "validated"
    auth.logout()
    auth.login(coordinator)
    assert save(assessment, "release.hours", base_revision=1, value="9").status_code == 403


def test_only_analysts_review(client, auth, make_user, start, save):
    _coordinator, assessment = _submitted(client, auth, make_user, start, save)
    auth.login(make_user("coordinator", "AM"))
    assert client.get(f"/review/{assessment}").status_code == 403
    assert client.post(f"/review/{assessment}/validate").status_code == 403


def test_status_changes_are_audited(app, client, auth, make_user, start, save):
    from app.models import AuditEvent

    _coordinator, assessment = _submitted(client, auth, make_user, start, save)
    with app.app_context():
        actions = db.session.scalars(sa.select(AuditEvent.action).where(
            AuditEvent.assessment_id == assessment).order_by(AuditEvent.id)).all()
    assert actions[0] == "assessment.create" and actions[-1] == "assessment.submitted"
