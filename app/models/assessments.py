"""Questionnaire versions, assessments, answers, review flags, attachments and scores."""
from datetime import datetime
from typing import Any, Optional

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.models._types import UTCDateTime, in_check, utcnow
from app.models.accounts import Country, User
from app.vocabulary import EDITABLE, Status

QUESTIONNAIRE_STATUSES = ("draft", "published", "retired")
ASSESSMENT_STATUSES = tuple(Status)
FLAG_STATES = ("open", "answered", "resolved")


class QuestionnaireVersion(db.Model):
    """An immutable snapshot of one questionnaire file as it was loaded."""

    __tablename__ = "questionnaire_version"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    questionnaire_id: so.Mapped[str] = so.mapped_column(sa.String(100))
    version: so.Mapped[str] = so.mapped_column(sa.String(50))
    status: so.Mapped[str] = so.mapped_column(sa.String(20))
    #: {"en": ..., "ru": ...}
    title: so.Mapped[dict[str, str]] = so.mapped_column(sa.JSON)
    #: the YAML text exactly as loaded; the source of truth for this version. Deferred: pages use the parsed
    #: questionnaire cached by sha256, so the text (about 200 kB) is read only when a version is parsed
    content: so.Mapped[str] = so.mapped_column(sa.Text, deferred=True)
    sha256: so.Mapped[str] = so.mapped_column(sa.String(64))
    loaded_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("questionnaire_id", "version"),
        sa.CheckConstraint(in_check("status", QUESTIONNAIRE_STATUSES), name="status_known"),
    )

    @property
    def label(self) -> str:
        return f"{self.questionnaire_id}@{self.version}"


class Assessment(db.Model):
    """One country's answers to one questionnaire version in one cycle."""

    __tablename__ = "assessment"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    country_code: so.Mapped[str] = so.mapped_column(sa.ForeignKey("country.code"), index=True)
    questionnaire_version_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("questionnaire_version.id"))
    #: copied from the version so that the database can enforce one per (country, questionnaire, cycle)
    questionnaire_id: so.Mapped[str] = so.mapped_column(sa.String(100))
    #: the assessment round, e.g. "2026"
    cycle: so.Mapped[str] = so.mapped_column(sa.String(20))
    #: the Cycle with this label and questionnaire, when one was opened (linked automatically)
    cycle_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("cycle.id"), index=True)
    #: first submitted after the cycle's submission deadline (DESIGN: deadlines are dates in CYCLE_TIME_ZONE)
    submitted_late: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    status: so.Mapped[str] = so.mapped_column(sa.String(20), default=Status.DRAFT)
    is_demo: so.Mapped[bool] = so.mapped_column(default=False)
    #: the validated assessment whose answers were carried forward into this one
    carried_from_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("assessment.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    created_by_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("user.id"))
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)
    submitted_by_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("user.id"))
    returned_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)
    returned_by_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("user.id"))
    validated_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)
    validated_by_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("user.id"))

    country: so.Mapped[Country] = so.relationship()
    questionnaire_version: so.Mapped[QuestionnaireVersion] = so.relationship()
    created_by: so.Mapped[Optional[User]] = so.relationship(foreign_keys=[created_by_id])
    submitted_by: so.Mapped[Optional[User]] = so.relationship(foreign_keys=[submitted_by_id])
    validated_by: so.Mapped[Optional[User]] = so.relationship(foreign_keys=[validated_by_id])

    __table_args__ = (
        sa.UniqueConstraint("country_code", "questionnaire_id", "cycle"),
        sa.CheckConstraint(in_check("status", ASSESSMENT_STATUSES), name="status_known"),
    )

    @property
    def editable(self) -> bool:
        """Only drafts and returned assessments accept answer changes."""
        return self.status in EDITABLE


class Answer(db.Model):
    """The current answer to one question of one assessment; its history is in the audit log."""

    __tablename__ = "answer"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    assessment_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("assessment.id", ondelete="CASCADE"))
    question_key: so.Mapped[str] = so.mapped_column(sa.String(200))
    #: canonical string form (an option value or a decimal number); None when not answered
    value: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    not_applicable: so.Mapped[bool] = so.mapped_column(default=False)
    comment: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    evidence_url: so.Mapped[Optional[str]] = so.mapped_column(sa.String(2000))
    #: optimistic concurrency: a save must name the revision it was based on
    revision: so.Mapped[int] = so.mapped_column(default=1)
    #: true while the answer is a carried-forward copy nobody has confirmed or changed
    carried_forward: so.Mapped[bool] = so.mapped_column(default=False)
    updated_by_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("user.id"))
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    assessment: so.Mapped[Assessment] = so.relationship()
    updated_by: so.Mapped[Optional[User]] = so.relationship()

    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "question_key"),
        sa.CheckConstraint("revision >= 1", name="revision_positive"),
    )


