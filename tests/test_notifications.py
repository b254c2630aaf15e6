"""Notifications: recipients of each transition, texts in both languages, the in-app list, preferences, e-mail."""
import logging
from datetime import date

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Assessment, AuditEvent, Notification, User
from tests.cycle_helpers import assessment_of, fill, open_cycle, submit
from tests.smtp_sink import configure_mail, free_port, smtp_sink  # noqa: F401  (fixture)


@pytest.fixture
def people(make_user):
    """The coordinator and respondent of Armenia and of Belarus, two analysts, an administrator."""
    return {"am_coord": make_user("coordinator", "AM", name="Anna Coordinator"),
            "am_resp": make_user("respondent", "AM", name="Aram Respondent"),
            "by_coord": make_user("coordinator", "BY"),
            "analyst": make_user("analyst", name="Elena Analyst"), "analyst2": make_user("analyst"),
            "admin": make_user("admin")}


@pytest.fixture
def cycle_id(app, people, mini_version):
    return open_cycle(app, people["analyst"], mini_version, countries=("AM", "BY"), submission=date(2026, 12, 7),
                      create_drafts=True)


def _notes(app, user, kind=None):
    with app.app_context():
        query = sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        if kind:
            query = query.where(Notification.kind == kind)
        found = db.session.scalars(query).all()
        for n in found:
            db.session.expunge(n)
        return found


def _text(app, notification, lang, reader):
    from app.services.notification_texts import render

    with app.app_context():
        n = db.session.get(Notification, notification.id)
        return render(n, lang, db.session.get(User, reader.id))


def _return_with_flag(app, analyst, assessment_id, comment="Which statistics give 3.5 hours?"):
    from app.services import workflow

    with app.app_context():
        item, user = db.session.get(Assessment, assessment_id), db.session.get(User, analyst.id)
        workflow.add_flag(user, item, "release.hours", comment)
        workflow.return_assessment(user, item)


def _submitted(app, people, cycle_id):
    am = assessment_of(app, cycle_id, "AM").id
    fill(app, people["am_coord"], am)
    submit(app, people["am_coord"], am)
    return am


def test_a_submission_tells_every_analyst_and_nobody_else(app, people, cycle_id):
    _submitted(app, people, cycle_id)
    assert [n.kind for n in _notes(app, people["analyst"])] == ["submitted"]
    assert [n.kind for n in _notes(app, people["analyst2"])] == ["submitted"]
    for other in ("am_coord", "am_resp", "by_coord", "admin"):
        assert _notes(app, people[other]) == []


def test_a_return_tells_the_coordinator_and_respondents_of_that_country_with_the_flags(app, people, cycle_id):
    am = _submitted(app, people, cycle_id)
    _return_with_flag(app, people["analyst"], am)
    for who in ("am_coord", "am_resp"):
        returned = _notes(app, people[who], "returned")
        assert len(returned) == 1 and returned[0].assessment_id == am
        assert returned[0].params["flags"] == [{"key": "release.hours", "comment": "Which statistics give 3.5 hours?"}]
    assert _notes(app, people["by_coord"]) == [] and _notes(app, people["analyst2"], "returned") == []


def test_the_returned_notification_reads_well_in_english_and_russian(app, people, cycle_id):
    am = _submitted(app, people, cycle_id)
    _return_with_flag(app, people["analyst"], am)
    note = _notes(app, people["am_coord"], "returned")[0]
    english = _text(app, note, "en", people["am_coord"])
    assert english.subject == "Assessment returned for revision: Armenia, cycle 2026"
    assert ("The analyst returned the assessment of Armenia for cycle 2026 with 1 flagged question."
            in english.paragraphs)
    assert "• “Median release time” — Which statistics give 3.5 hours?" in english.paragraphs
    assert english.path == f"/assessments/{am}"
    russian = _text(app, note, "ru", people["am_coord"])
    assert russian.subject == "Оценка возвращена на доработку: Армения, цикл 2026"
    assert "Аналитик вернул оценку страны Армения за цикл 2026: отмечен 1 вопрос." in russian.paragraphs
    assert "• «Медианное время выпуска» — Which statistics give 3.5 hours?" in russian.paragraphs


