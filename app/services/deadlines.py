"""Deadline arithmetic: a deadline is a calendar date in the cycle time zone, met until that day ends there.

Pure functions of dates, instants and an IANA zone name (config CYCLE_TIME_ZONE, default
Europe/Moscow); no Flask, no database. Instants are timezone-aware datetimes.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

#: reminder kinds by how many days before the deadline they are sent (see reminder_due)
REMINDER_DAYS = (("due_7", 7), ("due_1", 1))


@lru_cache(maxsize=16)
def zone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name; ValueError names the setting when the zone is unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"CYCLE_TIME_ZONE {name!r} is not a known IANA time zone") from None


def local_today(now: datetime, tz: str) -> date:
    """The calendar date at the instant `now` in the zone."""
    return now.astimezone(zone(tz)).date()


def deadline_end(deadline: date, tz: str) -> datetime:
    """The instant the deadline passes: midnight at the start of the next day in the zone."""
    return datetime.combine(deadline + timedelta(days=1), time(0), tzinfo=zone(tz))


def days_left(deadline: date, now: datetime, tz: str) -> int:
    """Whole days from today (in the zone) to the deadline: 0 on the day itself, negative once overdue."""
    return (deadline - local_today(now, tz)).days


def is_late(submitted_at: datetime, deadline: date, tz: str) -> bool:
    """Whether a submission at this instant came after the deadline day ended in the zone."""
    return submitted_at >= deadline_end(deadline, tz)


@dataclass(frozen=True)
class DeadlineState:
    """Where one country stands against a deadline: "on_time", "late", "open" or "overdue", and days left."""

    state: str
    days: int | None


def state(deadline: date, now: datetime, tz: str, submitted_at: datetime | None) -> DeadlineState:
    """Submitted (on time or late), or not yet: open with days left, or overdue by -days."""
    if submitted_at is not None:
        return DeadlineState("late" if is_late(submitted_at, deadline, tz) else "on_time", None)
    left = days_left(deadline, now, tz)
    return DeadlineState("open" if left >= 0 else "overdue", left)


def reminder_due(deadline: date, now: datetime, tz: str) -> str | None:
    """The reminder a not-yet-submitted country should have by now: the latest that applies, or None.

    "due_7" from 7 days before the deadline, "due_1" from 1 day before (and on the day itself),
    "overdue" once the deadline day has ended. A run that missed a day sends the latest one only.
    """
    left = days_left(deadline, now, tz)
    if left < 0:
        return "overdue"
    due = None
    for kind, days in REMINDER_DAYS:
        if left <= days:
            due = kind
    return due
