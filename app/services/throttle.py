"""The per-account login guard: failed logins of a login name, counted in the database.

Every worker and every server shares the one row per login name, and each attempt is counted
by a single conditional UPDATE *before* the password is checked, so parallel attempts cannot
slip past the count. After LOGIN_LOCK_THRESHOLD failures in a row the name is locked for
LOGIN_LOCK_FIRST_SECONDS, and each further failure doubles the lock up to LOGIN_LOCK_MAX_MINUTES:
with the defaults (5, 60 s, 30 min) at most 11 attempts per hour get their password checked,
well under OWASP ASVS 5.0 V6.3.1's 100. Unknown login names are counted the same way, so a
lock says nothing about whether an account exists. Failures are forgotten after FORGET_AFTER.
"""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import LoginThrottle
from app.models._types import UTCDateTime

FORGET_AFTER = timedelta(hours=24)


class AccountLocked(Exception):
    """Too many failed logins for this login name; ``until`` is when it may try again (UTC)."""

    def __init__(self, until: datetime):
        super().__init__(until.isoformat())
        self.until = until


def _now() -> datetime:
    return datetime.now(timezone.utc)


def lock_durations() -> list[timedelta]:
    """The lock after the threshold-th failure, the next one, ... up to the maximum (last entry)."""
    first = timedelta(seconds=current_app.config["LOGIN_LOCK_FIRST_SECONDS"])
    longest = timedelta(minutes=current_app.config["LOGIN_LOCK_MAX_MINUTES"])
    durations = [min(first, longest)]
    while durations[-1] < longest:
        durations.append(min(durations[-1] * 2, longest))
    return durations


def count_attempt(login: str) -> None:
    """Count one login attempt as a failure before its password is checked; raises AccountLocked; commits.

    A correct password then calls succeeded() to clear the count.
    """
    login = _key(login)
    now = _now()
    _ensure_row(login, now)
    forgotten = sa.or_(LoginThrottle.last_failure_at.is_(None), LoginThrottle.last_failure_at < now - FORGET_AFTER)
    failures = sa.case((forgotten, 1), else_=LoginThrottle.failures + 1)
    threshold = current_app.config["LOGIN_LOCK_THRESHOLD"]
    durations = lock_durations()
    until = sa.case(
        *[(failures == threshold + step, _at(now + duration)) for step, duration in enumerate(durations[:-1])],
        (failures >= threshold + len(durations) - 1, _at(now + durations[-1])),
        else_=sa.null(),
    )
    counted = db.session.execute(
        sa.update(LoginThrottle)
        .where(LoginThrottle.login == login,
               sa.or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= _at(now)))
        .values(failures=failures, last_failure_at=_at(now), locked_until=until)
        .returning(LoginThrottle.failures)
    ).first()
    if counted is None:
        locked_until = db.session.scalar(sa.select(LoginThrottle.locked_until).where(LoginThrottle.login == login))
        db.session.commit()
        raise AccountLocked(locked_until or now)
    db.session.commit()


def _at(moment: datetime):
    return sa.literal(moment, UTCDateTime())


def _ensure_row(login: str, now: datetime) -> None:
    if db.session.get(LoginThrottle, login) is not None:
        return
    insert = (postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert)(LoginThrottle)
    db.session.execute(insert.values(login=login, failures=0).on_conflict_do_nothing(index_elements=["login"]))
    # Rows of names nobody tried for a day are of no use (most are mistyped or guessed names).
    db.session.execute(sa.delete(LoginThrottle).where(
        LoginThrottle.last_failure_at < _at(now - FORGET_AFTER),
        sa.or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < _at(now))))


def succeeded(login: str) -> None:
    """A correct login clears the count (the caller commits)."""
    db.session.execute(sa.update(LoginThrottle).where(LoginThrottle.login == _key(login))
                       .values(failures=0, locked_until=None))


def locked_until(login: str) -> datetime | None:
    """When the lock on this login name ends, or None if it is not locked."""
    until = db.session.scalar(sa.select(LoginThrottle.locked_until).where(LoginThrottle.login == _key(login)))
    return until if until is not None and until > _now() else None


def locks() -> dict[str, LoginThrottle]:
    """The login names locked now, with their rows (for the administration page)."""
    rows = db.session.scalars(sa.select(LoginThrottle).where(LoginThrottle.locked_until > _at(_now())))
    return {row.login: row for row in rows}


def lift(login: str) -> bool:
    """Clear the lock and the count of a login name; whether it was locked (the caller commits)."""
    was_locked = locked_until(login) is not None
    db.session.execute(sa.update(LoginThrottle).where(LoginThrottle.login == _key(login))
                       .values(failures=0, locked_until=None))
    return was_locked


def _key(login: str) -> str:
    return (login or "").strip().lower()[:254]