def test_an_answered_flag_tells_the_analysts_and_a_validation_tells_the_country(app, people, cycle_id):
    from app.services import workflow

    am = _submitted(app, people, cycle_id)
    _return_with_flag(app, people["analyst"], am)
    with app.app_context():
        item = db.session.get(Assessment, am)
        workflow.respond_to_flag(db.session.get(User, people["am_resp"].id), item, workflow.flags(item)[0].id,
                                 "From the 2025 customs statistics.")
    answered = _notes(app, people["analyst"], "flag_answered")
    assert len(answered) == 1 and len(_notes(app, people["analyst2"], "flag_answered")) == 1
    assert _notes(app, people["am_resp"], "flag_answered") == []  # the one who replied is not told
    text = _text(app, answered[0], "en", people["analyst"])
    assert text.paragraphs == ["Armenia replied to your flag on the question “Median release time”:",
                               "From the 2025 customs statistics."]
    assert text.path == f"/review/{am}"
    assert _text(app, answered[0], "ru", people["analyst"]).subject == "Ответ на замечание: Армения, цикл 2026"

    submit(app, people["am_coord"], am)
    with app.app_context():
        item = db.session.get(Assessment, am)
        reasons = {flag.id: "The reply settles it." for flag in workflow.unresolved_flags(item)}
        workflow.validate(db.session.get(User, people["analyst"].id), item, reasons)
    for who in ("am_coord", "am_resp"):
        validated = _notes(app, people[who], "validated")
        assert len(validated) == 1
    text = _text(app, validated[0], "ru", people["am_resp"])
    assert text.subject == "Оценка утверждена: Армения, цикл 2026"
    assert _notes(app, people["by_coord"]) == []


def test_a_late_submission_says_so_to_the_analysts(app, people, mini_version):
    cycle_id = open_cycle(app, people["analyst"], mini_version, countries=("AM",), submission=date(2020, 1, 31),
                          create_drafts=True)
    _submitted(app, people, cycle_id)
    note = _notes(app, people["analyst"], "submitted")[0]
    assert note.params["late"] is True
    assert ("It was submitted after the submission deadline of January 31, 2020."
            in _text(app, note, "en", people["analyst"]).paragraphs)
    russian = [p.replace("\u202f", " ") for p in _text(app, note, "ru", people["analyst"]).paragraphs]
    assert "Она представлена после срока представления (31 января 2020 г.)." in russian


def test_the_bell_counts_unread_notifications_and_the_list_marks_them_read(app, client, auth, people, cycle_id):
    am = _submitted(app, people, cycle_id)
    _return_with_flag(app, people["analyst"], am)
    auth.login(people["am_coord"])
    home = client.get("/").get_data(as_text=True)
    assert 'data-testid="unread-count">1<' in home
    listing = client.get("/notifications/").get_data(as_text=True)
    assert "Assessment returned for revision: Armenia, cycle 2026" in listing and 'data-read="no"' in listing
    note = _notes(app, people["am_coord"])[0]
    response = client.post(f"/notifications/{note.id}/open")
    assert response.status_code == 302 and response.headers["Location"] == f"/assessments/{am}"
    assert _notes(app, people["am_coord"])[0].read_at is not None
    assert 'data-testid="unread-count"' not in client.get("/").get_data(as_text=True)


def test_mark_all_read_touches_only_ones_own_notifications(app, client, auth, people, cycle_id):
    am = _submitted(app, people, cycle_id)
    _return_with_flag(app, people["analyst"], am)
    respondent_note = _notes(app, people["am_resp"])[0]
    auth.login(people["am_coord"])
    assert client.post(f"/notifications/{respondent_note.id}/open").headers["Location"] == "/notifications/"
    with app.app_context():  # the refusal is in the audit log
        from app.models import AuditEvent

        refused = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "access.refused")).all()
        assert [e.after["reason"] for e in refused] == [f"notification {respondent_note.id} is not the user's"]
    client.post("/notifications/read")
    assert all(n.read_at for n in _notes(app, people["am_coord"]))
    assert _notes(app, people["am_resp"])[0].read_at is None


def test_notifications_need_a_login(client):
    assert client.get("/notifications/").status_code == 302
    assert client.post("/notifications/read").status_code == 302


def test_the_list_shows_the_text_in_the_language_of_the_page(app, client, auth, people, cycle_id):
    am = _submitted(app, people, cycle_id)
    _return_with_flag(app, people["analyst"], am)
    auth.login(people["am_coord"])
    client.post("/language/ru")
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Оценка возвращена на доработку: Армения, цикл 2026" in page


