"""The append-only audit log: helpers to record events, and a guard against changing them."""
from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request
from flask_login import current_user

from app.extensions import db
from app.models import AuditEvent


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when code tries to update or delete an audit event."""


def record(action: str, *, user=None, assessment_id: int | None = None, question_key: str | None = None,
           target: str | None = None, before: dict[str, Any] | None = None,
           after: dict[str, Any] | None = None) -> AuditEvent:
    """Add an audit event to the current unit of work (the caller commits)."""
    event = AuditEvent(
        action=action, user_id=_user_id(user), assessment_id=assessment_id, question_key=question_key,
        target=target, before=before, after=after, ip=_client_ip(),
    )
    db.session.add(event)
    return event


def _user_id(user) -> int | None:
    if user is not None:
        return user.id
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.id
    return None


def _client_ip() -> str | None:
    return request.remote_addr if has_request_context() else None


@sa.event.listens_for(AuditEvent, "before_update")
def _refuse_update(_mapper, _connection, target) -> None:
    raise AuditLogIsAppendOnly(f"audit event {target.id} cannot be changed")


@sa.event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(_mapper, _connection, target) -> None:
    raise AuditLogIsAppendOnly(f"audit event {target.id} cannot be deleted")
