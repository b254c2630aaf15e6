"""Notifications: who is told what when an assessment moves or a deadline nears; the in-app list; e-mail.

The workflow calls one hook per transition (on_submitted, on_returned, on_flag_answered,
on_validated) after the status change and before its commit, so the notifications are stored
in the same transaction; e-mail copies leave after the commit (app.services.mail). Deadline
reminders come from `send_due`, run by `flask notifications send-due` (cron or a systemd timer),
which also sends again the e-mail copies a mail server refused (`send_owed_emails`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.dialects import postgresql, sqlite

from app import audit, database
from app.extensions import db
from app.models import Assessment, Cycle, Notification, Reminder, ReviewFlag, User
from app.services import cycles, deadlines, mail
from app.services.notification_texts import email_text, render
from app.vocabulary import NATIONAL_ROLES, Role


class PreferenceError(ValueError):
    """A notification preference was refused; the message says why."""


# ---- recipients and languages -------------------------------------------------------------

def language_of(user: User) -> str:
    """The language the user's notifications are written in: their choice, else their last session's."""
    languages = current_app.config["LANGUAGES"]
    for lang in (user.notification_language, user.language):
        if lang in languages:
            return lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _people(*conditions) -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.active.is_(True), *conditions).order_by(User.id)))


def analysts() -> list[User]:
    return _people(User.role == Role.ANALYST)


def country_officials(country_code: str) -> list[User]:
    """Coordinators and respondents of the country."""
    return _people(User.country_code == country_code, User.role.in_(NATIONAL_ROLES))


def coordinators(country_code: str) -> list[User]:
    return _people(User.country_code == country_code, User.role == Role.COORDINATOR)


def notify(users: list[User], kind: str, *, assessment: Assessment | None = None, cycle_id: int | None = None,
           params: dict, actor: User | None = None) -> list[Notification]:
    """Store one notification per recipient (the actor excepted) and queue its e-mail; the caller commits."""
    made = []
    for user in users:
        if actor is not None and user.id == actor.id:
            continue
        notification = Notification(user_id=user.id, user=user, kind=kind, params=params,
                                    assessment_id=assessment.id if assessment is not None else None,
                                    cycle_id=cycle_id if cycle_id is not None else
                                    (assessment.cycle_id if assessment is not None else None))
        db.session.add(notification)
        made.append(notification)
        if mail.configured() and user.email_notifications and user.email:
            _queue_email(notification, user)
    return made


def _queue_email(notification: Notification, user: User) -> None:
    notification.email_due = True
    mail.queue(*_email_of(notification, user), notification=notification)


def _email_of(notification: Notification, user: User) -> tuple[str, str, str]:
    """(to, subject, body) of a notification's e-mail copy, in the user's notification language."""
    lang = language_of(user)
    text = render(notification, lang, user)
    prefix = {"en": "[Digital Customs Maturity]", "ru": "[Цифровая зрелость таможни]"}.get(lang, "")
    return (user.email, f"{prefix} {text.subject}".strip(),
            email_text(text, user, lang, current_app.config["APP_BASE_URL"]))


#: how long a refused e-mail copy is tried again (older news is left to the in-app list)
EMAIL_RETRY_HOURS = 48
#: a copy younger than this may still be on its first way out (sent after its own commit)
EMAIL_RETRY_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class EmailRetry:
    """What one `send_owed_emails` run did: copies sent now, copies still refused."""

    sent: int
    failed: int


def send_owed_emails(at: datetime | None = None) -> EmailRetry:
    """Send again the e-mail copies the mail server refused (notifications still `email_due`).

    Only copies of the last EMAIL_RETRY_HOURS, at least EMAIL_RETRY_AFTER old, to users whose account is
    active and who still want e-mail; nothing without a mail server. Each copy is claimed before it is
    sent (`_claim_email`: its `email_due` cleared by an UPDATE that counts rows, in one write transaction),
    so two runs at once never send one copy twice; a copy refused again is owed again. Commits.
    """
    if not mail.configured():
        return EmailRetry(0, 0)
    at = at or cycles.now()
    owed = _owed_emails(at)
    database.begin_write()  # ends the read above; on SQLite the claims wait for the write lock
    claimed = [(notification_id, email) for notification_id, email in owed if _claim_email(notification_id)]
    db.session.commit()
    if not claimed:
        return EmailRetry(0, 0)
    accepted = mail.send_now(current_app._get_current_object(),
                             [mail.message(*email) for _id, email in claimed])
    sent = [notification_id for (notification_id, _email), ok in zip(claimed, accepted) if ok]
    refused = [notification_id for (notification_id, _email), ok in zip(claimed, accepted) if not ok]
    if sent:
        db.session.execute(mail.mark_sent(sent, at))
    if refused:
        db.session.execute(sa.update(Notification).where(Notification.id.in_(refused)).values(email_due=True)
                           .execution_options(synchronize_session=False))
    db.session.commit()
    return EmailRetry(len(sent), len(refused))


def _owed_emails(at: datetime) -> list[tuple[int, tuple[str, str, str]]]:
    """(notification id, (to, subject, body)) of the copies send_owed_emails may send at `at`."""
    owed = db.session.scalars(
        sa.select(Notification).join(Notification.user)
        .where(Notification.email_due, Notification.emailed_at.is_(None),
               Notification.created_at >= at - timedelta(hours=EMAIL_RETRY_HOURS),
               Notification.created_at <= at - EMAIL_RETRY_AFTER,
               User.active, User.email_notifications, User.email != "")
        .options(so.contains_eager(Notification.user)).order_by(Notification.id))
    return [(notification.id, _email_of(notification, notification.user)) for notification in owed]


def _claim_email(notification_id: int) -> bool:
    """Take the owed copy for this run: True when this transaction cleared its `email_due` (no other run did)."""
    return db.session.execute(sa.update(Notification).where(
        Notification.id == notification_id, Notification.email_due).values(email_due=False)
        .execution_options(synchronize_session=False)).rowcount == 1


def _base(assessment: Assessment) -> dict:
    return {"cycle": assessment.cycle, "country": assessment.country_code}


# ---- the workflow hooks (one per transition) ------------------------------------------------

def on_submitted(user: User, assessment: Assessment) -> None:
    """Mark a late first submission, tell the analysts; in the submit transaction."""
    cycles.record_submission(user, assessment)
    params = {**_base(assessment), "late": bool(assessment.submitted_late)}
    if assessment.submitted_late:
        cycle = db.session.get(Cycle, assessment.cycle_id)
        params["deadline"] = cycle.submission_deadline.isoformat()
    notify(analysts(), "submitted", assessment=assessment, params=params, actor=user)


def on_returned(user: User, assessment: Assessment) -> None:
    """Tell the country's coordinator and respondents, with the open flags; in the return transaction."""
    flags = db.session.scalars(sa.select(ReviewFlag).where(
        ReviewFlag.assessment_id == assessment.id, ReviewFlag.state == "open").order_by(ReviewFlag.id))
    params = {**_base(assessment), "flags": [{"key": f.question_key, "comment": f.comment} for f in flags]}
    notify(country_officials(assessment.country_code), "returned", assessment=assessment, params=params,
           actor=user)