def test_preferences_are_saved_audited_and_set_the_language_of_notifications(app, client, auth, people):
    from app.services.notifications import language_of

    auth.login(people["am_coord"])
    assert "The language of my last session" in client.get("/notifications/preferences").get_data(as_text=True)
    client.post("/notifications/preferences", data={"language": "ru"})  # e-mail box unticked
    with app.app_context():
        user = db.session.get(User, people["am_coord"].id)
        assert (user.notification_language, user.email_notifications) == ("ru", False)
        assert language_of(user) == "ru"
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.preferences"))
        assert event.after == {"notification_language": "ru", "email_notifications": False}
    response = client.post("/notifications/preferences", data={"language": "de", "email": "y"})
    assert response.status_code == 200  # not a choice: refused, nothing changed
    with app.app_context():
        assert db.session.get(User, people["am_coord"].id).notification_language == "ru"


def test_without_a_choice_notifications_use_the_language_of_the_last_session(app, client, auth, people):
    from app.services.notifications import language_of

    client.get("/login", headers={"Accept-Language": "ru"})
    auth.login(people["am_resp"], headers={"Accept-Language": "ru"})
    client.get("/", headers={"Accept-Language": "ru"})
    with app.app_context():
        assert language_of(db.session.get(User, people["am_resp"].id)) == "ru"
    client.post("/language/en")
    with app.app_context():
        assert language_of(db.session.get(User, people["am_resp"].id)) == "en"


def test_without_mail_configured_nothing_is_sent_and_nothing_fails(app, people, cycle_id, smtp_sink):
    sink, _port = smtp_sink
    am = _submitted(app, people, cycle_id)
    _return_with_flag(app, people["analyst"], am)
    assert sink.messages == [] and len(_notes(app, people["am_coord"])) == 1


def test_e_mail_reaches_a_real_smtp_server_in_each_recipients_language(app, people, cycle_id, smtp_sink):
    sink, port = smtp_sink
    configure_mail(app, port)
    with app.app_context():
        db.session.get(User, people["am_coord"].id).notification_language = "ru"
        db.session.get(User, people["am_resp"].id).email_notifications = False  # turned off for himself
        db.session.commit()
    am = _submitted(app, people, cycle_id)
    sink.wait_for(2)
    # (the same run may send a deadline reminder to Belarus, which has not submitted)
    received = [rcpt for _f, (rcpt,) in sink.envelopes]
    assert received.count(people["analyst"].email) == 1 and received.count(people["analyst2"].email) == 1
    _return_with_flag(app, people["analyst"], am)
    sink.wait_for(3)
    russian = sink.to(people["am_coord"].email)
    assert len(russian) == 1 and sink.to(people["am_resp"].email) == []
    message = russian[0]
    assert message["Subject"].strip() == "[Цифровая зрелость таможни] Оценка возвращена на доработку: Армения, цикл 2026"
    assert message["From"] == "customs-maturity@eec.example"
    body = message.get_content()
    assert body.startswith("Здравствуйте, Anna Coordinator!")
    assert "• «Медианное время выпуска» — Which statistics give 3.5 hours?" in body
    assert f"http://127.0.0.1:5000/assessments/{am}" in body and "/notifications/preferences" in body
    english = sink.to(people["analyst"].email)[0]
    assert english["Subject"].strip() == "[Digital Customs Maturity] Assessment submitted: Armenia, cycle 2026"
    assert f"http://127.0.0.1:5000/review/{am}" in english.get_content()


def test_a_failing_mail_server_does_not_undo_the_transition(app, people, cycle_id, caplog):
    configure_mail(app, free_port())  # nothing listens there
    am = assessment_of(app, cycle_id, "AM").id
    fill(app, people["am_coord"], am)
    with caplog.at_level(logging.ERROR, logger="app.services.mail"):
        submit(app, people["am_coord"], am)
    assert assessment_of(app, cycle_id, "AM").status == "submitted"
    assert len(_notes(app, people["analyst"], "submitted")) == 1
    assert any("not sent" in record.getMessage() for record in caplog.records)


