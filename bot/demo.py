"""`griddesk demo`: a morning in three building groups, replayed like any history
(`griddesk replay`) from the bundled ``data/demo.jsonl``, with its report."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.bootstrap import open_storage
from bot.replay import ReplayRun, replay_history
from bot.replay_input import History, read_history
from bot.replay_report import build_report
from bot.replay_report_text import format_report, pad
from bot.replay_transcript import ChatNames, transcript_lines
from bot.settings import Settings
from handlers.categories import CATEGORY_LABELS, URGENCY_LABELS, Category, Urgency
from handlers.tickets import STATUS_LABELS, Status
from storage.database import session_scope
from storage.tables import TicketRow

DEMO_HISTORY = Path(__file__).parent / "data" / "demo.jsonl"
DEMO_UNTIL = time(14, 0)
"""The clock runs on to the afternoon: a ticket nobody took on gets its reminder."""


def console_names(settings: Settings) -> dict[str, str]:
    return {c.id: c.name or c.id for c in settings.chats if c.platform == "console" and c.id}


def demo_history(settings: Settings) -> History:
    return read_history(DEMO_HISTORY, settings.directory(), settings.timezone)


def replay_demo(settings: Settings, database_url: str) -> tuple[History, ReplayRun]:
    history = demo_history(settings)
    tz = ZoneInfo(settings.timezone)
    day = history.lines[-1].at.astimezone(tz).date()
    engine = open_storage(database_url)
    try:
        run = replay_history(settings, engine, history, until=datetime.combine(day, DEMO_UNTIL, tz))
    finally:
        engine.dispose()
    return history, run


def ticket_rows(database_url: str) -> list[TicketRow]:
    engine = open_storage(database_url)
    with session_scope(engine) as session:
        rows = list(session.execute(select(TicketRow).order_by(TicketRow.id)).scalars())  # type: ignore[arg-type]
    engine.dispose()
    return rows


def ticket_table(settings: Settings, rows: list[TicketRow]) -> str:
    names = {s.id: s.name for s in settings.staff}
    communities = {c.code: c.name for c in settings.communities}
    widths = (7, 12, 10, 10, 16, 8)
    header = ("编号", "社区", "类别", "紧急程度", "状态", "负责人")
    lines = ["", "工单一览", "".join(pad(h, w) for h, w in zip(header, widths, strict=True)) + "户数"]
    for r in rows:
        cells = (
            f"#{r.code:04d}",
            communities.get(r.community, r.community),
            CATEGORY_LABELS[Category(r.category)],
            URGENCY_LABELS[Urgency(r.urgency)],
            STATUS_LABELS[Status(r.status)],
            names.get(r.assignee or "", "—"),
        )
        lines.append("".join(pad(c, w) for c, w in zip(cells, widths, strict=True)) + str(r.households))
    return "\n".join(lines)


def run_demo(settings: Settings, echo: Callable[[str], None] = print) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/demo.db"
        history, run = replay_demo(settings, url)
        day = history.lines[0].at.astimezone(ZoneInfo(settings.timezone))
        echo(f"GridDesk 演示:{settings.street.name}的一个早晨({day:%Y-%m-%d}),"
             f"回放 {DEMO_HISTORY.name} 的 {len(history.lines)} 条消息\n")
        directory = settings.directory()
        for line in transcript_lines(run.journal, ChatNames(settings, directory), settings.timezone):
            echo(line)
        echo(ticket_table(settings, ticket_rows(url)))
        engine = open_storage(url)
        report = build_report(settings, directory, engine, history, run, "演示用的临时数据库")
        engine.dispose()
        echo("")
        echo(format_report(report))
    return 0