def on_flag_answered(user: User, assessment: Assessment, flag: ReviewFlag) -> None:
    """Tell the analysts what the country replied to a flag; in the reply transaction."""
    params = {**_base(assessment), "key": flag.question_key, "response": flag.response or ""}
    notify(analysts(), "flag_answered", assessment=assessment, params=params, actor=user)


def on_validated(user: User, assessment: Assessment) -> None:
    """Tell the country that its assessment is final; in the validation transaction."""
    notify(country_officials(assessment.country_code), "validated", assessment=assessment,
           params=_base(assessment), actor=user)


# ---- deadline reminders ---------------------------------------------------------------------

@dataclass(frozen=True)
class SentReminder:
    """One reminder this run sent: cycle, country, kind and the number of coordinators told."""

    cycle: str
    country_code: str
    kind: str
    recipients: int


def send_due(at: datetime | None = None) -> list[SentReminder]:
    """Send the deadline reminders due now to the coordinators of countries that have not submitted.

    Per open cycle and participant without a submission: "due_7" from 7 days before the
    submission deadline, "due_1" from 1 day before, "overdue" after it (app.services.deadlines).
    Each (cycle, country, kind) is sent at most once, ever: the reminder row is inserted with
    ON CONFLICT DO NOTHING on its unique key in the same transaction as the notifications, so
    a second run, even a concurrent one, finds it taken and sends nothing. Commits per reminder.
    """
    at, tz, sent = at or cycles.now(), cycles.time_zone(), []
    for cycle_id, label, deadline in db.session.execute(sa.select(
            Cycle.id, Cycle.label, Cycle.submission_deadline).where(Cycle.status == "open").order_by(Cycle.id)).all():
        kind = deadlines.reminder_due(deadline, at, tz)
        if kind is None:
            continue
        for code, assessment_id in _waiting(cycle_id):
            if not _claim(cycle_id, code, kind, at):
                db.session.rollback()
                continue
            assessment = db.session.get(Assessment, assessment_id) if assessment_id else None
            params = {"cycle": label, "country": code, "deadline": deadline.isoformat(),
                      "days": deadlines.days_left(deadline, at, tz)}
            told = notify(coordinators(code), kind, assessment=assessment, cycle_id=cycle_id, params=params)
            audit.record("reminder.send", assessment_id=assessment_id, target=f"cycle {cycle_id} {code}",
                         after={"kind": kind, "cycle": label, "recipients": len(told)})
            db.session.commit()
            sent.append(SentReminder(label, code, kind, len(told)))
    return sent


