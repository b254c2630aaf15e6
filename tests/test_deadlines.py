"""Deadline arithmetic: dates in the cycle time zone, met until that day ends there (app.services.deadlines)."""
import zoneinfo
from datetime import date, datetime, timedelta, timezone

import pytest

from app.services import deadlines

UTC = timezone.utc
MOSCOW = "Europe/Moscow"


def test_the_time_zone_data_is_available():
    assert {"Europe/Moscow", "Asia/Almaty", "Asia/Yerevan", "Asia/Bishkek", "Europe/Minsk",
            "America/New_York", "Pacific/Kiritimati"} <= zoneinfo.available_timezones()


def test_a_moscow_deadline_ends_at_midnight_moscow_time_which_is_21_00_utc():
    assert deadlines.deadline_end(date(2026, 12, 7), MOSCOW) == datetime(2026, 12, 7, 21, 0, tzinfo=UTC)


def test_a_submission_one_second_before_midnight_in_moscow_is_on_time_and_at_midnight_late():
    deadline = date(2026, 5, 31)
    assert not deadlines.is_late(datetime(2026, 5, 31, 20, 59, 59, tzinfo=UTC), deadline, MOSCOW)
    assert deadlines.is_late(datetime(2026, 5, 31, 21, 0, 0, tzinfo=UTC), deadline, MOSCOW)


def test_the_same_instant_is_on_time_in_one_zone_and_late_in_another():
    instant = datetime(2026, 5, 31, 22, 30, tzinfo=UTC)  # 01:30 on 1 June in Moscow, 18:30 on 31 May in New York
    assert deadlines.is_late(instant, date(2026, 5, 31), MOSCOW)
    assert not deadlines.is_late(instant, date(2026, 5, 31), "America/New_York")


def test_a_deadline_on_a_daylight_saving_change_ends_at_the_local_midnight_after_it():
    # New York moves to daylight time on 8 March 2026: the next midnight is 04:00 UTC, not 05:00.
    assert deadlines.deadline_end(date(2026, 3, 8), "America/New_York") == datetime(2026, 3, 9, 4, tzinfo=UTC)
    assert deadlines.deadline_end(date(2026, 11, 1), "America/New_York") == datetime(2026, 11, 2, 5, tzinfo=UTC)


def test_days_left_count_calendar_days_in_the_zone_not_24_hour_periods():
    deadline = date(2026, 12, 7)
    # 22:00 UTC on 30 November is already 1 December in Moscow: six days are left there, seven in UTC terms.
    late_evening = datetime(2026, 11, 30, 22, 0, tzinfo=UTC)
    assert deadlines.days_left(deadline, late_evening, MOSCOW) == 6
    assert deadlines.days_left(deadline, late_evening, "UTC") == 7
    # 10:00 UTC on 7 December is midnight of the 8th on Kiritimati (UTC+14): overdue there, due today in Moscow.
    assert deadlines.days_left(deadline, datetime(2026, 12, 7, 10, 0, tzinfo=UTC), "Pacific/Kiritimati") == -1
    assert deadlines.days_left(deadline, datetime(2026, 12, 7, 10, 0, tzinfo=UTC), MOSCOW) == 0


@pytest.mark.parametrize("days, expected", [(30, None), (8, None), (7, "due_7"), (5, "due_7"), (2, "due_7"),
                                            (1, "due_1"), (0, "due_1"), (-1, "overdue"), (-40, "overdue")])
def test_the_reminder_due_is_the_latest_that_applies(days, expected):
    deadline = date(2026, 12, 7)
    noon_in_moscow = datetime.combine(deadline - timedelta(days=days), datetime.min.time()).replace(
        hour=9, tzinfo=UTC)
    assert deadlines.reminder_due(deadline, noon_in_moscow, MOSCOW) == expected


def test_a_reminder_turns_overdue_exactly_when_the_deadline_day_ends_in_the_zone():
    deadline = date(2026, 12, 7)
    assert deadlines.reminder_due(deadline, datetime(2026, 12, 7, 20, 59, tzinfo=UTC), MOSCOW) == "due_1"
    assert deadlines.reminder_due(deadline, datetime(2026, 12, 7, 21, 0, tzinfo=UTC), MOSCOW) == "overdue"


def test_state_tells_on_time_late_open_and_overdue():
    deadline, tz = date(2026, 12, 7), MOSCOW
    now = datetime(2026, 12, 10, 9, tzinfo=UTC)
    assert deadlines.state(deadline, now, tz, datetime(2026, 12, 7, 20, tzinfo=UTC)).state == "on_time"
    assert deadlines.state(deadline, now, tz, datetime(2026, 12, 8, 8, tzinfo=UTC)).state == "late"
    assert deadlines.state(deadline, now, tz, None) == deadlines.DeadlineState("overdue", -3)
    assert deadlines.state(deadline, datetime(2026, 12, 2, 9, tzinfo=UTC), tz, None) == deadlines.DeadlineState("open", 5)


def test_an_unknown_time_zone_is_refused_with_the_setting_named():
    with pytest.raises(ValueError, match="CYCLE_TIME_ZONE"):
        deadlines.zone("Europe/Atlantis")
