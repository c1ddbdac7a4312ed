"""Resident message → receipt round trip through the loopback Bot API.

A resident posts in a supergroup on the fake Bot API (tests/telegram/server.py);
TelegramPlatform long-polls it (getUpdates timeout 10 s, poll interval 0), hands
the message to the sink, and the receipt goes back with sendMessage. The clock
starts when the update is queued on the server and stops when the server records
the receipt that replies to it. Server and bot share one process and event loop,
so the figures include the fake server's own work.

Two sinks: the full Runtime (real Desk with the bundled config and parser, SQLite
WAL in a temp dir, outbox) and a bare sink that replies at once (the platform's
own overhead). Sustained rate: N messages posted at once, until the last receipt.

    .venv/bin/python bench/bench_telegram.py [N]      # N >= 500, default 1000
"""

from __future__ import annotations

import asyncio
import logging
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from latency import SpreadClock, machine, report  # noqa: E402
from telegram import User  # noqa: E402

from bot.bootstrap import build_desk, open_storage  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from bot.telegram import TelegramPlatform  # noqa: E402
from handlers.messages import ButtonPress, Inbound, Outbound  # noqa: E402
from tests.factories import MONDAY_9AM  # noqa: E402
from tests.telegram.fixtures import BUILDING_3  # noqa: E402
from tests.telegram.server import TOKEN, FakeBotApi  # noqa: E402

REQUESTS = [
    "{b}号楼2单元楼道灯坏了好几天了",
    "{b}号楼下水道堵了 污水都冒出来了",
    "{b}栋电梯又停了 老人上不去楼",
    "{b}号楼门口的垃圾好几天没人收了",
    "{b}号楼有人在楼道里给电动车充电",
    "{b}号楼暖气不热 家里太冷了",
]
POLL_TIMEOUT = 10
POLL_INTERVAL = 0.0


class ReplyAtOnce:
    """The platform's own overhead: every group message gets one reply, no core, no DB."""

    def __init__(self) -> None:
        self.platform: TelegramPlatform | None = None

    async def on_message(self, message: Inbound) -> None:
        assert self.platform is not None
        await self.platform.send(Outbound("telegram", message.chat_id, "已收到",
                                          reply_to_message_id=message.message_id))

    async def on_button(self, press: ButtonPress) -> str | None:
        return None


async def measure(api: FakeBotApi, n: int, advance: Callable[[int], None]) -> tuple[list[float], float]:
    residents = [User(6000 + i, f"居民{i}", is_bot=False) for i in range(50)]
    chat = str(BUILDING_3.id)
    answered: set[int] = set()

    def receipts() -> set[int]:
        answered.update(s.reply_to for s in api.sent_to(chat) if s.reply_to is not None)
        return answered

    async def one(i: int) -> float:
        advance(i)
        t0 = time.perf_counter()
        posted = api.post(BUILDING_3, residents[i % 50], REQUESTS[i % len(REQUESTS)].format(b=1 + i % 4))
        await api.wait_for(lambda: posted.message_id in receipts(), timeout=10)
        return time.perf_counter() - t0

    latencies = [await one(i) for i in range(n)]
    api.sent.clear()
    answered.clear()
    start = time.perf_counter()
    posted = []
    for i in range(n, 2 * n):
        advance(i)
        posted.append(api.post(BUILDING_3, residents[i % 50], REQUESTS[i % len(REQUESTS)].format(b=1 + i % 4)))
    wanted = {m.message_id for m in posted}
    await api.wait_for(lambda: wanted <= receipts(), timeout=120)
    return latencies, n / (time.perf_counter() - start)


async def with_runtime(api: FakeBotApi, n: int) -> tuple[list[float], float]:
    settings = load_settings()
    clock = SpreadClock(MONDAY_9AM)

    with tempfile.TemporaryDirectory() as tmp:
        engine = open_storage(f"sqlite:///{tmp}/bench.db")
        platform = TelegramPlatform(TOKEN, api_url=api.url, poll_timeout=POLL_TIMEOUT,
                                    poll_interval=POLL_INTERVAL)
        runtime = Runtime(build_desk(settings), engine, [platform], clock)
        await runtime.start(flush_every=0)
        try:
            return await measure(api, n, clock.advance)
        finally:
            await runtime.stop()
            engine.dispose()


async def with_bare_sink(api: FakeBotApi, n: int) -> tuple[list[float], float]:
    sink = ReplyAtOnce()
    platform = TelegramPlatform(TOKEN, api_url=api.url, poll_timeout=POLL_TIMEOUT,
                                poll_interval=POLL_INTERVAL)
    sink.platform = platform
    await platform.start(sink)
    try:
        return await measure(api, n, lambda i: None)
    finally:
        await platform.stop()


async def main(n: int) -> None:
    logging.basicConfig(level=logging.ERROR)
    print(machine())
    print(f"loopback Bot API, long polling (getUpdates timeout {POLL_TIMEOUT} s, "
          f"poll interval {POLL_INTERVAL} s), {n} messages each")
    runs: list[tuple[str, Callable[[FakeBotApi, int], Awaitable[tuple[list[float], float]]]]] = [
        ("full Runtime (core + SQLite + outbox)", with_runtime),
        ("bare sink replying at once         ", with_bare_sink),
    ]
    for name, run in runs:
        async with FakeBotApi() as api:
            latencies, rate = await run(api, n)
        report(name, latencies, rate)


if __name__ == "__main__":
    asyncio.run(main(max(500, int(sys.argv[1]) if len(sys.argv) > 1 else 1000)))
