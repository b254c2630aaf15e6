"""Starting assessments, sections and autosave with optimistic concurrency."""
import sqlalchemy as sa

from app.extensions import db
from app.models import Answer, AuditEvent, ScoreRow


def test_a_coordinator_starts_an_assessment_for_their_country(client, auth, make_user, mini_version):
    auth.login(make_user("coordinator", "AM"))
    response = client.post("/assessments/start", data={"country": "AM", "questionnaire": mini_version,
                                                        "cycle": "2026"})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Assessment of Armenia, cycle 2026" in page and "Legal framework" in page


def test_a_coordinator_cannot_start_for_another_country(client, auth, make_user, mini_version):
    auth.login(make_user("coordinator", "AM"))
    client.post("/assessments/start", data={"country": "BY", "questionnaire": mini_version, "cycle": "2026"})
    assert "There are no assessments yet" in client.get("/assessments/").get_data(as_text=True)


def test_a_respondent_cannot_start_an_assessment(client, auth, make_user, mini_version):
    auth.login(make_user("respondent", "AM"))
    response = client.post("/assessments/start", data={"country": "AM", "questionnaire": mini_version,
                                                        "cycle": "2026"})
    assert response.status_code == 403


def test_only_one_assessment_per_country_questionnaire_and_cycle(client, auth, make_user, start):
    user = make_user("coordinator", "AM")
    start(user)
    auth.login(user)
    follow = client.post("/assessments/start", data={"country": "AM", "questionnaire": 1, "cycle": "2026"},
                         follow_redirects=True)
    assert "already has an assessment" in follow.get_data(as_text=True)


def test_a_retired_version_cannot_be_used_for_a_new_assessment(app, make_user, mini_version):
    import pytest

    from app.models import QuestionnaireVersion, User
    from app.services.assessments import AssessmentError, start_assessment

    user = make_user("coordinator", "AM")
    with app.app_context():
        version = db.session.get(QuestionnaireVersion, mini_version)
        version.status = "retired"
        db.session.commit()
        with pytest.raises(AssessmentError, match="published"):
            start_assessment(db.session.get(User, user.id), "AM", version, "2026")


def test_a_section_shows_a_widget_per_question_with_its_stage(client, auth, make_user, start):
    user = make_user("respondent", "AM")
    assessment = start(make_user("coordinator", "AM"))
    auth.login(user)
    page = client.get(f"/assessments/{assessment}/section/release").get_data(as_text=True)
    assert 'type="number"' in page and 'max="720' in page and "hours" in page
    assert "Not applicable to our customs administration" in page
    assert "stage-paperless" in page and "stage-electronic" in page


def test_an_answer_is_saved_and_scored_in_the_same_transaction(app, client, auth, make_user, start, save):
    user = make_user("respondent", "AM")
    assessment = start(make_user("coordinator", "AM"))
    auth.login(user)
    response = save(assessment, "legal.e-docs", value="full")
    assert response.status_code == 200
    assert response.json["answer"]["revision"] == 1
    assert response.json["progress"]["legal"] == {"answered": 1, "required": 2, "percent": 50}
    with app.app_context():
        row = db.session.scalar(sa.select(ScoreRow).where(ScoreRow.assessment_id == assessment,
                                                          ScoreRow.dimension_key == "legal"))
        assert row.stages["paperless"] == 1.0 and row.level == 1


def test_a_stale_save_gets_409_with_the_other_value(client, auth, make_user, start, save):
    user = make_user("respondent", "AM")
    assessment = start(make_user("coordinator", "AM"))
    auth.login(user)
    assert save(assessment, "legal.e-docs", value="partial").status_code == 200
    stale = save(assessment, "legal.e-docs", base_revision=0, value="none")
    assert stale.status_code == 409
    assert stale.json["current"]["value"] == "partial" and stale.json["current"]["revision"] == 1
    assert save(assessment, "legal.e-docs", base_revision=1, value="none").status_code == 200


def test_an_invalid_value_is_refused_with_the_reason(client, auth, make_user, start, save):
    auth.login(make_user("respondent", "AM"))
    assessment = start(make_user("coordinator", "AM"))
    response = save(assessment, "release.hours", value="eleven")
    assert response.status_code == 422 and "number" in response.json["error"]
    assert save(assessment, "release.hours", value="900").status_code == 422


def test_not_applicable_only_where_allowed(client, auth, make_user, start, save):
    auth.login(make_user("respondent", "AM"))
    assessment = start(make_user("coordinator", "AM"))
    assert save(assessment, "legal.e-docs", not_applicable=True).status_code == 422
    assert save(assessment, "release.remote", not_applicable=True).status_code == 200


