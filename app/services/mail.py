"""E-mail copies of notifications, sent through Flask-Mailman only after the transaction commits.

Nothing is sent when MAIL_SERVER is empty. Messages are queued on the database session and sent
by an after-commit hook, so a rolled-back transition sends nothing and a failing mail server
never undoes a transition: the failure is logged and the in-app notification stays.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import Flask, current_app
from flask_mailman import EmailMessage

from app.extensions import db, mail

log = logging.getLogger(__name__)
OUTBOX = "mail_outbox"


def configured() -> bool:
    """Whether a mail server is configured (MAIL_SERVER)."""
    return bool(current_app.config.get("MAIL_SERVER"))


def queue(to: str, subject: str, body: str) -> None:
    """Send this message once the current transaction commits (dropped if it rolls back)."""
    message = EmailMessage(subject=subject, body=body, to=[to],
                           from_email=current_app.config["MAIL_DEFAULT_SENDER"])
    db.session.info.setdefault(OUTBOX, []).append((current_app._get_current_object(), message))


def send_now(app: Flask, messages: list[EmailMessage]) -> int:
    """Send over one connection; logs and skips what fails; returns how many the server accepted."""
    sent = 0
    with app.app_context():
        try:
            connection = mail.get_connection()
            connection.open()
        except Exception:  # noqa: BLE001 - any failure of the mail server must not reach the user
            log.exception("mail server %s:%s unreachable; %d notification e-mail(s) not sent",
                          app.config.get("MAIL_SERVER"), app.config.get("MAIL_PORT"), len(messages))
            return 0
        try:
            for message in messages:
                message.connection = connection
                try:
                    sent += message.send()
                except Exception:  # noqa: BLE001
                    log.exception("notification e-mail to %s not sent", ", ".join(message.to))
        finally:
            try:
                connection.close()
            except Exception:  # noqa: BLE001
                log.warning("closing the mail connection failed", exc_info=True)
    return sent


def _after_commit(session: so.Session) -> None:
    outbox = session.info.pop(OUTBOX, None)
    if not outbox:
        return
    by_app: dict = {}
    for app, message in outbox:
        by_app.setdefault(app, []).append(message)
    for app, messages in by_app.items():
        send_now(app, messages)


def _after_rollback(session: so.Session, *_args) -> None:
    session.info.pop(OUTBOX, None)


sa.event.listen(so.Session, "after_commit", _after_commit)
sa.event.listen(so.Session, "after_soft_rollback", _after_rollback)
