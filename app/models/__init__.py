"""Typed SQLAlchemy models; see DESIGN.md §2 for the relations."""
from app.models.accounts import AuditEvent, Country, User, ROLES, NATIONAL_ROLES, STAFF_ROLES
from app.models.assessments import (
    ASSESSMENT_STATUSES,
    Answer,
    Assessment,
    Attachment,
    QuestionnaireVersion,
    ReviewFlag,
    ScoreRow,
)
from app.models.cycles import CYCLE_STATUSES, NOTIFICATION_KINDS, Cycle, Notification, Reminder
from app.models.security import LoginThrottle, StoredFileChunk, UserSession
from app.models.transfer import PendingImport

__all__ = [
    "ASSESSMENT_STATUSES", "NATIONAL_ROLES", "ROLES", "STAFF_ROLES",
    "Answer", "Assessment", "Attachment", "AuditEvent", "Country", "QuestionnaireVersion",
    "ReviewFlag", "ScoreRow", "User",
    "CYCLE_STATUSES", "NOTIFICATION_KINDS", "Cycle", "Notification", "Reminder",
    "LoginThrottle", "PendingImport", "StoredFileChunk", "UserSession",
]
