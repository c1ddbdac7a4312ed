"""`griddesk console`: type as a resident or a worker into a console chat.

Lines starting with "/as 名字" change who you are, "/chat ID" (or "/chat private")
where you are; everything else is said in the chat. The timers run while you type
(reminders and escalations appear when they fall due). Uses the configured
database, so tickets survive between sessions.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.bootstrap import build_desk, open_storage
from bot.console import ConsolePlatform
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.directory import ROLE_LABELS

TICK_SECONDS = 5.0


def describe_person(runtime: Runtime, person: str) -> str:
    staff = runtime.desk.directory.staff_by_identity("console", person)
    return f"{person}({ROLE_LABELS[staff.role]})" if staff else f"{person}(居民)"


def describe_chat(names: dict[str, str], chat: str) -> str:
    return "和机器人私聊" if chat == "private" else f"{names.get(chat, chat)}({chat})"


async def _tick_forever(runtime: Runtime) -> None:
    from schedules.scheduler import tick

    while True:
        await asyncio.sleep(TICK_SECONDS)
        try:
            await tick(runtime)
        except Exception as exc:  # keep typing possible; say what happened
            print(f"(定时检查出错: {exc})")


async def _loop(settings: Settings, chat: str, person: str) -> None:
    tz = ZoneInfo(settings.timezone)

    def clock() -> datetime:
        return datetime.now(tz)

    names = {c.id: c.name or c.id for c in settings.chats if c.platform == "console" and c.id}
    known = set(names)
    console = ConsolePlatform(names, echo=print, clock=clock)
    runtime = Runtime(build_desk(settings), open_storage(settings.resolved_database_url), [console], clock)
    await runtime.start(flush_every=0)
    print(f"console chats: {', '.join(sorted(known))} (or private). /as 名字, /chat ID, Ctrl-D to quit")
    print(f"您是 {describe_person(runtime, person)},在 {describe_chat(names, chat)}。")
    ticker = asyncio.create_task(_tick_forever(runtime))
    try:
        while True:
            line = await asyncio.to_thread(sys.stdin.readline)
            if not line:
                break
            line = line.rstrip("\n")
            if line.startswith("/as "):
                person = line[4:].strip() or person
                print(f"您现在是 {describe_person(runtime, person)},在 {describe_chat(names, chat)}。")
                continue
            if line.startswith("/chat "):
                wanted = line[6:].strip()
                if wanted != "private" and wanted not in known:
                    print(f"unknown chat {wanted!r}; known: {', '.join(sorted(known))}")
                    continue
                chat = wanted
                print(f"您现在在 {describe_chat(names, chat)},身份 {describe_person(runtime, person)}。")
                continue
            private = chat == "private"
            await console.post(person if private else chat, person, line, clock(), private=private)
    finally:
        ticker.cancel()
        await runtime.stop()


def run_console(settings: Settings, chat: str, person: str) -> int:
    known = {c.id for c in settings.chats if c.platform == "console"}
    if chat != "private" and chat not in known:
        print(f"unknown console chat {chat!r}; configured: {', '.join(sorted(k for k in known if k))}",
              file=sys.stderr)
        return 2
    asyncio.run(_loop(settings, chat, person))
    return 0
