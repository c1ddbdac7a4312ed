"""Working time on real dates: National Day 2025, Spring Festival 2026, a plain weekend."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from schedules import worktime
from schedules.worktime import WorkCalendar

SH = ZoneInfo("Asia/Shanghai")
cal = WorkCalendar()


def at(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=SH)


def test_national_day_2025_and_its_adjusted_workdays() -> None:
    assert cal.is_workday(date(2025, 9, 28))  # Sunday, worked (调休)
    assert not any(cal.is_workday(date(2025, 10, d)) for d in range(1, 9))
    assert cal.is_workday(date(2025, 10, 11))  # Saturday, worked
    assert cal.is_working_time(at(2025, 9, 28, 9))
    assert not cal.is_working_time(at(2025, 10, 3, 9))


def test_working_periods_exclude_lunch_and_evening() -> None:
    assert cal.is_working_time(at(2025, 11, 20, 8, 30))
    assert not cal.is_working_time(at(2025, 11, 20, 12, 0))
    assert not cal.is_working_time(at(2025, 11, 20, 13, 0))
    assert cal.is_working_time(at(2025, 11, 20, 17, 29))
    assert not cal.is_working_time(at(2025, 11, 20, 17, 30))


def test_is_working_time_reads_the_calendar_timezone() -> None:
    # 01:00 UTC on Thursday is 09:00 in Shanghai.
    assert cal.is_working_time(datetime(2025, 11, 20, 1, 0, tzinfo=ZoneInfo("UTC")))


def test_four_working_hours_from_friday_afternoon_is_monday_morning() -> None:
    assert cal.add_working(at(2025, 11, 21, 16), timedelta(hours=4)) == at(2025, 11, 24, 11)


def test_four_working_hours_before_national_day_land_after_it() -> None:
    # Tue 30 Sep 16:00: 1.5 h that day, then Oct 1-8 off, Thu 9 Oct 08:30 + 2.5 h.
    assert cal.add_working(at(2025, 9, 30, 16), timedelta(hours=4)) == at(2025, 10, 9, 11)


def test_counting_from_the_night_starts_at_the_first_period() -> None:
    assert cal.add_working(at(2025, 11, 20, 2), timedelta(hours=4)) == at(2025, 11, 20, 14)


def test_span_ending_with_a_period_ends_there() -> None:
    assert cal.add_working(at(2025, 11, 20, 16), timedelta(hours=1, minutes=30)) == at(
        2025, 11, 20, 17, 30
    )
    assert cal.add_working(at(2025, 11, 20, 19), timedelta(0)) == at(2025, 11, 21, 8, 30)


def test_working_between_is_the_inverse_of_add_working() -> None:
    start = at(2025, 11, 21, 16)
    assert cal.working_between(start, at(2025, 11, 24, 11)) == timedelta(hours=4)
    assert cal.working_between(at(2025, 11, 24, 11), start) == timedelta(0)


def test_five_working_days_over_an_ordinary_weekend() -> None:
    assert cal.add_working_days(at(2025, 11, 20, 10, 15), 5) == at(2025, 11, 27, 10, 15)
    # Saturday counts from Monday.
    assert cal.add_working_days(at(2025, 11, 22, 10), 5) == at(2025, 11, 28, 10)


def test_five_working_days_over_national_day() -> None:
    # Sun 28 Sep (worked) 10:00 -> 29, 30, 9, 10, 11 Oct (Saturday, worked).
    assert cal.add_working_days(at(2025, 9, 28, 10), 5) == at(2025, 10, 11, 10)


def test_five_working_days_over_spring_festival_2026() -> None:
    # Feb 15-23 off; Sat 14 Feb and Sat 28 Feb are worked.
    assert cal.is_workday(date(2026, 2, 14))
    assert not cal.is_workday(date(2026, 2, 16))
    assert cal.is_workday(date(2026, 2, 28))
    # Thu 12 Feb -> 13, 14, 24, 25, 26.
    assert cal.add_working_days(at(2026, 2, 12, 9), 5) == at(2026, 2, 26, 9)
    assert cal.add_working(at(2026, 2, 14, 17), timedelta(hours=2)) == at(2026, 2, 24, 10)


def test_working_days_due_time_is_moved_into_working_periods() -> None:
    assert cal.add_working_days(at(2025, 11, 20, 19), 1) == at(2025, 11, 21, 17, 30)
    assert cal.add_working_days(at(2025, 11, 20, 12, 30), 1) == at(2025, 11, 21, 13, 30)
    assert cal.add_working_days(at(2025, 11, 20, 6), 1) == at(2025, 11, 21, 8, 30)
    assert cal.add_working_days(at(2025, 11, 22, 6), 0) == at(2025, 11, 24, 8, 30)


def test_return_visit_is_next_working_day_at_ten() -> None:
    assert cal.next_working_day_at(at(2025, 11, 21, 15)) == at(2025, 11, 24, 10)
    assert cal.next_working_day_at(at(2025, 9, 30, 9)) == at(2025, 10, 9, 10)
    assert cal.next_working_day_at(at(2026, 2, 14, 9), time(9, 0)) == at(2026, 2, 24, 9)


def test_unknown_year_falls_back_to_weekdays_and_warns_once(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unknown(day: date) -> bool:
        raise NotImplementedError(f"no available data for year {day.year}")

    monkeypatch.setattr(worktime.chinese_calendar, "is_workday", unknown)
    monkeypatch.setattr(worktime, "_years_warned", set())
    fallback = WorkCalendar()
    with caplog.at_level(logging.WARNING, logger="schedules.worktime"):
        assert fallback.add_working_days(at(2031, 1, 3, 10), 1) == at(2031, 1, 6, 10)  # Fri -> Mon
        assert not fallback.is_workday(date(2031, 1, 4))
    assert len([r for r in caplog.records if "2031" in r.getMessage()]) == 1


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        cal.is_working_time(datetime(2025, 11, 20, 9))
    with pytest.raises(ValueError, match="negative"):
        cal.add_working(at(2025, 11, 20, 9), timedelta(hours=-1))
    with pytest.raises(ValueError, match="overlap"):
        WorkCalendar(work_periods=((time(8), time(12)), (time(11), time(17))))
    with pytest.raises(ValueError, match="ends before"):
        WorkCalendar(work_periods=((time(12), time(8)),))


def test_a_calendar_without_working_days_fails_instead_of_looping() -> None:
    never = WorkCalendar(is_workday=lambda day: False)
    with pytest.raises(RuntimeError, match="no working day"):
        never.add_working(at(2025, 11, 20, 9), timedelta(hours=1))


def test_other_timezones_count_wall_clock_periods_across_dst() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    weekdays = WorkCalendar(berlin, ((time(9), time(17)),), is_workday=lambda d: d.weekday() < 5)
    friday = datetime(2025, 3, 28, 16, tzinfo=berlin)  # clocks go forward on Sunday 30 March
    assert weekdays.add_working(friday, timedelta(hours=2)) == datetime(
        2025, 3, 31, 10, tzinfo=berlin
    )
    assert weekdays.working_between(friday, datetime(2025, 3, 31, 10, tzinfo=berlin)) == timedelta(
        hours=2
    )
