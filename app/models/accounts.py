"""Countries, users and the append-only audit log."""
from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_login import UserMixin

from app.extensions import db
from app.models._types import UTCDateTime, in_check, utcnow
from app.vocabulary import NATIONAL_ROLES, STAFF_ROLES, Role

ROLES = tuple(Role)


class Country(db.Model):
    """An ISO 3166-1 country with its names and the groups it belongs to."""

    __tablename__ = "country"

    #: ISO 3166-1 alpha-2 code, upper case
    code: so.Mapped[str] = so.mapped_column(sa.String(2), primary_key=True)
    name_en: so.Mapped[str] = so.mapped_column(sa.String(120))
    name_ru: so.Mapped[str] = so.mapped_column(sa.String(120))
    #: group slugs such as "eeu-member"
    groups: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)

    __table_args__ = (sa.CheckConstraint("length(code) = 2", name="code_length"),)

    def name(self, lang: str) -> str:
        return self.name_ru if lang == "ru" else self.name_en

    def __repr__(self) -> str:
        return f"<Country {self.code}>"


class User(UserMixin, db.Model):
    """A person who logs in; national roles belong to exactly one country."""

    __tablename__ = "user"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: stored lower-cased; the login name
    email: so.Mapped[str] = so.mapped_column(sa.String(254), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(200))
    role: so.Mapped[str] = so.mapped_column(sa.String(20))
    country_code: so.Mapped[Optional[str]] = so.mapped_column(sa.ForeignKey("country.code"), index=True)
    #: argon2id hash
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(255))
    active: so.Mapped[bool] = so.mapped_column(default=True)
    #: demo accounts are created by `flask demo seed` and labelled as such in the UI
    is_demo: so.Mapped[bool] = so.mapped_column(default=False)
    #: base32 TOTP secret once the second factor is enrolled
    totp_secret: so.Mapped[Optional[str]] = so.mapped_column(sa.String(64))
    #: the 30-second time step of the last accepted code: a code is accepted once only
    totp_last_step: so.Mapped[Optional[int]] = so.mapped_column(sa.BigInteger)
    #: changes on password change or logout-everywhere, invalidating older sessions
    session_token: so.Mapped[str] = so.mapped_column(sa.String(64))
    #: the UI language of the user's last session (set on a language switch or a first session)
    language: so.Mapped[Optional[str]] = so.mapped_column(sa.String(5))
    #: the language notifications are written in; None: the language of the last session
    notification_language: so.Mapped[Optional[str]] = so.mapped_column(sa.String(5))
    #: whether notifications are also sent by e-mail (when the server has mail configured)
    email_notifications: so.Mapped[bool] = so.mapped_column(default=True, server_default=sa.true())
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    last_login_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)
    #: set when an administrator gave a temporary password: the user must choose a new one
    must_change_password: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    #: a temporary password works for one login before this time (then it is set to that login's time)
    temporary_password_until: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)

    country: so.Mapped[Optional[Country]] = so.relationship()

    __table_args__ = (
        sa.CheckConstraint(in_check("role", ROLES), name="role_known"),
        sa.CheckConstraint(
            f"({in_check('role', NATIONAL_ROLES)} AND country_code IS NOT NULL)"
            f" OR ({in_check('role', STAFF_ROLES)} AND country_code IS NULL)",
            name="country_matches_role",
        ),
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_authenticated(self) -> bool:
        """Always True for an account (Flask-Login's AnonymousUserMixin is the other case).

        Flask-Login's own version reads `active`, which after each commit of a request reloads the user
        row; an inactive account never becomes the request's user (the loader ends its session, and
        login refuses it), so there is nothing to check here.
        """
        return True

    @property
    def known_id(self) -> int:
        """The id, read from the identity key when the last commit expired the user (no reload query)."""
        identity = sa.inspect(self).identity
        return identity[0] if identity else self.id

    @property
    def is_national(self) -> bool:
        return self.role in NATIONAL_ROLES

    def get_id(self) -> str:
        # The session carries the token, not the id, so a password change ends old sessions.
        return f"{self.id}:{self.session_token}"

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class AuditEvent(db.Model):
    """One thing that happened; rows are only ever inserted (see app.audit)."""

    __tablename__ = "audit_event"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("user.id"), index=True)
    #: e.g. "login.success", "login.failure", "answer.update", "assessment.submit", "access.refused"
    action: so.Mapped[str] = so.mapped_column(sa.String(50), index=True)
    assessment_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("assessment.id"), index=True)
    question_key: so.Mapped[Optional[str]] = so.mapped_column(sa.String(200))
    #: free text naming what was acted on when there is no assessment (an email, a path)
    target: so.Mapped[Optional[str]] = so.mapped_column(sa.String(500))
    before: so.Mapped[Optional[dict[str, Any]]] = so.mapped_column(sa.JSON)
    after: so.Mapped[Optional[dict[str, Any]]] = so.mapped_column(sa.JSON)
    ip: so.Mapped[Optional[str]] = so.mapped_column(sa.String(45))

    user: so.Mapped[Optional[User]] = so.relationship()

    __table_args__ = (sa.Index("ix_audit_event_assessment_question", "assessment_id", "question_key"),)
