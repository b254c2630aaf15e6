"""Server-side login sessions: one UserSession row per login, referenced from the signed cookie.

The cookie carries a random token; the row (found by the token's SHA-256) says whether the
session is still valid. Ending a session is a database write, so it takes effect on every
worker and every server at once. Idle and absolute limits (IDLE_TIMEOUT, SESSION_MAX_AGE)
are measured from the row's ``last_seen_at`` and ``created_at``.
"""
import functools
import hashlib
import secrets
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import current_app, has_request_context, request

from app import audit
from app.extensions import db
from app.models import User, UserSession
from app.services import throttle

#: last_seen_at is written at most this often per session, so that reading a page is not a write each time
TOUCH_EVERY = timedelta(seconds=10)

#: ended session rows are kept this long (shown to nobody; useful when investigating), then deleted
KEEP_ENDED = timedelta(days=30)

#: why a session ended (UserSession.ended_reason)
LOGOUT, IDLE, ABSOLUTE, ENDED_BY_USER, PASSWORD_CHANGE, DISABLED, ADMIN_RESET = (
    "logout", "idle", "absolute", "ended-by-user", "password-change", "disabled", "admin-reset")


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start(user: User) -> str:
    """Record a new session for a user who has just logged in; returns the token for the cookie; commits.

    A temporary password is used up by the login that starts a session with it, and the per-account
    count of failed logins is cleared (only now: after the second factor too).
    """
    _forget_old(user)
    token = secrets.token_urlsafe(32)
    ip = request.remote_addr if has_request_context() else None
    agent = request.user_agent.string[:300] if has_request_context() else None
    db.session.add(UserSession(token_hash=_hash(token), user_id=user.id, ip=ip, user_agent=agent or None))
    if user.temporary_password_until is not None and user.temporary_password_until > _now():
        user.temporary_password_until = _now()
    throttle.succeeded(user.email)
    db.session.commit()
    return token


def _forget_old(user: User) -> None:
    """Drop the user's session rows that ended (or lapsed) more than KEEP_ENDED ago; the audit log keeps the logins."""
    cutoff = _now() - KEEP_ENDED
    db.session.execute(sa.delete(UserSession).where(
        UserSession.user_id == user.id,
        sa.or_(UserSession.ended_at < cutoff, UserSession.last_seen_at < cutoff)))


def find(token: str | None) -> UserSession | None:
    """The session row of a cookie token, ended or not."""
    if not token or not isinstance(token, str):
        return None
    return db.session.scalar(sa.select(UserSession).where(UserSession.token_hash == _hash(token)))


def load(raw_id: int, token: str | None) -> tuple[User | None, UserSession | None]:
    """The user with this id (its country loaded with it) and the session row of the cookie token, in one query.

    Either is None when missing; the row is returned only when it belongs to that user.
    """
    if not token or not isinstance(token, str):
        return db.session.get(User, raw_id), None
    found = db.session.execute(_user_and_session(), {"user_id": raw_id, "token_hash": _hash(token)}).first()
    return (found[0], found[1]) if found is not None else (None, None)


@functools.cache
def _user_and_session() -> sa.Select:
    """The statement of load(), built once (it is the first query of every request)."""
    return (sa.select(User, UserSession)
            .outerjoin(UserSession, sa.and_(UserSession.user_id == User.id,
                                            UserSession.token_hash == sa.bindparam("token_hash")))
            .options(so.joinedload(User.country))
            .where(User.id == sa.bindparam("user_id")))


def resume(user: User | None, token: str | None, row: UserSession | None = None) -> str | None:
    """Check the session of a request; None when it may go on, else why it ended (IDLE, ABSOLUTE, ...).

    row: the session row of the token when the caller has it already (load()); else it is looked up.
    Passing the check refreshes last_seen_at (at most every TOUCH_EVERY); failing an idle or absolute
    limit ends the row; commits.
    """
    row = row if row is not None else find(token)
    if row is None or user is None or row.user_id != user.id:
        return "unknown"
    if row.ended_at is not None:
        return row.ended_reason or LOGOUT
    now = _now()
    if not user.active:  # disabled outside the app (the admin page also changes the token, so load_user refuses first)
        return _end(row, DISABLED, now)
    if now - row.last_seen_at > current_app.config["IDLE_TIMEOUT"]:
        return _end(row, IDLE, now)
    if now - row.created_at > current_app.config["SESSION_MAX_AGE"]:
        return _end(row, ABSOLUTE, now)
    if now - row.last_seen_at >= TOUCH_EVERY:
        db.session.execute(sa.update(UserSession).where(UserSession.id == row.id, UserSession.ended_at.is_(None))
                           .values(last_seen_at=now))
        db.session.commit()
    return None


def _end(row: UserSession, reason: str, now: datetime) -> str:
    ended = db.session.execute(sa.update(UserSession).where(UserSession.id == row.id, UserSession.ended_at.is_(None))
                               .values(ended_at=now, ended_reason=reason)).rowcount
    if ended:
        audit.record("session.end", user=row.user, target=row.user.email, after={"reason": reason, "session": row.id})
    db.session.commit()
    return reason


def end(token: str | None, reason: str = LOGOUT) -> None:
    """End the session of this cookie token (logout); commits."""
    row = find(token)
    if row is not None and row.ended_at is None:
        _end(row, reason, _now())


def end_all(user: User, reason: str, keep_token: str | None = None) -> int:
    """End every open session of the user except the one with keep_token; returns how many (caller commits)."""
    query = sa.update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep_token:
        query = query.where(UserSession.token_hash != _hash(keep_token))
    return db.session.execute(query.values(ended_at=_now(), ended_reason=reason)).rowcount


def end_one(user: User, session_id: int) -> bool:
    """The user ends one of their own sessions (from the account page); False if it is not theirs; commits."""
    result = db.session.execute(sa.update(UserSession).where(
        UserSession.id == session_id, UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=_now(), ended_reason=ENDED_BY_USER))
    if result.rowcount == 1:
        audit.record("session.end", user=user, target=user.email, after={"reason": ENDED_BY_USER, "session": session_id})
    db.session.commit()
    return result.rowcount == 1


def active(user: User) -> list[UserSession]:
    """The user's sessions that have not ended and are within their limits, newest first."""
    now = _now()
    rows = db.session.scalars(sa.select(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None),
        UserSession.last_seen_at > now - current_app.config["IDLE_TIMEOUT"],
        UserSession.created_at > now - current_app.config["SESSION_MAX_AGE"],
    ).order_by(UserSession.last_seen_at.desc(), UserSession.id.desc()))
    return list(rows)


def is_current(row: UserSession, token: str | None) -> bool:
    return bool(token) and secrets.compare_digest(row.token_hash, _hash(token))
