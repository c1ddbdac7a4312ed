"""Service levels: by when a ticket of each urgency must be acknowledged and resolved.

Emergencies and urgent tickets run on the clock, day and night: a fall or a
burst pipe doesn't wait for office hours. Normal tickets run on working time
(``WorkCalendar``), so "4 working hours" filed on Friday evening is due on
Monday morning. Config gives durations as short strings (``config.yaml`` →
``sla``): ``5m``, ``2h``, ``3d`` on the clock, ``4wh`` working hours, ``5wd``
working days.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from handlers.categories import Urgency
from schedules.worktime import WorkCalendar


class Unit(StrEnum):
    MINUTES = "m"
    HOURS = "h"
    DAYS = "d"
    WORKING_HOURS = "wh"
    WORKING_DAYS = "wd"


_CLOCK_UNITS = {
    Unit.MINUTES: timedelta(minutes=1),
    Unit.HOURS: timedelta(hours=1),
    Unit.DAYS: timedelta(days=1),
}
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(m|h|d|wh|wd)$")
_EXPECTED = "expected a number and a unit: 5m, 2h, 3d (clock time), 4wh (working hours) or 5wd (working days)"


@dataclass(frozen=True)
class Duration:
    amount: float
    unit: Unit

    @property
    def working(self) -> bool:
        return self.unit in (Unit.WORKING_HOURS, Unit.WORKING_DAYS)

    def after(self, start: datetime, calendar: WorkCalendar) -> datetime:
        if self.unit is Unit.WORKING_DAYS:
            return calendar.add_working_days(start, int(self.amount))
        if self.unit is Unit.WORKING_HOURS:
            return calendar.add_working(start, timedelta(hours=self.amount))
        return start + _CLOCK_UNITS[self.unit] * self.amount

    def __str__(self) -> str:
        return f"{self.amount:g}{self.unit.value}"


def parse_duration(text: str) -> Duration:
    """``"4wh"`` → ``Duration(4, Unit.WORKING_HOURS)``; ValueError names what was wrong."""
    if not isinstance(text, str):
        raise ValueError(f"duration must be a string like '2h', got {text!r}")
    match = _DURATION.match(text.strip().lower())
    if not match:
        raise ValueError(f"bad duration {text!r}: {_EXPECTED}")
    amount, unit = float(match.group(1)), Unit(match.group(2))
    if amount <= 0:
        raise ValueError(f"bad duration {text!r}: must be longer than zero")
    if unit is Unit.WORKING_DAYS and not amount.is_integer():
        raise ValueError(
            f"bad duration {text!r}: working days must be a whole number (use wh for hours)"
        )
    return Duration(amount, unit)


@dataclass(frozen=True)
class SlaTerms:
    acknowledge: Duration
    resolve: Duration


@dataclass(frozen=True)
class Deadlines:
    ack_due: datetime
    resolve_due: datetime


DEFAULT_TERMS: dict[Urgency, SlaTerms] = {
    Urgency.EMERGENCY: SlaTerms(parse_duration("5m"), parse_duration("2h")),
    Urgency.URGENT: SlaTerms(parse_duration("30m"), parse_duration("24h")),
    Urgency.NORMAL: SlaTerms(parse_duration("4wh"), parse_duration("5wd")),
}


def reminder_at(start: datetime, due: datetime, fraction: float = 0.75) -> datetime:
    """The moment ``fraction`` of the way from ``start`` to ``due``, on the clock.

    Clock time on purpose, for every urgency: for a normal ticket whose span
    crosses a night or a weekend the reminder may fall outside working hours,
    and quiet hours then hold it until morning; the deadline itself is what
    working time decides. Use ``SlaPolicy.reminder_at`` for the working-time
    variant.
    """
    if not 0 <= fraction <= 1:
        raise ValueError(f"reminder fraction must be between 0 and 1, got {fraction}")
    if due <= start:
        return due
    return start + (due - start) * fraction


class SlaPolicy:
    """Deadlines per urgency, defaults overridable from config."""

    def __init__(
        self, calendar: WorkCalendar, terms: Mapping[Urgency, SlaTerms] | None = None
    ) -> None:
        self.calendar = calendar
        self.terms: dict[Urgency, SlaTerms] = {**DEFAULT_TERMS, **(terms or {})}

    @classmethod
    def from_config(
        cls, config: Mapping[str, tuple[str, str] | Mapping[str, str]], calendar: WorkCalendar
    ) -> SlaPolicy:
        """``{"normal": ("4wh", "5wd")}`` or ``{"normal": {"acknowledge": …, "resolve": …}}``.

        Urgencies not named keep their defaults; errors name the urgency and key.
        """
        terms: dict[Urgency, SlaTerms] = {}
        for name, value in config.items():
            try:
                urgency = Urgency(name)
            except ValueError:
                known = ", ".join(u.value for u in Urgency)
                raise ValueError(f"sla.{name}: unknown urgency (expected one of {known})") from None
            if isinstance(value, Mapping):
                pair: tuple[str | None, ...] = (value.get("acknowledge"), value.get("resolve"))
            else:
                pair = tuple(value)
            if len(pair) != 2:
                raise ValueError(f"sla.{name}: expected (acknowledge, resolve), got {value!r}")
            default = DEFAULT_TERMS[urgency]
            parsed: list[Duration] = []
            for key, text, fallback in zip(
                ("acknowledge", "resolve"),
                pair,
                (default.acknowledge, default.resolve),
                strict=True,
            ):
                try:
                    parsed.append(fallback if text is None else parse_duration(text))
                except ValueError as exc:
                    raise ValueError(f"sla.{name}.{key}: {exc}") from None
            terms[urgency] = SlaTerms(parsed[0], parsed[1])
        return cls(calendar, terms)

    def deadlines(self, urgency: Urgency | str, created_at: datetime) -> Deadlines:
        terms = self.terms[Urgency(urgency)]
        return Deadlines(
            ack_due=terms.acknowledge.after(created_at, self.calendar),
            resolve_due=terms.resolve.after(created_at, self.calendar),
        )

    def reminder_at(
        self, urgency: Urgency | str, start: datetime, due: datetime, fraction: float = 0.75
    ) -> datetime:
        """Like the module's ``reminder_at``, but in working time for working-time SLAs.

        For a normal ticket filed on Friday at 16:00 and due Monday 11:00 the
        reminder then comes Monday 10:00, not on Sunday.
        """
        terms = self.terms[Urgency(urgency)]
        if not (terms.acknowledge.working or terms.resolve.working):
            return reminder_at(start, due, fraction)
        if not 0 <= fraction <= 1:
            raise ValueError(f"reminder fraction must be between 0 and 1, got {fraction}")
        span = self.calendar.working_between(start, due)
        if span <= timedelta(0):
            return due
        return self.calendar.add_working(start, span * fraction)
