"""Building the application once: settings → directory → desk, storage, platforms."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bot.bindings import onboarding_for
from bot.chart import render_digest_chart
from bot.settings import Settings, parse_clock
from handlers.categories import Urgency
from handlers.desk import Desk, Parser, Reader
from handlers.parsing import read_message
from handlers.parsing.staff_intent import default_staff_reader
from handlers.parsing.understanding import default_understanding
from schedules.policy import TicketTimers
from schedules.quiet import QuietHours
from schedules.sla import SlaPolicy
from schedules.worktime import WorkCalendar
from storage.database import make_engine, upgrade

RETURN_VISIT_AT = time(10, 0)


def build_desk(settings: Settings, parse: Parser | None = None, read: Reader | None = None) -> Desk:
    """The core, with the bundled models loaded now: a missing or broken model file
    stops the start with an error that names it. ``parse`` or ``read`` replace the
    residents' reading (tests)."""
    staff_reader = default_staff_reader()
    if read is None and parse is None:
        read = default_understanding().read
    calendar = WorkCalendar(ZoneInfo(settings.timezone), settings.work_periods())
    sla = SlaPolicy.from_config(
        {u.value: (s.acknowledge, s.resolve) for u, s in settings.sla.items()}, calendar
    )
    quiet = QuietHours(
        parse_clock(settings.quiet_hours.start), parse_clock(settings.quiet_hours.end),
        settings.timezone,
    )

    def deadlines(urgency: Urgency, created_at: datetime) -> tuple[datetime | None, datetime | None]:
        due = sla.deadlines(urgency, created_at)
        return due.ack_due, due.resolve_due

    timers = TicketTimers(
        next_visit=lambda resolved: calendar.next_working_day_at(resolved, RETURN_VISIT_AT),
        reminder_at=sla.reminder_at,
    )
    return Desk(
        settings.directory(),
        parse=parse,
        deadlines=deadlines,
        timers=timers,
        quiet=quiet.deliver_at,
        chart=render_digest_chart,
        read=read or read_message,
        read_staff=staff_reader.read,
        onboarding=onboarding_for(settings.web.base_url),
    )


def open_storage(url: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    return engine
