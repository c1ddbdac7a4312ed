"""SLA deadlines per urgency, config durations and reminders, on a moved clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers.categories import Urgency
from schedules.sla import Duration, SlaPolicy, Unit, parse_duration, reminder_at
from schedules.worktime import WorkCalendar

SH = ZoneInfo("Asia/Shanghai")
policy = SlaPolicy(WorkCalendar())


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SH)


def test_emergency_runs_on_the_clock_even_at_night_and_on_holidays() -> None:
    due = policy.deadlines(Urgency.EMERGENCY, at(2025, 10, 1, 23, 58))
    assert due.ack_due == at(2025, 10, 2, 0, 3)
    assert due.resolve_due == at(2025, 10, 2, 1, 58)


def test_urgent_runs_on_the_clock() -> None:
    due = policy.deadlines("urgent", at(2025, 11, 22, 20))  # Saturday evening
    assert due.ack_due == at(2025, 11, 22, 20, 30)
    assert due.resolve_due == at(2025, 11, 23, 20)


def test_normal_runs_on_working_time() -> None:
    due = policy.deadlines(Urgency.NORMAL, at(2025, 11, 21, 16))  # Friday
    assert due.ack_due == at(2025, 11, 24, 11)
    assert due.resolve_due == at(2025, 11, 28, 16)


def test_normal_over_national_day() -> None:
    due = policy.deadlines(Urgency.NORMAL, at(2025, 9, 30, 20))
    assert due.ack_due == at(2025, 10, 9, 14, 0)  # 3.5 h in the morning, 0.5 h after lunch
    # Oct 9, 10, 11 (Saturday, worked), 13, 14; filed after hours → end of the day.
    assert due.resolve_due == at(2025, 10, 14, 17, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5m", Duration(5, Unit.MINUTES)),
        ("2h", Duration(2, Unit.HOURS)),
        ("24h", Duration(24, Unit.HOURS)),
        ("1.5h", Duration(1.5, Unit.HOURS)),
        ("3d", Duration(3, Unit.DAYS)),
        ("4wh", Duration(4, Unit.WORKING_HOURS)),
        (" 5wd ", Duration(5, Unit.WORKING_DAYS)),
    ],
)
def test_parse_duration(text: str, expected: Duration) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("5", "expected a number and a unit"),
        ("two hours", "expected a number and a unit"),
        ("5s", "expected a number and a unit"),
        ("-2h", "expected a number and a unit"),
        ("0m", "longer than zero"),
        ("1.5wd", "whole number"),
    ],
)
def test_parse_duration_errors_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        parse_duration(text)
    assert repr(text) in str(info.value)


def test_config_overrides_keep_unnamed_defaults() -> None:
    custom = SlaPolicy.from_config({"urgent": ("1h", "2wd")}, WorkCalendar())
    due = custom.deadlines(Urgency.URGENT, at(2025, 11, 21, 10))
    assert due.ack_due == at(2025, 11, 21, 11)
    assert due.resolve_due == at(2025, 11, 25, 10)
    assert custom.deadlines(Urgency.EMERGENCY, at(2025, 11, 21, 10)).ack_due == at(
        2025, 11, 21, 10, 5
    )


def test_config_as_mappings_and_errors_name_the_key() -> None:
    custom = SlaPolicy.from_config({"normal": {"acknowledge": "2wh"}}, WorkCalendar())
    assert custom.deadlines("normal", at(2025, 11, 21, 9)).ack_due == at(2025, 11, 21, 11)
    with pytest.raises(ValueError, match=r"sla\.normal\.resolve: bad duration '5 days'"):
        SlaPolicy.from_config({"normal": ("4wh", "5 days")}, WorkCalendar())
    with pytest.raises(ValueError, match=r"sla\.critical: unknown urgency"):
        SlaPolicy.from_config({"critical": ("1m", "1h")}, WorkCalendar())


def test_reminder_at_three_quarters_of_the_clock_span() -> None:
    assert reminder_at(at(2025, 11, 21, 10), at(2025, 11, 21, 12)) == at(2025, 11, 21, 11, 30)
    assert reminder_at(at(2025, 11, 21, 10), at(2025, 11, 21, 10, 5)) == at(
        2025, 11, 21, 10, 3
    ) + timedelta(seconds=45)
    assert reminder_at(at(2025, 11, 21, 10), at(2025, 11, 21, 9)) == at(2025, 11, 21, 9)
    with pytest.raises(ValueError, match="between 0 and 1"):
        reminder_at(at(2025, 11, 21, 10), at(2025, 11, 21, 12), 1.5)


def test_policy_reminder_uses_working_time_for_normal_tickets() -> None:
    start = at(2025, 11, 21, 16)
    due = policy.deadlines(Urgency.NORMAL, start).ack_due
    assert policy.reminder_at(Urgency.NORMAL, start, due) == at(2025, 11, 24, 10)
    assert reminder_at(start, due) == start + (due - start) * 0.75  # clock: on Sunday
    urgent_due = policy.deadlines(Urgency.URGENT, start).ack_due
    assert policy.reminder_at(Urgency.URGENT, start, urgent_due) == at(
        2025, 11, 21, 16, 22
    ) + timedelta(seconds=30)
