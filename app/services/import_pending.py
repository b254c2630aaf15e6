"""Previewed uploads waiting for the user's confirmation: one PendingImport row per random token.

The checked changes stay on the server between preview and apply, bound to the user and the
assessment; the browser only carries the token, never the data. They are kept in the database,
not on one server's disk, so that the preview and the apply may reach different servers.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.models import Assessment, PendingImport, User
from app.services.import_checks import Change
from app.services.import_files import ImportRefused

TTL_SECONDS = 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def save(user: User, assessment: Assessment, filename: str, changes: list[Change]) -> str:
    """Store the changes; returns the token that names them; commits."""
    purge_expired()
    token = secrets.token_urlsafe(32)
    db.session.add(PendingImport(
        token_hash=_hash(token), user_id=user.id, assessment_id=assessment.id, filename=filename[:200],
        changes=[{"key": c.key, "where": c.where, "base_revision": c.base_revision, "before": c.before,
                  "after": c.after} for c in changes]))
    db.session.commit()
    return token


def take(user: User, assessment: Assessment, token: str) -> tuple[str, list[Change]]:
    """The file name and changes stored under the token, if they are this user's for this assessment; the
    preview is used up (once only, even by two servers at the same moment); raises ImportRefused; commits."""
    row = db.session.get(PendingImport, _hash(token)) if _TOKEN.fullmatch(token or "") else None
    expired = row is None or datetime.now(timezone.utc) - row.created_at > timedelta(seconds=TTL_SECONDS)
    if expired or row.user_id != user.id or row.assessment_id != assessment.id:
        raise ImportRefused(_("This preview has expired or is not available. Upload the file again."))
    filename, changes = row.filename, [Change(c["key"], c["where"], c["base_revision"], c["before"], c["after"])
                                       for c in row.changes]
    taken = db.session.execute(sa.delete(PendingImport).where(PendingImport.token_hash == row.token_hash)).rowcount
    db.session.commit()
    if taken != 1:
        raise ImportRefused(_("This preview has expired or is not available. Upload the file again."))
    return filename, changes


def purge_expired() -> None:
    """Remove previews nobody applied within the time limit (the caller commits)."""
    limit = datetime.now(timezone.utc) - timedelta(seconds=TTL_SECONDS)
    db.session.execute(sa.delete(PendingImport).where(PendingImport.created_at < limit))
