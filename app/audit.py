"""The append-only audit log: helpers to record events, and a guard against changing them."""
from typing import Any

import sqlalchemy as sa
from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.extensions import db
from app.models import AuditEvent


#: what each event type of the log means, for the audit page (the log and its CSV keep the code). Every
#: `record(...)` of the application names one of these; a test reads the source and fails on one without.
EVENT_TYPES = {
    "access.refused": _l("Access refused"),
    "answer.update": _l("Answer changed"),
    "assessment.create": _l("Assessment started"),
    "assessment.late": _l("Assessment late"),
    "assessment.submitted": _l("Assessment submitted"),
    "assessment.returned": _l("Assessment returned to the country"),
    "assessment.validated": _l("Assessment validated"),
    "attachment.add": _l("Evidence file added"),
    "attachment.remove": _l("Evidence file removed"),
    "audit.export": _l("Audit log downloaded"),
    "csrf.refused": _l("Form refused (expired or forged)"),
    "cycle.close": _l("Cycle closed"),
    "cycle.open": _l("Cycle opened"),
    "demo.seed": _l("Demo data loaded"),
    "export.download": _l("Export downloaded"),
    "flag.answer": _l("Flag answered"),
    "flag.create": _l("Question flagged"),
    "flag.resolve": _l("Flag resolved"),
    "import.apply": _l("Workbook imported"),
    "login.failure": _l("Login failed"),
    "login.success": _l("Logged in"),
    "login.unlock": _l("Account unlocked"),
    "password.change": _l("Password changed"),
    "password.change.refused": _l("Password change refused"),
    "password.reset": _l("Temporary password set"),
    "rate_limit.refused": _l("Too many attempts refused"),
    "reminder.send": _l("Reminder sent"),
    "session.end": _l("Session ended"),
    "session.end_others": _l("Other sessions ended"),
    "totp.disable": _l("Second factor turned off"),
    "totp.enable": _l("Second factor turned on"),
    "totp.reset": _l("Second factor reset"),
    "user.create": _l("Account created"),
    "user.disable": _l("Account disabled"),
    "user.enable": _l("Account enabled"),
    "user.preferences": _l("Notification settings changed"),
}


def event_type_label(action: str) -> str:
    """The translated name of an event type; the code itself for one this version does not name."""
    label = EVENT_TYPES.get(action)
    return str(label) if label is not None else action


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
    if user is None and has_request_context() and current_user and current_user.is_authenticated:
        user = current_user._get_current_object()
    if user is None:
        return None
    return user.known_id  # without reloading a user expired by the last commit


def _client_ip() -> str | None:
    return request.remote_addr if has_request_context() else None


@sa.event.listens_for(AuditEvent, "before_update")
def _refuse_update(_mapper, _connection, target) -> None:
    raise AuditLogIsAppendOnly(f"audit event {target.id} cannot be changed")


@sa.event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(_mapper, _connection, target) -> None:
    raise AuditLogIsAppendOnly(f"audit event {target.id} cannot be deleted")


# The database itself refuses to change or delete audit rows, whatever the client (raw SQL, another
# program, a bulk UPDATE that skips the ORM events above). Migration 0005 creates the same objects;
# these DDL events create them when tests build the schema with db.create_all().
SQLITE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
)
POSTGRESQL_TRIGGERS = (
    "CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'audit_event is append-only' USING ERRCODE = 'insufficient_privilege'; END $$",
    "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change()",
)

for _statement in SQLITE_TRIGGERS:
    sa.event.listen(AuditEvent.__table__, "after_create", sa.DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRESQL_TRIGGERS:
    sa.event.listen(AuditEvent.__table__, "after_create", sa.DDL(_statement).execute_if(dialect="postgresql"))
