"""Deadline reminders (`flask notifications send-due`): the right ones, to coordinators, never twice."""
import threading
import time
from datetime import date, datetime, timezone

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Assessment, Notification, Reminder, User
from tests.conftest import PASSWORD
from tests.cycle_helpers import assessment_of, fill, open_cycle, shared_app, submit  # noqa: F401  (fixture)
from tests.smtp_sink import configure_mail, smtp_sink  # noqa: F401  (fixture)

DEADLINE = date(2026, 12, 7)


def _utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


@pytest.fixture
def people(make_user):
    return {"am_coord": make_user("coordinator", "AM"), "am_resp": make_user("respondent", "AM"),
            "by_coord": make_user("coordinator", "BY"), "by_coord2": make_user("coordinator", "BY"),
            "analyst": make_user("analyst")}


@pytest.fixture
def cycle_id(app, people, mini_version):
    return open_cycle(app, people["analyst"], mini_version, countries=("AM", "BY", "KZ"), submission=DEADLINE,
                      create_drafts=True)


def _send(app, at):
    from app.services import notifications

    with app.app_context():
        return [(r.country_code, r.kind, r.recipients) for r in notifications.send_due(at)]


def _kinds(app, user):
    with app.app_context():
        return db.session.scalars(sa.select(Notification.kind).where(Notification.user_id == user.id)
                                  .order_by(Notification.id)).all()


def test_nothing_is_due_more_than_seven_days_before_the_deadline(app, cycle_id):
    assert _send(app, _utc(2026, 11, 29, 9)) == []


def test_seven_days_before_the_coordinators_of_each_waiting_country_are_reminded_once(app, people, cycle_id):
    at = _utc(2026, 11, 30, 9)  # 30 November in Moscow: 7 days left
    assert _send(app, at) == [("AM", "due_7", 1), ("BY", "due_7", 2), ("KZ", "due_7", 0)]
    assert _send(app, at) == []  # a second run the same day sends nothing
    assert _send(app, _utc(2026, 12, 3, 9)) == []  # nor does one three days later
    assert _kinds(app, people["am_coord"]) == ["due_7"] and _kinds(app, people["by_coord2"]) == ["due_7"]
    assert _kinds(app, people["am_resp"]) == [] and _kinds(app, people["analyst"]) == []


def test_each_reminder_comes_once_in_turn_up_to_overdue(app, people, cycle_id):
    for day in range(28, 31):
        _send(app, _utc(2026, 11, day, 9))
    for day in range(1, 20):
        _send(app, _utc(2026, 12, day, 9))
    assert _kinds(app, people["am_coord"]) == ["due_7", "due_1", "overdue"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Reminder.id))) == 9  # 3 countries x 3 kinds


def test_a_run_that_missed_days_sends_only_the_latest_reminder(app, people, cycle_id):
    assert _send(app, _utc(2026, 12, 9, 9))[0] == ("AM", "overdue", 1)
    assert _kinds(app, people["am_coord"]) == ["overdue"]


def test_a_country_that_has_submitted_is_not_reminded_nor_are_closed_cycles(app, people, mini_version, cycle_id):
    from app.services import cycles

    am = assessment_of(app, cycle_id, "AM").id
    fill(app, people["am_coord"], am)
    submit(app, people["am_coord"], am)
    other = open_cycle(app, people["analyst"], mini_version, label="closed", countries=("AM",), submission=DEADLINE)
    with app.app_context():
        from app.models import Cycle
        cycles.close_cycle(db.session.get(User, people["analyst"].id), db.session.get(Cycle, other))
    sent = _send(app, _utc(2026, 12, 8, 9))
    assert ("AM", "overdue", 1) not in sent and {c for c, _k, _n in sent} == {"BY", "KZ"}


def test_a_deadline_counts_in_the_configured_time_zone(app, people, cycle_id):
    at = _utc(2026, 12, 7, 22, 0)  # 8 December 01:00 in Moscow (overdue), 7 December 17:00 in New York (due)
    app.config["CYCLE_TIME_ZONE"] = "America/New_York"
    assert _send(app, at)[0] == ("AM", "due_1", 1)
    app.config["CYCLE_TIME_ZONE"] = "Europe/Moscow"
    assert _send(app, at)[0] == ("AM", "overdue", 1)


def test_the_reminder_texts_in_english_and_russian(app, people, cycle_id):
    from app.services.notification_texts import render

    _send(app, _utc(2026, 12, 1, 9))  # 6 days left
    _send(app, _utc(2026, 12, 7, 9))  # the day itself
    _send(app, _utc(2026, 12, 8, 9))
    with app.app_context():
        notes = db.session.scalars(sa.select(Notification).where(
            Notification.user_id == people["am_coord"].id).order_by(Notification.id)).all()
        due_7, due_1, overdue = [(render(n, "en"), render(n, "ru")) for n in notes]
    assert due_7[0].subject == "Submission deadline approaching: Armenia, cycle 2026"
    assert due_7[0].paragraphs[0] == "The assessment of Armenia for cycle 2026 is due on December 7, 2026: 6 days left."
    assert due_7[1].paragraphs[0].replace("\u202f", " ") == (
        "Оценку страны Армения за цикл 2026 нужно представить до 7 декабря 2026 г. включительно: осталось 6 дней.")
    assert "Europe/Moscow" in due_7[1].paragraphs[1]
    assert due_1[0].paragraphs[0] == "The assessment of Armenia for cycle 2026 is due today, December 7, 2026."
    assert overdue[0].subject == "Submission overdue: Armenia, cycle 2026"
    assert overdue[1].subject == "Срок представления истёк: Армения, цикл 2026"
    assert overdue[0].path.startswith("/assessments/")