def _waiting(cycle_id: int) -> list[tuple[str, int | None]]:
    """Participants of the cycle that have never submitted: (country code, assessment id or None)."""
    cycle = db.session.get(Cycle, cycle_id)
    found = {a.country_code: a for a in db.session.scalars(sa.select(Assessment).where(
        Assessment.cycle_id == cycle_id))}
    return [(code, found[code].id if code in found else None) for code in cycle.country_codes
            if code not in found or found[code].submitted_at is None]


def _claim(cycle_id: int, country_code: str, kind: str, at: datetime) -> bool:
    """Insert the reminder row unless it exists; True when this transaction owns it."""
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Reminder)
    statement = insert.values(cycle_id=cycle_id, country_code=country_code, kind=kind, sent_at=at)
    statement = statement.on_conflict_do_nothing(index_elements=["cycle_id", "country_code", "kind"])
    return db.session.execute(statement.returning(Reminder.id)).scalar() is not None


# ---- the in-app list and preferences --------------------------------------------------------

def unread_count(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def recent(user: User, limit: int = 200) -> list[Notification]:
    """The user's notifications, newest first."""
    return list(db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id).order_by(
        Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def mark_read(user: User, notification_id: int | None = None) -> Notification | None:
    """Mark one of the user's notifications read (or all, without an id); commits.

    Returns the notification, or None when it is not the user's (or for all).
    """
    query = sa.update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    found = None
    if notification_id is not None:
        found = db.session.scalar(sa.select(Notification).where(
            Notification.id == notification_id, Notification.user_id == user.id))
        if found is None:
            return None
        query = query.where(Notification.id == notification_id)
    db.session.execute(query.values(read_at=cycles.now()))
    db.session.commit()
    return found


def set_preferences(user: User, language: str | None, email: bool) -> None:
    """The user's notification language (None: as the last session) and e-mail choice; commits."""
    if language is not None and language not in current_app.config["LANGUAGES"]:
        raise PreferenceError(_("Choose one of the offered languages."))
    before = {"notification_language": user.notification_language, "email_notifications": user.email_notifications}
    user.notification_language, user.email_notifications = language, bool(email)
    audit.record("user.preferences", user=user, target=user.email, before=before,
                 after={"notification_language": language, "email_notifications": bool(email)})
    db.session.commit()


def remember_session_language(user: User, lang: str) -> None:
    """Record the language of a user's first session, the default for their notifications; commits."""
    if user.language is None and lang in current_app.config["LANGUAGES"]:
        user.language = lang
        db.session.commit()