def test_a_rolled_back_transaction_sends_no_e_mail(app, people, cycle_id, smtp_sink):
    from app.services import notifications

    sink, port = smtp_sink
    configure_mail(app, port)
    with app.app_context():
        item = db.session.get(Assessment, assessment_of(app, cycle_id, "AM").id)
        notifications.on_validated(db.session.get(User, people["analyst"].id), item)
        db.session.rollback()
        db.session.commit()  # a later commit must not send what was rolled back
    sink.wait_for(1, timeout=0.5)
    assert sink.messages == [] and _notes(app, people["am_coord"]) == []


def _email_state(app, user):
    with app.app_context():
        return [(n.email_due, n.emailed_at is not None) for n in db.session.scalars(
            sa.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id))]


def _retry(app, minutes_later=10):
    from datetime import timedelta

    from app.services import cycles, notifications

    with app.app_context():
        return notifications.send_owed_emails(cycles.now() + timedelta(minutes=minutes_later))


def test_a_copy_the_server_accepts_is_marked_sent(app, people, cycle_id, smtp_sink):
    sink, port = smtp_sink
    configure_mail(app, port)
    _submitted(app, people, cycle_id)
    sink.wait_for(2)
    assert _email_state(app, people["analyst"]) == [(False, True)]
    assert _retry(app) == notifications_retry(0, 0) and len(sink.messages) == 2  # nothing owed, nothing sent again


def notifications_retry(sent, failed):
    from app.services.notifications import EmailRetry

    return EmailRetry(sent, failed)


def test_copies_a_failing_server_refused_are_sent_by_the_next_run_once(app, people, cycle_id, smtp_sink):
    sink, port = smtp_sink
    configure_mail(app, free_port())  # the mail server is down when the assessment is submitted
    _submitted(app, people, cycle_id)
    assert _email_state(app, people["analyst"]) == [(True, False)]
    with app.app_context():  # one analyst no longer wants e-mail: his copy is not sent later either
        db.session.get(User, people["analyst2"].id).email_notifications = False
        db.session.commit()
    assert _retry(app, minutes_later=1) == notifications_retry(0, 0)  # too young: may still be on its way
    assert _retry(app) == notifications_retry(0, 1)  # still down: owed again
    assert _email_state(app, people["analyst"]) == [(True, False)]
    configure_mail(app, port)  # the server is back
    assert _retry(app) == notifications_retry(1, 0)
    sink.wait_for(1)
    assert [rcpt for _f, (rcpt,) in sink.envelopes] == [people["analyst"].email]
    assert sink.messages[0]["Subject"].strip() == "[Digital Customs Maturity] Assessment submitted: Armenia, cycle 2026"
    assert _email_state(app, people["analyst"]) == [(False, True)]
    assert _email_state(app, people["analyst2"]) == [(True, False)]
    assert _retry(app) == notifications_retry(0, 0) and len(sink.messages) == 1  # never twice


def test_refused_copies_older_than_the_retry_window_are_left_to_the_in_app_list(app, people, cycle_id, smtp_sink):
    from app.services.notifications import EMAIL_RETRY_HOURS

    sink, port = smtp_sink
    configure_mail(app, free_port())
    _submitted(app, people, cycle_id)
    configure_mail(app, port)
    assert _retry(app, minutes_later=60 * EMAIL_RETRY_HOURS + 1) == notifications_retry(0, 0)
    assert sink.messages == [] and _email_state(app, people["analyst"]) == [(True, False)]


def test_the_command_reports_the_copies_it_sent_again(app, people, cycle_id, smtp_sink, monkeypatch):
    from datetime import timedelta

    from app.services import cycles

    sink, port = smtp_sink
    configure_mail(app, free_port())
    _submitted(app, people, cycle_id)
    configure_mail(app, port)
    later = cycles.now() + timedelta(minutes=10)
    monkeypatch.setattr(cycles, "now", lambda: later)
    result = app.test_cli_runner().invoke(args=["notifications", "send-due"])
    assert result.exit_code == 0, result.output
    assert "e-mail copies sent again: 2; refused again: 0" in result.output
    sink.wait_for(2)
    # (the same run may send a deadline reminder to Belarus, which has not submitted)
    received = [rcpt for _f, (rcpt,) in sink.envelopes]
    assert received.count(people["analyst"].email) == 1 and received.count(people["analyst2"].email) == 1
