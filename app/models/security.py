"""Server-side login sessions, the per-account login throttle, and evidence file contents."""
from datetime import datetime
from typing import Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.models._types import UTCDateTime, utcnow


class UserSession(db.Model):
    """One login: the signed cookie carries the random token whose SHA-256 is stored here.

    A session is valid while it has not ended and neither its idle nor its absolute limit
    has passed (app.services.sessions); every server reads the same rows, so logging out
    through one server ends the session on all of them.
    """

    __tablename__ = "user_session"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: hex SHA-256 of the token in the cookie; the token itself is never stored
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    #: client address and browser as seen at login, shown on the account page
    ip: so.Mapped[Optional[str]] = so.mapped_column(sa.String(45))
    user_agent: so.Mapped[Optional[str]] = so.mapped_column(sa.String(300))
    ended_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)
    #: logout, idle, absolute, ended-by-user, password-change, disabled, admin-reset
    ended_reason: so.Mapped[Optional[str]] = so.mapped_column(sa.String(30))

    user = so.relationship("User")


class LoginThrottle(db.Model):
    """Failed logins of one login name (an e-mail, known or not), shared by every server.

    After LOGIN_LOCK_THRESHOLD failures in a row the name is locked for a time that doubles
    with each further failure up to LOGIN_LOCK_MAX_MINUTES (OWASP ASVS 5.0 V6.3: at most 100
    failed attempts per hour per account); a correct login or an administrator clears it.
    """

    __tablename__ = "login_throttle"

    #: the e-mail as typed, stripped and lower-cased
    login: so.Mapped[str] = so.mapped_column(sa.String(254), primary_key=True)
    failures: so.Mapped[int] = so.mapped_column(default=0)
    last_failure_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime, index=True)
    locked_until: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)


class StoredFileChunk(db.Model):
    """A piece of an evidence file's content, in the database so that every server can serve it."""

    __tablename__ = "stored_file_chunk"

    stored_name: so.Mapped[str] = so.mapped_column(
        sa.ForeignKey("attachment.stored_name", ondelete="CASCADE"), primary_key=True)
    #: 0, 1, 2, ... in file order
    seq: so.Mapped[int] = so.mapped_column(primary_key=True)
    data: so.Mapped[bytes] = so.mapped_column(sa.LargeBinary)
