"""Reading the audit log: filters, pages and CSV rows for the administration's audit page.

Administrators read every event. Analysts read the events of assessments only (events with an
assessment), not those of accounts (logins, password resets, user changes).
"""
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa

from app import access
from app.audit import event_type_label  # noqa: F401  (the audit page names event types with it)
from app.extensions import db
from app.models import Assessment, AuditEvent, User

PAGE_SIZE = 50
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
CSV_HEADER = ["id", "at_utc", "user", "action", "assessment_id", "country", "cycle", "question_key", "target",
              "before", "after", "ip"]


@dataclass(frozen=True)
class AuditFilters:
    """What the reader asked for; every field optional. Dates are inclusive, in UTC."""

    user: str = ""
    country: str = ""
    assessment_id: int | None = None
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_args(cls, args) -> "AuditFilters":
        """Parse query-string arguments; a value that cannot be read is left out rather than refused."""
        return cls(user=_text(args.get("user"), 254).lower(), country=_text(args.get("country"), 2).upper(),
                   assessment_id=_int(args.get("assessment")), action=_text(args.get("action"), 50),
                   date_from=_date(args.get("from")), date_to=_date(args.get("to")))

    def as_args(self) -> dict[str, str]:
        values = {"user": self.user, "country": self.country, "assessment": self.assessment_id or "",
                  "action": self.action, "from": self.date_from or "", "to": self.date_to or ""}
        return {key: str(value) for key, value in values.items() if value}


def _text(value, limit: int) -> str:
    return _CONTROL.sub("", value or "").strip()[:limit]


def _int(value) -> int | None:
    value = _text(value, 12)
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) < 2**31 else None


def _date(value) -> date | None:
    try:
        return date.fromisoformat(_text(value, 10))
    except ValueError:
        return None


def _query(reader: User, filters: AuditFilters) -> sa.Select:
    query = (sa.select(AuditEvent, User.email, Assessment.country_code, Assessment.cycle)
             .outerjoin(User, AuditEvent.user_id == User.id)
             .outerjoin(Assessment, AuditEvent.assessment_id == Assessment.id))
    query = query.where(access.audit_visibility(reader))
    if filters.user:
        query = query.where(sa.or_(User.email.contains(filters.user, autoescape=True),
                                   AuditEvent.target.contains(filters.user, autoescape=True)))
    if filters.country:
        query = query.where(sa.or_(Assessment.country_code == filters.country,
                                   sa.and_(AuditEvent.assessment_id.is_(None), User.country_code == filters.country)))
    if filters.assessment_id:
        query = query.where(AuditEvent.assessment_id == filters.assessment_id)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.date_from:
        query = query.where(AuditEvent.at >= datetime.combine(filters.date_from, time(), timezone.utc))
    if filters.date_to:
        query = query.where(AuditEvent.at < datetime.combine(filters.date_to + timedelta(days=1), time(), timezone.utc))
    return query


@dataclass(frozen=True)
class Page:
    rows: list
    number: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def page(reader: User, filters: AuditFilters, number: int) -> Page:
    """One page of events, newest first (PAGE_SIZE rows), with the total count."""
    query = _query(reader, filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    number = min(max(1, number), max(1, -(-total // PAGE_SIZE)))
    rows = db.session.execute(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                              .limit(PAGE_SIZE).offset((number - 1) * PAGE_SIZE)).all()
    return Page(rows=rows, number=number, total=total)


def actions(reader: User) -> list[str]:
    """The event types present in the log (for the filter's choices)."""
    query = sa.select(AuditEvent.action).distinct().where(access.audit_visibility(reader)).order_by(AuditEvent.action)
    return list(db.session.scalars(query))


def action_choices(reader: User) -> list[tuple[str, str]]:
    """(event type, its name in the current language) of the types present in the log, ordered by name."""
    return sorted(((action, event_type_label(action)) for action in actions(reader)),
                  key=lambda choice: choice[1].casefold())


def csv_rows(reader: User, filters: AuditFilters) -> Iterator[list]:
    """The header, then every matching event (oldest first), streamed in batches.

    The query is built now, while the reader is loaded; the rows are read as the response is sent.
    """
    query = _query(reader, filters).order_by(AuditEvent.at, AuditEvent.id).execution_options(yield_per=500)
    return _rows(query)


def _rows(query: sa.Select) -> Iterator[list]:
    yield CSV_HEADER
    for event, email, country, cycle in db.session.execute(query):
        yield [str(event.id), event.at.isoformat(), email or "", event.action, str(event.assessment_id or ""),
               country or "", cycle or "", event.question_key or "", event.target or "", _json(event.before),
               _json(event.after), event.ip or ""]


def _json(value) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def record_export(reader: User, filters: AuditFilters) -> None:
    """Reading the log out is itself an event; commits."""
    from app import audit

    audit.record("audit.export", user=reader, after=filters.as_args())
    db.session.commit()