def test_a_question_hidden_by_skip_logic_takes_no_answer(client, auth, make_user, start, save):
    auth.login(make_user("respondent", "AM"))
    assessment = start(make_user("coordinator", "AM"))
    save(assessment, "legal.e-docs", value="none")
    response = save(assessment, "legal.e-signature", value="yes")
    assert response.status_code == 422 and "does not apply" in response.json["error"]
    shown = save(assessment, "legal.e-docs", base_revision=1, value="full")
    assert "legal.e-signature" not in shown.json["hidden"]
    assert save(assessment, "legal.e-signature", value="yes").status_code == 200


def test_an_evidence_link_must_be_a_web_address(client, auth, make_user, start, save):
    auth.login(make_user("respondent", "AM"))
    assessment = start(make_user("coordinator", "AM"))
    assert save(assessment, "legal.e-docs", evidence_url="javascript:alert(1)").status_code == 422
    assert save(assessment, "legal.e-docs", evidence_url="https://law.am/act/12").status_code == 200


def test_every_answer_change_is_audited_with_before_and_after(app, client, auth, make_user, start, save):
    auth.login(make_user("respondent", "AM"))
    assessment = start(make_user("coordinator", "AM"))
    save(assessment, "legal.e-docs", value="partial")
    save(assessment, "legal.e-docs", base_revision=1, value="full", comment="Law 123 of 2024")
    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "answer.update")
                                    .order_by(AuditEvent.id)).all()
    assert [(e.before["value"], e.after["value"]) for e in events] == [(None, "partial"), ("partial", "full")]
    page = client.get(f"/assessments/{assessment}/history/legal.e-docs").get_data(as_text=True)
    assert "Partial" in page and "Law 123 of 2024" in page


def test_a_national_user_cannot_see_another_countrys_assessment(client, auth, make_user, start, save):
    assessment = start(make_user("coordinator", "AM"))
    auth.login(make_user("respondent", "BY"))
    assert client.get(f"/assessments/{assessment}").status_code == 404
    assert save(assessment, "legal.e-docs", value="full").status_code == 404


def test_an_analyst_reads_but_does_not_answer(client, auth, make_user, start, save):
    assessment = start(make_user("coordinator", "AM"))
    auth.login(make_user("analyst"))
    assert client.get(f"/assessments/{assessment}/section/legal").status_code == 200
    assert save(assessment, "legal.e-docs", value="full").status_code == 403


def test_carry_forward_prefills_from_the_last_validated_assessment(app, make_user, start):
    from app.models import Assessment, User
    from app.services.assessments import save_answer

    coordinator = make_user("coordinator", "AM")
    first = start(coordinator, cycle="2025")
    with app.app_context():
        assessment = db.session.get(Assessment, first)
        save_answer(db.session.get(User, coordinator.id), assessment, "legal.e-docs", {"value": "full"}, 0)
        assessment.status = "validated"
        db.session.commit()
    second = start(coordinator, cycle="2026", carry_forward=True)
    with app.app_context():
        answer = db.session.scalar(sa.select(Answer).where(Answer.assessment_id == second))
        assert (answer.question_key, answer.value, answer.carried_forward) == ("legal.e-docs", "full", True)
        assert db.session.get(Assessment, second).carried_from_id == first


def test_saving_a_carried_answer_confirms_it(app, client, auth, make_user, start, save):
    from app.models import Assessment

    coordinator = make_user("coordinator", "AM")
    first = start(coordinator, cycle="2025")
    with app.app_context():
        db.session.add(Answer(assessment_id=first, question_key="legal.e-docs", value="full"))
        db.session.get(Assessment, first).status = "validated"
        db.session.commit()
    second = start(coordinator, cycle="2026", carry_forward=True)
    auth.login(coordinator)
    assert "carried forward" in client.get(f"/assessments/{second}/section/legal").get_data(as_text=True)
    assert save(second, "legal.e-docs", base_revision=1, value="full").json["answer"]["carried_forward"] is False


def test_carry_forward_follows_the_crosswalk_to_a_new_version(app, make_user, start):
    from app.models import Assessment, QuestionnaireVersion, User
    from app.services import questionnaires
    from app.services.assessments import start_assessment
    from tests.conftest import DATA

    coordinator = make_user("coordinator", "AM")
    first = start(coordinator, cycle="2026")
    with app.app_context():
        db.session.add_all([Answer(assessment_id=first, question_key="legal.e-docs", value="partial"),
                            Answer(assessment_id=first, question_key="release.remote", value="full")])
        db.session.get(Assessment, first).status = "validated"
        db.session.commit()
        questionnaires.load_paths([f"{DATA}/mini-2027.1.yaml"])
        version = db.session.scalar(sa.select(QuestionnaireVersion).where(QuestionnaireVersion.version == "2027.1"))
        second = start_assessment(db.session.get(User, coordinator.id), "AM", version, "2027", carry_forward=True)
        carried = {a.question_key: a.value for a in db.session.scalars(
            sa.select(Answer).where(Answer.assessment_id == second.id))}
    assert carried == {"legal.electronic-documents": "partial"}
