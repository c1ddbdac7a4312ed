"""Intake speed through the console platform on SQLite, in process: parse + store +
receipt + worker notification, the whole path a resident's message takes.

Messages are spread over buildings and time (the same problem in the same building
comes back only after three days, beyond the 48-hour window in which it would count
as the same report again), so the requests open new tickets; the run prints how many
tickets it made and how many replies went out. The clock stays within 2026, the last
year the pinned holiday calendar knows.

    .venv/bin/python bench/bench_intake.py [N]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from latency import machine  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bot.bootstrap import build_desk, open_storage  # noqa: E402
from bot.console import ConsolePlatform  # noqa: E402
from bot.runtime import Runtime  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from storage.database import session_scope  # noqa: E402
from storage.tables import TicketRow  # noqa: E402

MESSAGES = [
    "{b}号楼2单元楼道灯坏了好几天了",
    "{b}号楼下水道堵了 污水都冒出来了",
    "早上好各位邻居",
    "{b}栋电梯又停了 老人上不去楼",
    "谢谢网格员",
    "{b}号楼门口的垃圾好几天没人收了",
    "【通知】明天上午停水",
    "{b}号楼有人在楼道里给电动车充电",
]
REQUESTS = sum("{b}" in m for m in MESSAGES)
BUILDINGS = 12
START = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
"""A Monday; 2,000 messages reach into May."""


def when(i: int) -> datetime:
    """Message i's time: a round of every building × every message takes a working
    day's hours; the next round starts three days later."""
    round_, slot = divmod(i, BUILDINGS * len(MESSAGES))
    return START + timedelta(days=3 * round_, minutes=slot * 420 // (BUILDINGS * len(MESSAGES)))


def text(i: int) -> str:
    slot = i % (BUILDINGS * len(MESSAGES))
    return MESSAGES[slot % len(MESSAGES)].format(b=1 + slot // len(MESSAGES))


async def run(n: int) -> None:
    settings = load_settings()
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_storage(f"sqlite:///{tmp}/bench.db")
        console = ConsolePlatform()
        now = [START]
        runtime = Runtime(build_desk(settings), engine, [console], lambda: now[0])
        await runtime.start(flush_every=0, heartbeat_every=0)
        latencies = []
        start = time.perf_counter()
        for i in range(n):
            now[0] = when(i)
            t0 = time.perf_counter()
            await console.post("jl-3", f"居民{i % 50}", text(i), now[0])
            latencies.append(time.perf_counter() - t0)
        elapsed = time.perf_counter() - start
        await runtime.stop()
        sent = sum(1 for s in console.transcript if s.speaker.startswith("🤖"))
        with session_scope(engine) as session:
            tickets = session.execute(select(func.count()).select_from(TicketRow)).scalar_one()
        engine.dispose()
    latencies.sort()
    print(machine())
    print(f"intake, in process (console + SQLite WAL): {n} messages in {elapsed:.2f} s = "
          f"{n / elapsed:.0f} messages/s")
    print(f"  per message: p50 {statistics.median(latencies) * 1000:.2f} ms, "
          f"p99 {latencies[int(len(latencies) * 0.99)] * 1000:.2f} ms")
    print(f"  new tickets: {tickets} (of {n * REQUESTS // len(MESSAGES)} requests; the rest is "
          f"chatter); bot replies sent: {sent}")


if __name__ == "__main__":
    asyncio.run(run(int(sys.argv[1]) if len(sys.argv) > 1 else 2000))
