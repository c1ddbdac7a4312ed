"""`griddesk replay FILE`: the command, its options and its output."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.settings import load_settings

HELP = "replay a chat history (JSON lines) through the bot on a simulated clock, then report"


def register(sub: Any, add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("replay", cmd_replay, HELP)
    p.add_argument("history", metavar="FILE", help="JSON lines: at, platform, chat, from, text, id, reply_to, private")
    p.add_argument("--database", help="where the replay is stored (default: sqlite:///FILE-name.replay.db, "
                                      "replaced each run); must be empty otherwise")
    p.add_argument("--report", help="also write the report as JSON to this file")
    p.add_argument("--transcript", help="write the whole conversation to this file ('-': standard output)")
    p.add_argument("--until", help="run the clock on to this time after the last line "
                                   "(e.g. 2026-10-28T09:00; timers and digests due by then run)")
    p.add_argument("--charts", action="store_true", help="draw the digests' charts (slow: 0.1 s each)")


def default_database(history: Path) -> tuple[str, Path]:
    path = Path.cwd() / f"{history.stem}.replay.db"
    return f"sqlite:///{path}", path


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _until(value: str | None, timezone: str) -> datetime | None:
    if not value:
        return None
    at = datetime.fromisoformat(value)
    return at if at.tzinfo else at.replace(tzinfo=ZoneInfo(timezone))


def cmd_replay(args: argparse.Namespace) -> int:
    from bot.replay import replay_engine, replay_history
    from bot.replay_input import read_history
    from bot.replay_report import build_report
    from bot.replay_report_text import format_report
    from bot.replay_transcript import ChatNames, transcript_lines
    from storage.database import session_scope, upgrade
    from storage.replay_queries import is_empty

    settings = load_settings(args.config)
    path = Path(args.history)
    if not path.is_file():
        print(f"没有这个文件: {path}", file=sys.stderr)
        return 2
    try:
        until = _until(args.until, settings.timezone)
    except ValueError:
        print(f"--until 看不懂: {args.until!r}(应为 2026-10-28T09:00)", file=sys.stderr)
        return 2
    directory = settings.directory()
    history = read_history(path, directory, settings.timezone)
    if not history.lines:
        print(f"{path}: 没有可以回放的行(跳过 {len(history.skipped)} 行)", file=sys.stderr)
        for skipped in history.skipped[:20]:
            print(f"  第{skipped.number}行:{skipped.reason}", file=sys.stderr)
        return 1
    url = args.database
    if url is None:
        url, file = default_database(path)
        _remove_sqlite(file)
    engine = replay_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        empty = is_empty(session)
    if not empty:
        print(f"数据库 {engine.url.render_as_string(hide_password=True)} 里已经有工单或消息;"
              "试运行请用一个新的数据库(--database),不要和真实数据混在一起。", file=sys.stderr)
        return 2
    began = time.perf_counter()
    run = replay_history(settings, engine, history, until=until, charts=args.charts)
    elapsed = time.perf_counter() - began
    shown_url = engine.url.render_as_string(hide_password=True)
    report = build_report(settings, directory, engine, history, run, shown_url)
    engine.dispose()
    if args.transcript:
        lines = transcript_lines(run.journal, ChatNames(settings, directory), settings.timezone)
        if args.transcript == "-":
            for line in lines:
                print(line)
            print()
        else:
            Path(args.transcript).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(format_report(report))
    if args.report:
        Path(args.report).write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"\n回放用时 {elapsed:.1f} 秒。数据保留在 {shown_url}\n"
          f"打开工作台或导出交接单:GRIDDESK_DATABASE_URL={shown_url} griddesk web(或 griddesk export …)")
    return 0
