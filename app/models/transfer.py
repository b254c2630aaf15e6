"""Previewed workbook uploads waiting for the user's confirmation (app.services.import_pending)."""
from datetime import datetime
from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as so

from app.extensions import db
from app.models._types import UTCDateTime, utcnow


class PendingImport(db.Model):
    """The checked changes of one previewed upload, kept in the database so that any server can apply them."""

    __tablename__ = "pending_import"

    #: hex SHA-256 of the token the browser carries; the token itself is never stored
    token_hash: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    assessment_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("assessment.id", ondelete="CASCADE"))
    filename: so.Mapped[str] = so.mapped_column(sa.String(200))
    #: [{"key", "where", "base_revision", "before", "after"}, ...]
    changes: so.Mapped[list[dict[str, Any]]] = so.mapped_column(sa.JSON)
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, index=True)
