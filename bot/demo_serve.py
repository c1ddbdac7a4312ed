"""`griddesk demo --serve`: replay the morning, then open the web desk on it.

The desk's clock starts where the replay ended (14:00 on the demo day) and runs
on in real time. What staff do on the web is told in the console chats, printed
here as in the replay.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.bindings import BindingSync
from bot.bootstrap import build_desk, open_storage
from bot.console import ConsolePlatform
from bot.demo import console_names, replay_demo, ticket_rows, ticket_table
from bot.office_cli import issue_login_link
from bot.replay_transcript import ChatNames, transcript_lines
from bot.runtime import Runtime
from bot.settings import Settings

DEMO_PEOPLE = (("wang_fang", "网格员 王芳"), ("zhang_wei", "网格长 张伟"),
               ("zheng_guoqiang", "街道负责人 郑国强"))


def _running_clock(start: datetime) -> Callable[[], datetime]:
    began = time.monotonic()

    def now() -> datetime:
        return start + timedelta(seconds=time.monotonic() - began)

    return now


async def _serve(settings: Settings, url: str, start: datetime, host: str, port: int,
                 echo: Callable[[str], None], ready: Callable[[], None] | None) -> None:
    import uvicorn

    from bot.web.app import create_app

    clock = _running_clock(start)
    engine = open_storage(url)
    desk = build_desk(settings)
    BindingSync(desk, engine).refresh()
    console = ConsolePlatform(console_names(settings), echo=echo, clock=clock)
    runtime = Runtime(desk, engine, [console], clock)
    await runtime.start(flush_every=1.0)
    app = create_app(settings, engine, clock, desk)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning"))
    echo(f"\n工作台已启动: http://{host}:{port}/  (按 Ctrl+C 结束)")
    for staff_id, who in DEMO_PEOPLE:
        echo(f"{who}: {issue_login_link(settings, engine, staff_id, clock(), 'demo')}")
    echo("(链接15分钟内有效,只能用一次;过期后运行 griddesk login-link 无效,请重新运行演示)\n")
    if ready is not None:
        ready()
    try:
        await server.serve()
    finally:
        await runtime.stop()
        engine.dispose()


def serve_demo(settings: Settings, host: str, port: int, echo: Callable[[str], None] = print,
               ready: Callable[[], None] | None = None) -> int:
    with socket.socket() as probe:  # fail before the replay, not after it
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            echo(f"cannot serve on {host}:{port}: {exc.strerror}; try --port")
            return 2
    base = f"http://{host}:{port}"
    if settings.web.base_url != base:
        settings = settings.model_copy(update={"web": settings.web.model_copy(update={"base_url": base})})
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/demo.db"
        history, run = replay_demo(settings, url)
        echo(f"GridDesk 演示:{settings.street.name}的一个早晨({history.lines[0].at:%Y-%m-%d}),然后打开工作台\n")
        for line in transcript_lines(run.journal, ChatNames(settings, settings.directory()), settings.timezone):
            echo(line)
        echo(ticket_table(settings, ticket_rows(url)))
        start = run.end
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(_serve(settings, url, start, host, port, echo, ready))
    return 0
