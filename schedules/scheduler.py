"""The one scheduler: APScheduler drives the sweep and the digests; what is due
lives in the database, so a restart (even after kill -9) catches up exactly once."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.runtime import Runtime
from schedules.sweep import sweep

log = logging.getLogger(__name__)

SWEEP_SECONDS = 30
PURGE_AT = (3, 30)
"""Local time of the daily retention job: a quiet hour."""


async def tick(runtime: Runtime) -> int:
    """One sweep plus the outbox: what the scheduler runs every SWEEP_SECONDS."""
    rows = sweep(runtime.engine, runtime.desk, runtime.clock(), owner=runtime.process_id,
                 platforms=list(runtime.platforms))
    await runtime.deliver(rows)
    await runtime.flush_outbox()
    return len(rows)


def build_scheduler(
    runtime: Runtime,
    timezone: str,
    digest_time: str,
    send_digests: Callable[[bool], Awaitable[object]] | None = None,
    purge: Callable[[], object] | None = None,
) -> AsyncIOScheduler:
    tz = ZoneInfo(timezone)  # cron triggers made by hand otherwise take the machine's zone
    scheduler = AsyncIOScheduler(timezone=tz)
    scheduler.add_job(tick, "interval", args=[runtime], seconds=SWEEP_SECONDS, id="sweep",
                      max_instances=1, coalesce=True)
    if send_digests is not None:
        hour, minute = (int(x) for x in digest_time.split(":"))
        daily = CronTrigger(hour=hour, minute=minute, timezone=tz)
        weekly = CronTrigger(day_of_week="mon", hour=hour, minute=minute, timezone=tz)
        scheduler.add_job(send_digests, daily, args=[False], id="daily_digest", coalesce=True,
                          misfire_grace_time=3600)
        scheduler.add_job(send_digests, weekly, args=[True], id="weekly_digest", coalesce=True,
                          misfire_grace_time=3600)
    if purge is not None:
        nightly = CronTrigger(hour=PURGE_AT[0], minute=PURGE_AT[1], timezone=tz)
        scheduler.add_job(purge, nightly, id="retention", coalesce=True, misfire_grace_time=6 * 3600)
    return scheduler