class Attachment(db.Model):
    """A file of evidence for one question; its content is in stored_file_chunk (app.services.file_store)."""

    __tablename__ = "attachment"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    assessment_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("assessment.id", ondelete="CASCADE"))
    question_key: so.Mapped[str] = so.mapped_column(sa.String(200))
    #: the name the user gave, shown and used on download; never used as a path
    filename: so.Mapped[str] = so.mapped_column(sa.String(255))
    #: random key of the stored content
    stored_name: so.Mapped[str] = so.mapped_column(sa.String(64), unique=True)
    content_type: so.Mapped[str] = so.mapped_column(sa.String(100))
    size: so.Mapped[int]
    sha256: so.Mapped[str] = so.mapped_column(sa.String(64))
    uploaded_by_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("user.id"))
    uploaded_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    uploaded_by: so.Mapped[Optional[User]] = so.relationship()

    __table_args__ = (
        sa.Index("ix_attachment_assessment_question", "assessment_id", "question_key"),
        sa.CheckConstraint("size >= 0", name="size_non_negative"),
    )


class ReviewFlag(db.Model):
    """An analyst's question about one answer, and the country's reply."""

    __tablename__ = "review_flag"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    assessment_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("assessment.id", ondelete="CASCADE"))
    question_key: so.Mapped[str] = so.mapped_column(sa.String(200))
    comment: so.Mapped[str] = so.mapped_column(sa.Text)
    response: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    state: so.Mapped[str] = so.mapped_column(sa.String(20), default="open")
    created_by_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("user.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    answered_by_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("user.id"))
    answered_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)
    resolved_at: so.Mapped[Optional[datetime]] = so.mapped_column(UTCDateTime)
    #: the analyst's reason for resolving the flag (required since migration 0003; empty on older rows)
    resolution: so.Mapped[Optional[str]] = so.mapped_column(sa.Text)
    resolved_by_id: so.Mapped[Optional[int]] = so.mapped_column(sa.ForeignKey("user.id"))

    created_by: so.Mapped[Optional[User]] = so.relationship(foreign_keys=[created_by_id])
    answered_by: so.Mapped[Optional[User]] = so.relationship(foreign_keys=[answered_by_id])
    resolved_by: so.Mapped[Optional[User]] = so.relationship(foreign_keys=[resolved_by_id])

    __table_args__ = (
        sa.Index("ix_review_flag_assessment_question", "assessment_id", "question_key"),
        sa.CheckConstraint(in_check("state", FLAG_STATES), name="state_known"),
    )


class ScoreRow(db.Model):
    """The engine's result for one dimension (or `_overall`) of one assessment."""

    __tablename__ = "score_row"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    assessment_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("assessment.id", ondelete="CASCADE"))
    #: a dimension key, or "_overall"
    dimension_key: so.Mapped[str] = so.mapped_column(sa.String(100))
    level: so.Mapped[Optional[int]]
    #: exact 0..100, rounded only for display and export
    index: so.Mapped[Optional[float]] = so.mapped_column(sa.Float)
    #: {stage_key: attainment 0..1 or null when vacuous}, in stage order
    stages: so.Mapped[dict[str, Any]] = so.mapped_column(sa.JSON, default=dict)
    answered: so.Mapped[int] = so.mapped_column(default=0)
    applicable: so.Mapped[int] = so.mapped_column(default=0)
    completeness: so.Mapped[Optional[float]] = so.mapped_column(sa.Float)
    #: 100 · Σ w p [evidence] / Σ w p, exact percent; null when no points were won (scoring 2)
    evidence_coverage: so.Mapped[Optional[float]] = so.mapped_column(sa.Float)
    #: `_overall` rows: keys of the dimensions at the lowest level, in questionnaire order
    weakest_dimensions: so.Mapped[Optional[list[str]]] = so.mapped_column(sa.JSON)
    #: `_overall` rows: [{"id", "attainment" 0..1 or null, "status", "criteria"}] per catalogue measure
    measures: so.Mapped[Optional[list[dict[str, Any]]]] = so.mapped_column(sa.JSON)
    #: required visible questions answered, and required visible questions: the progress pages show
    required_answered: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    required_visible: so.Mapped[int] = so.mapped_column(default=0, server_default="0")
    #: dimension rows below the top level: the way to the next level (scoring.next_level), as
    #: {"stage", "points_lacking" (weighted points), "criteria" [question keys], "reachable"}; else null
    next_level: so.Mapped[Optional[dict[str, Any]]] = so.mapped_column(sa.JSON)
    #: `_overall` rows: keys of the questions hidden by show_if under the stored answers, sorted
    hidden: so.Mapped[Optional[list[str]]] = so.mapped_column(sa.JSON)
    #: the roadmap: the questions between this dimension and its next level
    explanation: so.Mapped[list[dict[str, Any]]] = so.mapped_column(sa.JSON, default=list)
    questionnaire_version_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("questionnaire_version.id"))
    scoring_version: so.Mapped[str] = so.mapped_column(sa.String(20))
    computed_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)

    assessment: so.Mapped[Assessment] = so.relationship()

    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "dimension_key"),
        sa.CheckConstraint("level IS NULL OR level >= 0", name="level_non_negative"),
        sa.CheckConstraint('"index" IS NULL OR ("index" >= 0 AND "index" <= 100)', name="index_range"),
    )