def test_reminders_go_out_by_e_mail_once(app, people, cycle_id, smtp_sink):
    sink, port = smtp_sink
    configure_mail(app, port)
    _send(app, _utc(2026, 12, 6, 9))
    _send(app, _utc(2026, 12, 6, 10))
    sink.wait_for(3)
    addressed = sorted(rcpt for _f, (rcpt,) in sink.envelopes)
    assert addressed == sorted([people["am_coord"].email, people["by_coord"].email, people["by_coord2"].email])
    assert "1 day left" in sink.to(people["am_coord"].email)[0].get_content()


def test_the_command_line_prints_what_it_sent(app, runner, people, cycle_id, monkeypatch):
    from app.services import cycles

    monkeypatch.setattr(cycles, "now", lambda: _utc(2026, 12, 8, 9))
    first = runner.invoke(args=["notifications", "send-due"])
    assert first.exit_code == 0 and "2026\tAM\toverdue\t1 recipient(s)" in first.output
    assert "reminders sent: 3" in first.output
    second = runner.invoke(args=["notifications", "send-due"])
    assert second.exit_code == 0 and "reminders sent: 0" in second.output


# ---- two runs at the same moment, on a real file database / PostgreSQL ---------------------------

def _twice_at_once(app, work) -> list:
    """Run `work` in two threads at once, each in its own app context and session; their results.

    Fails the test with the first exception a thread raised."""
    results, errors = [], []

    def run():
        try:
            with app.app_context():
                results.append(work())
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


def test_two_concurrent_runs_send_each_reminder_once(shared_app, monkeypatch):
    from app.services import accounts, countries, notifications, questionnaires
    from tests.conftest import DATA

    app = shared_app
    with app.app_context():
        countries.sync_countries(("AM", "BY", "KZ", "KG", "RU"))
        questionnaires.load_paths([f"{DATA}/mini-2026.1.yaml"])
        for code in ("AM", "BY", "KZ", "KG", "RU"):
            accounts.create_user(email=f"{code.lower()}@example.org", name=code, role="coordinator",
                                 country_code=code, password=PASSWORD)
        analyst = accounts.create_user(email="analyst@example.org", name="A", role="analyst", password=PASSWORD)
        db.session.refresh(analyst)
        db.session.expunge(analyst)
        version = questionnaires.find_version("mini", "2026.1").id
    for label in ("a", "b", "c"):
        open_cycle(app, analyst, version, label=label, submission=DEADLINE)

    # Both runs decide what is due, then claim at the same moment.
    barrier, claim, local = threading.Barrier(2, timeout=10), notifications._claim, threading.local()

    def racing_claim(*args):
        if not getattr(local, "waited", False):  # each run's first claim waits for the other run's
            local.waited = True
            barrier.wait()
        return claim(*args)

    monkeypatch.setattr(notifications, "_claim", racing_claim)
    results = _twice_at_once(app, lambda: notifications.send_due(_utc(2026, 12, 8, 9)))
    assert sum(len(r) for r in results) == 15  # 3 cycles x 5 countries, split between the runs
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Reminder.id))) == 15
        per_user = db.session.execute(sa.select(Notification.user_id, sa.func.count()).group_by(
            Notification.user_id)).all()
    assert sorted(n for _u, n in per_user) == [3] * 5  # each coordinator: one overdue notice per cycle


def test_two_concurrent_runs_send_each_refused_e_mail_copy_once(shared_app, smtp_sink, monkeypatch):
    """Both runs read the same owed copies, then claim them at the same moment: each copy goes out once."""
    from datetime import timedelta

    from app.services import accounts, countries, cycles, notifications

    sink, port = smtp_sink
    app = shared_app
    configure_mail(app, port)
    with app.app_context():
        countries.sync_countries(("AM",))
        users = [accounts.create_user(email=f"analyst{n}@example.org", name=f"A{n}", role="analyst",
                                      password=PASSWORD) for n in range(6)]
        for user in users:  # copies a failing server refused: owed
            db.session.add(Notification(user_id=user.id, kind="submitted", params={"cycle": "2026", "country": "AM"},
                                        email_due=True))
        db.session.commit()
    later = cycles.now() + timedelta(minutes=10)

    barrier, owed_emails = threading.Barrier(2, timeout=10), notifications._owed_emails

    def racing_owed(at):
        found = owed_emails(at)
        db.session.commit()  # the other run reads too before either claims
        barrier.wait()
        return found

    monkeypatch.setattr(notifications, "_owed_emails", racing_owed)
    results = _twice_at_once(app, lambda: notifications.send_owed_emails(later))
    assert sum(r.sent for r in results) == 6 and sum(r.failed for r in results) == 0
    sink.wait_for(6)
    time.sleep(0.3)  # a duplicate would arrive now
    received = sorted(rcpt for _f, (rcpt,) in sink.envelopes)
    assert received == sorted(f"analyst{n}@example.org" for n in range(6))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).where(
            Notification.email_due.is_(False), Notification.emailed_at.is_not(None))) == 6
