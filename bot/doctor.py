"""``griddesk doctor`` and ``griddesk replay-dead``: is the bot well, and what it
could not handle, handled again."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bot.bootstrap import build_desk, open_storage
from bot.runtime import Runtime
from bot.settings import Settings
from schedules.scheduler import SWEEP_SECONDS
from storage.database import session_scope
from storage.health import Health, check
from storage.processes import PROCESS_TIMEOUT

TIMER_SLACK = timedelta(seconds=2 * SWEEP_SECONDS)
QUIET_PLATFORM = timedelta(hours=24)


def _ago(now: datetime, then: datetime) -> str:
    seconds = max((now - then).total_seconds(), 0)
    if seconds < 120:
        return f"{seconds:.0f} s ago"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min ago"
    if seconds < 172800:
        return f"{seconds / 3600:.0f} h ago"
    return f"{seconds / 86400:.0f} days ago"


def report(health: Health, tz: ZoneInfo) -> tuple[list[str], bool]:
    """The lines to print, and whether everything is well."""
    now, lines, well = health.now, [], True
    alive = [p for p in health.processes if now - p.heartbeat_at <= PROCESS_TIMEOUT]
    if alive:
        lines.append("bot processes: " + "; ".join(
            f"pid {p.pid} on {p.host} ({p.platforms or 'no platform'}), heartbeat {_ago(now, p.heartbeat_at)}"
            for p in alive))
    else:
        lines.append("bot processes: none running")
    if health.dead_letters:
        well = False
        lines.append(f"dead letters: {len(health.dead_letters)} not handled "
                     "(griddesk replay-dead retries them)")
        for letter in health.dead_letters:
            error = (letter.error.strip().splitlines() or [""])[-1][:120]
            lines.append(f"  #{letter.id} {letter.platform} chat {letter.chat_id} {letter.kind} "
                         f"{letter.message_id} at {letter.failed_at.astimezone(tz):%Y-%m-%d %H:%M:%S}, "
                         f"{letter.attempts} tries: {error}")
    else:
        lines.append("dead letters: none")
    box = health.outbox
    waiting = f"outbox: {box.waiting} waiting to be sent"
    if box.oldest_waiting is not None:
        waiting += f" (oldest written {_ago(now, box.oldest_waiting)})"
    waiting += f", {box.held} held for later (quiet hours or a retry)"
    lines.append(waiting)
    if box.failing:
        lines.append(f"  {box.failing} failed at least once; last error: {box.last_error[:160]}")
    if box.oldest_waiting is not None and now - box.oldest_waiting > timedelta(minutes=1):
        well = False
    for platform, when in sorted(health.last_message.items()):
        lines.append(f"last message on {platform}: {when.astimezone(tz):%Y-%m-%d %H:%M:%S} "
                     f"({_ago(now, when)})")
    if not health.last_message:
        lines.append("last message: none stored yet")
    if health.timers_behind:
        well = False
        assert health.oldest_timer_behind is not None
        lines.append(f"timers behind schedule: {health.timers_behind} "
                     f"(oldest due {_ago(now, health.oldest_timer_behind)}); is a bot running?")
    else:
        lines.append("timers behind schedule: none")
    if health.journal_backlog:
        lines.append(f"inbound journal: {health.journal_backlog} messages received and not yet stored")
    return lines, well


def run_doctor(settings: Settings, echo: Callable[[str], None] = print,
               engine: Engine | None = None, now: datetime | None = None) -> int:
    engine = engine or open_storage(settings.resolved_database_url)
    tz = ZoneInfo(settings.timezone)
    with session_scope(engine) as session:
        health = check(session, now or datetime.now(tz), TIMER_SLACK)
    lines, well = report(health, tz)
    echo(f"GridDesk doctor: {engine.url.render_as_string(hide_password=True)}")
    for line in lines:
        echo(line)
    return 0 if well else 1


def run_replay_dead(settings: Settings, ids: list[int], echo: Callable[[str], None] = print) -> int:
    """Handle dead letters again; replies go to the outbox, where a running bot sends them."""
    tz = ZoneInfo(settings.timezone)
    engine = open_storage(settings.resolved_database_url)
    runtime = Runtime(build_desk(settings), engine, [], lambda: datetime.now(tz))
    handled, failing = asyncio.run(runtime.replay_dead(ids or None))
    echo(f"dead letters handled: {handled}; still failing: {failing}")
    return 0 if failing == 0 else 1
