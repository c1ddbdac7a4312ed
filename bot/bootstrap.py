"""Building the application once: settings → directory → desk, storage, platforms."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bot.settings import Settings
from handlers.desk import Desk
from storage.database import make_engine, upgrade


def build_desk(settings: Settings) -> Desk:
    return Desk(settings.directory(), deadlines=_deadlines(settings))


def _deadlines(settings: Settings):  # type: ignore[no-untyped-def]
    """SLA deadlines from schedules/ when available (None: tickets carry no deadlines)."""
    try:
        from schedules.sla import SlaPolicy  # noqa: PLC0415
        from schedules.worktime import WorkCalendar  # noqa: PLC0415
    except ImportError:
        return None
    calendar = WorkCalendar(ZoneInfo(settings.timezone), settings.work_periods())
    policy = SlaPolicy.from_config(
        {u.value: (s.acknowledge, s.resolve) for u, s in settings.sla.items()}, calendar
    )

    def deadlines(urgency, created_at: datetime):  # type: ignore[no-untyped-def]
        due = policy.deadlines(urgency, created_at)
        return due.ack_due, due.resolve_due

    return deadlines


def open_storage(url: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    return engine
