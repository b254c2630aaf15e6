"""Previewed uploads waiting for the user's confirmation: a JSON file per random token under UPLOAD_DIR/imports.

The checked changes stay on the server between preview and apply, bound to the user and the
assessment; the browser only carries the token, never the data.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import time
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from app.models import Assessment, User
from app.services.import_checks import Change
from app.services.import_files import ImportRefused

TTL_SECONDS = 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


def folder() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(user: User, assessment: Assessment, filename: str, changes: list[Change]) -> str:
    """Store the changes; returns the token that names them."""
    purge_expired()
    token = secrets.token_urlsafe(32)
    record = {"user_id": user.id, "assessment_id": assessment.id, "created": time.time(),
              "filename": filename[:200],
              "changes": [{"key": c.key, "where": c.where, "base_revision": c.base_revision, "before": c.before,
                           "after": c.after} for c in changes]}
    path = folder() / f"{token}.json"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump(record, out)
    return token


def load(user: User, assessment: Assessment, token: str) -> tuple[str, list[Change]]:
    """The file name and changes stored under the token, if they are this user's for this assessment."""
    record = _read(token)
    if (record is None or record.get("user_id") != user.id or record.get("assessment_id") != assessment.id
            or time.time() - record.get("created", 0) > TTL_SECONDS):
        raise ImportRefused(_("This preview has expired or is not available. Upload the file again."))
    return record["filename"], [Change(c["key"], c["where"], c["base_revision"], c["before"], c["after"])
                                for c in record["changes"]]


def take(user: User, assessment: Assessment, token: str) -> tuple[str, list[Change]]:
    """Load the changes stored under the token and remove them, once: of two requests applying the
    same preview at the same moment, only the one that removes the file gets the changes."""
    found = load(user, assessment, token)
    try:
        (folder() / f"{token}.json").unlink()
    except FileNotFoundError:
        raise ImportRefused(_("This preview has expired or is not available. Upload the file again.")) from None
    return found


def purge_expired() -> None:
    """Remove previews nobody applied within the time limit."""
    limit = time.time() - TTL_SECONDS
    for path in folder().glob("*.json"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def _read(token: str) -> dict | None:
    if not _TOKEN.fullmatch(token or ""):
        return None
    try:
        return json.loads((folder() / f"{token}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
