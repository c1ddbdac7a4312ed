"""Resident message → receipt round trip through the loopback Wechaty gateway.

A resident says something in the building-3 room on the gateway (Node: the
official PuppetServer serving the mock puppet, tests/wechat_gateway/gateway.mjs);
the gateway streams the message event over gRPC to WeChatPlatform, which reads
the message, room and contact payloads (names and topics are cached after the
first time), hands the message to the sink, and sends the receipt with
MessageSendText. The clock starts when the test process writes the "say" command
to the gateway's stdin and stops when the gateway reports that the bot said
something in that room (its stdout). So the figures include the control channel
both ways and the mock puppet's own work, and the two processes share the machine.

Two sinks: the full Runtime (real Desk with the bundled config and parser, SQLite
WAL in a temp dir, outbox; each request also sends a card to the worker) and a
bare sink that replies at once (the platform's own overhead). Sustained rate: N
messages said at once, until the last receipt.

    .venv/bin/python bench/bench_wechat.py [N]      # N >= 300, default 500
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

from bot.bootstrap import build_desk, open_storage  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from bot.wechat import WeChatPlatform  # noqa: E402
from handlers.messages import ButtonPress, Inbound, Outbound  # noqa: E402
from tests.factories import MONDAY_9AM  # noqa: E402
from tests.wechat.gateway import (  # noqa: E402
    BUILDING_3,
    LI,
    TOKEN,
    ZHANG,
    ZHAO,
    Gateway,
    gateway_missing_reason,
)

REQUESTS = [
    "3号楼2单元楼道灯坏了好几天了",
    "3号楼下水道堵了 污水都冒出来了",
    "3号楼电梯又停了 老人上不去楼",
    "3号楼门口的垃圾好几天没人收了",
    "3号楼有人在楼道里给电动车充电",
    "3号楼暖气不热 家里太冷了",
]
RESIDENTS = [ZHANG, LI, ZHAO]


class ReplyAtOnce:
    """The platform's own overhead: every room message gets one reply, no core, no DB."""

    def __init__(self) -> None:
        self.platform: WeChatPlatform | None = None

    async def on_message(self, message: Inbound) -> None:
        assert self.platform is not None
        if not message.is_private:
            await self.platform.send(Outbound("wechat", message.chat_id, "已收到"))

    async def on_button(self, press: ButtonPress) -> str | None:
        return None


def platform_on(gateway: Gateway, **kwargs: object) -> WeChatPlatform:
    return WeChatPlatform(endpoint=gateway.endpoint, token=TOKEN, **kwargs)  # type: ignore[arg-type]


async def residents(gateway: Gateway, n: int = 60) -> list[str]:
    """Enough neighbours that none of them posts faster than a person (the flood guard
    holds back an account that posts more than 30 messages a minute)."""
    extra = [f"wxid_bench_{i}" for i in range(n - len(RESIDENTS))]
    for i, contact in enumerate(extra):
        await gateway.call("add_contact", contact=contact, name=f"邻居{i}")
    return RESIDENTS + extra


async def measure(gateway: Gateway, n: int, advance: Callable[[int], None]) -> tuple[list[float], float]:
    people = await residents(gateway)

    async def one(i: int) -> float:
        advance(i)
        before = len(gateway.sent_to(BUILDING_3))
        t0 = time.perf_counter()
        await gateway.say(people[i % len(people)], REQUESTS[i % len(REQUESTS)], room=BUILDING_3)
        await gateway.wait_sent(BUILDING_3, before + 1, timeout=10)
        return time.perf_counter() - t0

    latencies = [await one(i) for i in range(n)]
    before = len(gateway.sent_to(BUILDING_3))
    start = time.perf_counter()
    says = []
    for i in range(n, 2 * n):
        advance(i)
        says.append(gateway.say(people[i % len(people)], REQUESTS[i % len(REQUESTS)], room=BUILDING_3))
    await asyncio.gather(*says)  # written to the gateway back to back, not one at a time
    await gateway.wait_sent(BUILDING_3, before + n, timeout=300)
    return latencies, n / (time.perf_counter() - start)


async def with_runtime(gateway: Gateway, n: int) -> tuple[list[float], float]:
    settings = load_settings()
    clock = SpreadClock(MONDAY_9AM)

    with tempfile.TemporaryDirectory() as tmp:
        engine = open_storage(f"sqlite:///{tmp}/bench.db")
        platform = WeChatPlatform.from_settings(settings, endpoint=gateway.endpoint, token=TOKEN)
        runtime = Runtime(build_desk(settings), engine, [platform], clock)
        await runtime.start(flush_every=0)
        try:
            await gateway.wait_for(lambda: platform.rooms_by_topic)
            return await measure(gateway, n, clock.advance)
        finally:
            await runtime.stop()
            engine.dispose()


async def with_bare_sink(gateway: Gateway, n: int) -> tuple[list[float], float]:
    sink = ReplyAtOnce()
    platform = platform_on(gateway)
    sink.platform = platform
    await platform.start(sink)
    try:
        return await measure(gateway, n, lambda i: None)
    finally:
        await platform.stop()


async def main(n: int) -> None:
    logging.basicConfig(level=logging.ERROR)
    reason = gateway_missing_reason()
    if reason:
        sys.exit(f"bench_wechat: {reason}")
    print(machine())
    print(f"loopback Wechaty gateway (PuppetServer + PuppetMock over gRPC), {n} messages each")
    runs: list[tuple[str, Callable[[Gateway, int], Awaitable[tuple[list[float], float]]]]] = [
        ("full Runtime (core + SQLite + outbox)", with_runtime),
        ("bare sink replying at once         ", with_bare_sink),
    ]
    for name, run in runs:
        gateway = Gateway()
        await gateway.start()
        try:
            latencies, rate = await run(gateway, n)
        finally:
            await gateway.close()
        report(name, latencies, rate)


if __name__ == "__main__":
    asyncio.run(main(max(300, int(sys.argv[1]) if len(sys.argv) > 1 else 500)))
