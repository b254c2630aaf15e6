"""Assessment cycles (rounds with deadlines), in-app notifications and the reminders already sent."""
from datetime import date, datetime
from typing import Any, Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.models._types import UTCDateTime, in_check, utcnow
from app.models.accounts import Country, User
from app.models.assessments import Assessment, QuestionnaireVersion

CYCLE_STATUSES = ("open", "closed")
#: what a notification tells its recipient (texts: app.services.notification_texts)
NOTIFICATION_KINDS = ("submitted", "returned", "flag_answered", "validated", "due_7", "due_1", "overdue")
#: deadline reminders sent by `flask notifications send-due`
REMINDER_KINDS = ("due_7", "due_1", "overdue")

cycle_country = sa.Table(
    "cycle_country", db.metadata,
    sa.Column("cycle_id", sa.ForeignKey("cycle.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("country_code", sa.ForeignKey("country.code"), primary_key=True),
)


class Cycle(db.Model):
    """An assessment round of one questionnaire: who takes part and by when (dates in CYCLE_TIME_ZONE)."""

    __tablename__ = "cycle"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: the round's label, the same text as Assessment.cycle (e.g. "2026")
    label: so.Mapped[str] = so.mapped_column(sa.String(20))
    #: copied from the version: assessments link to a cycle by (questionnaire_id, label)
    questionnaire_id: so.Mapped[str] = so.mapped_column(sa.String(100))
    #: the version new drafts of this cycle are started on
    questionnaire_version_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("questionnaire_version.id"))
    #: last day on which a submission is on time (a calendar date in CYCLE_TIME_ZONE)
    submission_deadline: so.Mapped[date] = so.mapped_column(sa.Date)
    #: last day of the analysts' review, if set
    review_deadline: so.Mapped[Optional[date]] = so.mapped_column(sa.Date)
    status: so.Mapped[str] = so.mapped_column(sa.String(10), default="open")
    opened_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    opened_by_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("user.id"))
    closed_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)
    closed_by_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("user.id"))

    questionnaire_version: so.Mapped[QuestionnaireVersion] = so.relationship()
    countries: so.Mapped[list[Country]] = so.relationship(secondary=cycle_country, order_by=Country.code)
    opened_by: so.Mapped[Optional[User]] = so.relationship(foreign_keys=[opened_by_id])
    closed_by: so.Mapped[Optional[User]] = so.relationship(foreign_keys=[closed_by_id])

    __table_args__ = (
        sa.UniqueConstraint("questionnaire_id", "label"),
        sa.CheckConstraint(in_check("status", CYCLE_STATUSES), name="status_known"),
        sa.CheckConstraint("review_deadline IS NULL OR review_deadline >= submission_deadline",
                           name="review_after_submission"),
    )

    @property
    def country_codes(self) -> list[str]:
        return [c.code for c in self.countries]

    def __repr__(self) -> str:
        return f"<Cycle {self.questionnaire_id} {self.label} {self.status}>"


class Notification(db.Model):
    """Something one user should know; its text is rendered in the reader's language from kind and params."""

    __tablename__ = "notification"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    kind: so.Mapped[str] = so.mapped_column(sa.String(20))
    assessment_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("assessment.id", ondelete="CASCADE"),
                                                                index=True)
    cycle_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("cycle.id", ondelete="CASCADE"))
    #: plain values the text needs: cycle label, country code, flags, deadline, days (see notification_texts)
    params: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    read_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)
    #: when the e-mail copy was handed to the mail server (None: not sent, mail off or refused)
    emailed_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)
    #: an e-mail copy is owed: queued when the notification was stored, not yet accepted by the mail
    #: server; `flask notifications send-due` tries again for EMAIL_RETRY_HOURS (app.services.notifications)
    email_due: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())

    user: so.Mapped[User] = so.relationship()

    __table_args__ = (
        sa.Index("ix_notification_user_read", "user_id", "read_at"),
        sa.CheckConstraint(in_check("kind", NOTIFICATION_KINDS), name="kind_known"),
    )


class Reminder(db.Model):
    """A deadline reminder sent for one country of one cycle; the unique key makes send-due idempotent."""

    __tablename__ = "reminder"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    cycle_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("cycle.id", ondelete="CASCADE"))
    country_code: so.Mapped[str] = so.mapped_column(sa.ForeignKey("country.code"))
    kind: so.Mapped[str] = so.mapped_column(sa.String(10))
    sent_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("cycle_id", "country_code", "kind"),
        sa.CheckConstraint(in_check("kind", REMINDER_KINDS), name="kind_known"),
    )


def _link_to_cycle(_mapper, connection, target) -> None:
    """A new assessment joins the cycle with its label and questionnaire, if one was opened."""
    if target.cycle_id is None and target.cycle and target.questionnaire_id:
        target.cycle_id = connection.scalar(sa.select(Cycle.id).where(
            Cycle.questionnaire_id == target.questionnaire_id, Cycle.label == target.cycle))


sa.event.listen(Assessment, "before_insert", _link_to_cycle)
