"""`griddesk demo`: a morning in three building groups, replayed on a simulated clock."""

from __future__ import annotations

import asyncio
import tempfile
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlalchemy import select

from bot.bootstrap import build_desk, open_storage
from bot.console import ConsolePlatform
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.categories import CATEGORY_LABELS, URGENCY_LABELS, Category, Urgency
from handlers.tickets import STATUS_LABELS, Status
from schedules.scheduler import tick
from storage.database import session_scope
from storage.tables import TicketRow

DEMO_SCRIPT = Path(__file__).parent / "data" / "demo.yaml"


class SimulatedClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def _console_names(settings: Settings) -> dict[str, str]:
    return {c.id: c.name or c.id for c in settings.chats if c.platform == "console" and c.id}


async def replay(
    settings: Settings,
    steps: list[dict[str, Any]],
    start_date: date,
    database_url: str,
    echo: Callable[[str], None],
) -> list[TicketRow]:
    tz = ZoneInfo(settings.timezone)
    clock = SimulatedClock(datetime.combine(start_date, datetime.min.time(), tz))
    engine = open_storage(database_url)
    console = ConsolePlatform(_console_names(settings), echo=echo, clock=clock)
    runtime = Runtime(build_desk(settings), engine, [console], clock)
    await runtime.start(flush_every=0)
    for step in steps:
        hour, minute = (int(x) for x in str(step["at"]).split(":"))
        clock.now = clock.now.replace(hour=hour, minute=minute)
        if step.get("tick"):
            echo(f"{clock.now:%H:%M} (时间到了:检查提醒和超时)")
            await tick(runtime)
            continue
        private = step["chat"] == "private"
        chat_id = str(step["as"]) if private else str(step["chat"])
        await console.post(chat_id, str(step["as"]), str(step["say"]), clock.now, private=private)
    await runtime.stop()
    with session_scope(engine) as session:
        rows = list(session.execute(select(TicketRow).order_by(TicketRow.id)).scalars())  # type: ignore[arg-type]
    engine.dispose()
    return rows


def _pad(text: str, width: int) -> str:
    """Left-align in a terminal, where Chinese characters take two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(width - used, 1)


def ticket_table(settings: Settings, rows: list[TicketRow]) -> str:
    names = {s.id: s.name for s in settings.staff}
    communities = {c.code: c.name for c in settings.communities}
    widths = (7, 12, 10, 10, 16, 8)
    header = ("编号", "社区", "类别", "紧急程度", "状态", "负责人")
    lines = ["", "工单一览", "".join(_pad(h, w) for h, w in zip(header, widths, strict=True)) + "户数"]
    for r in rows:
        cells = (
            f"#{r.code:04d}",
            communities.get(r.community, r.community),
            CATEGORY_LABELS[Category(r.category)],
            URGENCY_LABELS[Urgency(r.urgency)],
            STATUS_LABELS[Status(r.status)],
            names.get(r.assignee or "", "—"),
        )
        lines.append("".join(_pad(c, w) for c, w in zip(cells, widths, strict=True)) + str(r.households))
    return "\n".join(lines)


def run_demo(settings: Settings, echo: Callable[[str], None] = print, script: Path = DEMO_SCRIPT) -> int:
    data = yaml.safe_load(script.read_text(encoding="utf-8"))
    start = data["start_date"]
    echo(f"GridDesk 演示:{settings.street.name}的一个早晨({start:%Y-%m-%d})\n")
    with tempfile.TemporaryDirectory() as tmp:
        rows = asyncio.run(
            replay(settings, data["steps"], start, f"sqlite:///{tmp}/demo.db", echo)
        )
    echo(ticket_table(settings, rows))
    return 0
