"""E-mail copies of notifications, sent through Flask-Mailman only after the transaction commits.

Nothing is sent when MAIL_SERVER is empty. Messages are queued on the database session and sent
by an after-commit hook, so a rolled-back transition sends nothing and a failing mail server
never undoes a transition: the failure is logged and the in-app notification stays. A copy the
server accepted marks its notification sent (`emailed_at`); one it refused stays owed (`email_due`)
and `flask notifications send-due` sends it again (app.services.notifications.send_owed_emails).
"""
from __future__ import annotations

import logging
from datetime import datetime, timezone

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Flask, current_app
from flask_mailman import EmailMessage

from app.extensions import db, mail
from app.models import Notification

log = logging.getLogger(__name__)
OUTBOX = "mail_outbox"


def configured() -> bool:
    """Whether a mail server is configured (MAIL_SERVER)."""
    return bool(current_app.config.get("MAIL_SERVER"))


def message(to: str, subject: str, body: str) -> EmailMessage:
    """A plain-text message from MAIL_DEFAULT_SENDER."""
    return EmailMessage(subject=subject, body=body, to=[to], from_email=current_app.config["MAIL_DEFAULT_SENDER"])


def queue(to: str, subject: str, body: str, notification: Notification | None = None) -> None:
    """Send this message once the current transaction commits (dropped if it rolls back).

    notification: the one this message is the e-mail copy of; it is marked sent (emailed_at, no longer
    email_due) when the server accepts the message.
    """
    db.session.info.setdefault(OUTBOX, []).append(
        (current_app._get_current_object(), message(to, subject, body), notification))


def send_now(app: Flask, messages: list[EmailMessage]) -> list[bool]:
    """Send over one connection; logs and skips what fails; returns, per message, whether the server accepted it."""
    accepted = [False] * len(messages)
    with app.app_context():
        try:
            connection = mail.get_connection()
            connection.open()
        except Exception:  # noqa: BLE001 - any failure of the mail server must not reach the user
            log.exception("mail server %s:%s unreachable; %d notification e-mail(s) not sent",
                          app.config.get("MAIL_SERVER"), app.config.get("MAIL_PORT"), len(messages))
            return accepted
        try:
            for number, email in enumerate(messages):
                email.connection = connection
                try:
                    accepted[number] = email.send() == 1
                except Exception:  # noqa: BLE001
                    log.exception("notification e-mail to %s not sent", ", ".join(email.to))
        finally:
            try:
                connection.close()
            except Exception:  # noqa: BLE001
                log.warning("closing the mail connection failed", exc_info=True)
    return accepted


def mark_sent(notification_ids: list[int], at: datetime | None = None) -> sa.Update:
    """The statement that marks these notifications' e-mail copies sent (emailed_at, no longer owed)."""
    return (sa.update(Notification).where(Notification.id.in_(notification_ids))
            .values(emailed_at=at or datetime.now(timezone.utc), email_due=False)
            .execution_options(synchronize_session=False))


def _after_commit(session: so.Session) -> None:
    outbox = session.info.pop(OUTBOX, None)
    if not outbox:
        return
    by_app: dict = {}
    for app, email, notification in outbox:
        # the committed notification's id, without loading it again (the commit expired it)
        identity = sa.inspect(notification).identity if notification is not None else None
        by_app.setdefault(app, []).append((email, identity[0] if identity else None))
    for app, pairs in by_app.items():
        accepted = send_now(app, [email for email, _id in pairs])
        sent = [notification_id for (_email, notification_id), ok in zip(pairs, accepted) if ok and notification_id]
        if sent:
            _record_sent(app, sent)


def _record_sent(app: Flask, notification_ids: list[int]) -> None:
    """Mark the sent copies in a transaction of their own (the session's has just ended)."""
    with app.app_context():
        try:
            with db.engine.begin() as connection:
                connection.execute(mark_sent(notification_ids))
        except sa.exc.SQLAlchemyError:  # the copies went out; at worst `send-due` sends them again
            log.exception("could not mark %d sent notification e-mail(s)", len(notification_ids))


def _after_rollback(session: so.Session, *_args) -> None:
    session.info.pop(OUTBOX, None)


sa.event.listen(so.Session, "after_commit", _after_commit)
sa.event.listen(so.Session, "after_soft_rollback", _after_rollback)
