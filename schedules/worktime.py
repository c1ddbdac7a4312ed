"""Working time on the Chinese calendar: periods of the day, holidays and 调休.

A normal ticket's clock only runs while the community office works. Whether a
date is a working day comes from ``chinese_calendar``, which knows public
holidays and the weekend days that are worked in exchange (调休). It covers
only the years the State Council has published; past those we fall back to
Monday–Friday and say so once per year in the log, so a stale package shows
up in the logs instead of silently miscounting deadlines.

All arithmetic is done on UTC instants; wall-clock dates and times are read in
the calendar's timezone.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

import chinese_calendar

log = logging.getLogger(__name__)

Period = tuple[time, time]
DEFAULT_PERIODS: tuple[Period, ...] = ((time(8, 30), time(12, 0)), (time(13, 30), time(17, 30)))
DEFAULT_TZ = "Asia/Shanghai"

_MAX_DAYS_WITHOUT_WORK = 60
"""Longer than any Chinese holiday run; past it the calendar is misconfigured."""

_years_warned: set[int] = set()


def chinese_workday(day: date) -> bool:
    """Official working day, or Monday–Friday for a year the package doesn't know."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        if day.year not in _years_warned:
            _years_warned.add(day.year)
            log.warning(
                "chinese_calendar has no holiday data for %d; counting Monday-Friday as "
                "working days (update the chinesecalendar package)",
                day.year,
            )
        return day.weekday() < 5


def _aware(t: datetime) -> datetime:
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got {t!r}")
    return t


class WorkCalendar:
    """Working days and working periods in one timezone."""

    def __init__(
        self,
        tz: tzinfo | str = DEFAULT_TZ,
        work_periods: tuple[Period, ...] = DEFAULT_PERIODS,
        is_workday: Callable[[date], bool] = chinese_workday,
    ) -> None:
        self.tz: tzinfo = ZoneInfo(tz) if isinstance(tz, str) else tz
        periods = tuple(sorted(work_periods))
        if not periods:
            raise ValueError("a work calendar needs at least one working period")
        for (start, end), following in zip(periods, (*periods[1:], None), strict=True):
            if start >= end:
                raise ValueError(f"working period {start:%H:%M}-{end:%H:%M} ends before it starts")
            if following is not None and following[0] < end:
                raise ValueError(f"working periods overlap at {following[0]:%H:%M}")
        self.work_periods = periods
        self._is_workday = is_workday

    def is_workday(self, day: date) -> bool:
        return self._is_workday(day)

    def local(self, t: datetime) -> datetime:
        return _aware(t).astimezone(self.tz)

    def is_working_time(self, t: datetime) -> bool:
        local = self.local(t)
        if not self.is_workday(local.date()):
            return False
        clock = local.time().replace(tzinfo=None)
        return any(start <= clock < end for start, end in self.work_periods)

    def add_working(self, start: datetime, duration: timedelta) -> datetime:
        """The instant ``duration`` of working time after ``start``.

        Time outside the working periods doesn't count: from 02:00 the count
        starts at the first period, and a span that ends exactly at the end of a
        period ends there (17:30), not at the next period's start. A zero
        duration gives the first working instant at or after ``start``.
        """
        if duration < timedelta(0):
            raise ValueError(f"working time to add must not be negative, got {duration}")
        remaining = duration
        for seg_start, seg_end in self._segments(start):
            span = seg_end - seg_start
            if remaining <= span:
                return (seg_start + remaining).astimezone(self.tz)
            remaining -= span
        raise AssertionError("unreachable: _segments never ends")  # pragma: no cover

    def working_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time from ``start`` to ``end`` (zero if ``end`` is not later)."""
        end_utc = _aware(end).astimezone(UTC)
        total = timedelta(0)
        for seg_start, seg_end in self._segments(start):
            if seg_start >= end_utc:
                break
            total += min(seg_end, end_utc) - seg_start
        return total

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """The same time of day on the ``n``-th working day after ``start``'s date.

        The time is then moved into that day's working periods: before the first
        period it becomes the first period's start, in a break the next period's
        start, after the last period the last period's end (so a ticket filed at
        19:00 is due at 17:30, never after hours). ``n == 0`` means the first
        working day on or after ``start``'s date.
        """
        if n < 0:
            raise ValueError(f"working days to add must not be negative, got {n}")
        local = self.local(start)
        day = local.date()
        if n == 0:
            day = self._next_workday(day, inclusive=True)
        for _ in range(n):
            day = self._next_workday(day, inclusive=False)
        clock = local.time().replace(tzinfo=None)
        return self._at(day, self._clamp(clock))

    def next_working_day_at(self, t: datetime, at: time = time(10, 0)) -> datetime:
        """``at`` on the first working day after ``t``'s date (回访: next working day 10:00)."""
        day = self._next_workday(self.local(t).date(), inclusive=False)
        return self._at(day, at)

    def _clamp(self, clock: time) -> time:
        for start, end in self.work_periods:
            if clock < start:
                return start
            if clock < end:
                return clock
        return self.work_periods[-1][1]

    def _at(self, day: date, clock: time) -> datetime:
        return datetime.combine(day, clock, tzinfo=self.tz)

    def _next_workday(self, day: date, *, inclusive: bool) -> date:
        candidate = day if inclusive else day + timedelta(days=1)
        for _ in range(_MAX_DAYS_WITHOUT_WORK):
            if self.is_workday(candidate):
                return candidate
            candidate += timedelta(days=1)
        raise RuntimeError(f"no working day within {_MAX_DAYS_WITHOUT_WORK} days after {day}")

    def _segments(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working periods from ``start`` on, as UTC (start, end); the first one clipped."""
        start_utc = _aware(start).astimezone(UTC)
        day = self.local(start).date()
        idle = 0
        while True:
            if self.is_workday(day):
                idle = 0
                for p_start, p_end in self.work_periods:
                    seg_end = self._at(day, p_end).astimezone(UTC)
                    if seg_end <= start_utc:
                        continue
                    seg_start = max(self._at(day, p_start).astimezone(UTC), start_utc)
                    yield seg_start, seg_end
            else:
                idle += 1
                if idle > _MAX_DAYS_WITHOUT_WORK:
                    raise RuntimeError(
                        f"no working day within {_MAX_DAYS_WITHOUT_WORK} days of {day}"
                    )
            day += timedelta(days=1)
