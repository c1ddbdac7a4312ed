"""Quiet hours defer, never drop, and never hold an emergency."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

from handlers.categories import Urgency
from schedules.quiet import QuietHours

SH = ZoneInfo("Asia/Shanghai")
quiet = QuietHours()


def at(d: int, h: int, mi: int = 0) -> datetime:
    return datetime(2025, 11, d, h, mi, tzinfo=SH)


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (at(21, 21, 59), False),
        (at(21, 22, 0), True),
        (at(21, 23, 30), True),
        (at(22, 0, 0), True),
        (at(22, 6, 59), True),
        (at(22, 7, 0), False),
        (at(22, 12, 0), False),
    ],
)
def test_wrapping_quiet_hours(t: datetime, expected: bool) -> None:
    assert quiet.is_quiet(t) is expected


def test_before_midnight_waits_until_next_morning() -> None:
    assert quiet.deliver_at(at(21, 23, 10), Urgency.NORMAL) == at(22, 7, 0)
    assert quiet.deliver_at(at(21, 22, 0), "urgent") == at(21, 22, 0), "a burst pipe at night cannot wait"


def test_after_midnight_waits_until_the_same_morning() -> None:
    assert quiet.deliver_at(at(22, 3, 0), Urgency.NORMAL) == at(22, 7, 0)


def test_emergencies_and_daytime_go_at_once() -> None:
    assert quiet.deliver_at(at(21, 23, 10), Urgency.EMERGENCY) == at(21, 23, 10)
    assert quiet.deliver_at(at(21, 15, 0), Urgency.NORMAL) == at(21, 15, 0)


def test_quiet_hours_within_one_day() -> None:
    nap = QuietHours(time(12, 0), time(14, 0))
    assert not nap.is_quiet(at(21, 11, 59))
    assert nap.is_quiet(at(21, 12, 30))
    assert not nap.is_quiet(at(21, 14, 0))
    assert nap.deliver_at(at(21, 12, 30), Urgency.NORMAL) == at(21, 14, 0)


def test_equal_start_and_end_means_never_quiet() -> None:
    assert not QuietHours(time(0), time(0)).is_quiet(at(21, 0, 0))


def test_reads_wall_clock_in_its_own_timezone() -> None:
    # 15:30 UTC is 23:30 in Shanghai.
    t = datetime(2025, 11, 21, 15, 30, tzinfo=ZoneInfo("UTC"))
    assert quiet.is_quiet(t)
    assert quiet.deliver_at(t, Urgency.NORMAL) == at(22, 7, 0)


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        quiet.is_quiet(datetime(2025, 11, 21, 23))
