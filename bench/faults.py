"""Load and faults, measured end to end (not part of `make test`: minutes each).

`griddesk run` runs as its own process on the real parser and the bundled config;
residents post through the loopback Bot API and the official WeChat gateway (mock
puppet). The database is a PostgreSQL cluster of your own, because some scenarios
restart or stop it — never point these at a server others use:

    pg_createcluster 15 wt10 -p 5433 --start -- --auth-local=trust --auth-host=trust
    psql -h 127.0.0.1 -p 5433 -U postgres -c 'create database griddesk'

    PG="--database postgresql+psycopg://postgres@127.0.0.1:5433/griddesk --cluster '15 wt10'"
    .venv/bin/python bench/faults.py soak $PG          # 10 min, 20 msg/s on each platform, restart at 5 min
    .venv/bin/python bench/faults.py db-down $PG       # the database stopped for 30 s under load
    .venv/bin/python bench/faults.py flood $PG         # one account at 1,000 messages a minute
    .venv/bin/python bench/faults.py crash             # kill -9 three times in a 200-message burst (Telegram)
    .venv/bin/python bench/faults.py crash-wechat      # kill -9 in a 100-message burst; messages said while down
    .venv/bin/python bench/faults.py reconnect         # the gateway away for 4.4 s: how soon is the bot back?

Without --database, SQLite in a temporary directory. Each prints what it measured.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fault_stack import (  # noqa: E402
    GROUP,
    ROOMS,
    Stage,
    pg_ctlcluster,
    request_for,
    summary,
    text_for,
)
from sqlalchemy import create_engine, make_url, text  # noqa: E402

EMERGENCY = "3号楼2单元有老人摔倒了起不来 快来人"


def fresh_database(url: str) -> None:
    """Drop and create the (private) database the bot will use."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()


def show(title: str, verdict: dict[str, int]) -> None:
    print(f"{title}: " + ", ".join(f"{k} {v}" for k, v in verdict.items()), flush=True)


async def stream(stage: Stage, rate: float, seconds: float, platforms: tuple[str, ...],
                 start_index: int = 0) -> int:
    """Post at ``rate`` messages/s on each platform for ``seconds``; returns how many."""
    began = time.monotonic()
    i = 0
    while (elapsed := time.monotonic() - began) < seconds:
        due = int(elapsed * rate) + 1
        while i < due:
            n = start_index + i
            if "telegram" in platforms:
                stage.post_telegram(n, text_for(n))
            if "wechat" in platforms:
                await stage.say_wechat(n, text_for(n + 3), room=ROOMS[n % 2])
            i += 1
        await asyncio.sleep(0.01)
    return i


async def soak(args: argparse.Namespace, folder: Path) -> None:
    fresh_database(args.database)
    async with Stage(args.database, folder) as stage:
        await stage.start_bot()
        restart_at = args.minutes * 30
        print(f"soak: {args.rate} messages/s on Telegram and on WeChat for {args.minutes} min; "
              f"{'pg_ctlcluster ' + args.cluster + ' restart' if args.cluster else 'no restart'} "
              f"at {restart_at:.0f} s, while the messages keep coming", flush=True)
        began = time.monotonic()
        streaming = asyncio.create_task(stream(stage, args.rate, args.minutes * 60, stage.platforms))
        await asyncio.sleep(restart_at)
        restarted_at = time.monotonic()
        took = await asyncio.to_thread(pg_ctlcluster, args.cluster, "restart") if args.cluster else 0.0
        print(f"  database restarted in {took:.1f} s at {restarted_at - began:.0f} s", flush=True)
        await streaming
        drained = await stage.wait_stored(120)
        await asyncio.sleep(5)
        window = (restarted_at - 5, restarted_at + took + 30)
        print(f"  all stored {drained:.1f} s after the last message")
        print(f"  Telegram round trips, whole run: {summary(stage.latencies())}")
        print(f"  ... outside the restart: {summary(stage.latencies(until=window[0]) + stage.latencies(since=window[1]))}")
        print(f"  ... from 5 s before to 30 s after the restart: "
              f"{summary(stage.latencies(since=window[0], until=window[1]))}")
        await stage.stop_bot()
        show("soak", stage.verdict())


async def db_down(args: argparse.Namespace, folder: Path) -> None:
    if not args.cluster:
        sys.exit("db-down needs --cluster (a PostgreSQL cluster of your own)")
    fresh_database(args.database)
    async with Stage(args.database, folder) as stage:
        await stage.start_bot()
        print(f"db-down: {args.rate} messages/s on each platform for {args.down + 80:.0f} s; the "
              f"database stopped for {args.down} s after 20 s", flush=True)
        streaming = asyncio.create_task(stream(stage, args.rate, args.down + 80, stage.platforms))
        await asyncio.sleep(20)
        await asyncio.to_thread(pg_ctlcluster, args.cluster, "stop")
        stopped = time.monotonic()
        await asyncio.sleep(args.down)
        await asyncio.to_thread(pg_ctlcluster, args.cluster, "start")
        back = time.monotonic()
        print(f"  database down {back - stopped:.1f} s", flush=True)
        await streaming
        drained = await stage.wait_stored(180)
        print(f"  all stored {drained:.1f} s after the last message")
        during = [p for p in stage.posted if stopped <= p.at < back and p.answered_at]
        if during:
            print(f"  messages posted while it was down: answered {min(p.answered_at for p in during) - back:.1f}"
                  f"-{max(p.answered_at for p in during) - back:.1f} s after it came back (Telegram)")
        print(f"  Telegram round trips before the stop: {summary(stage.latencies(until=stopped))}")
        print(f"  Telegram round trips from 20 s after it came back: "
              f"{summary(stage.latencies(since=back + 20))}")
        await asyncio.sleep(5)
        await stage.stop_bot()
        show("db-down", stage.verdict())


async def flood(args: argparse.Namespace, folder: Path) -> None:
    fresh_database(args.database)
    async with Stage(args.database, folder, platforms=("telegram",)) as stage:
        await stage.start_bot()
        flooder = stage.resident(999)
        print("flood: 50 residents at 2 messages/s together; then one account adds 1,000 messages "
              "a minute for 2 minutes", flush=True)
        n = await stream(stage, 2, 60, ("telegram",))
        baseline = stage.latencies()
        began = time.monotonic()
        flood_posted = []

        async def flooding() -> None:
            i = 0
            while time.monotonic() - began < 120:
                while i < int((time.monotonic() - began) * 1000 / 60) + 1:
                    flood_posted.append(stage.post_telegram(0, f"广告{i} 低价出售", user=flooder))
                    i += 1
                await asyncio.sleep(0.01)

        task = asyncio.create_task(flooding())
        await stream(stage, 2, 120, ("telegram",), start_index=n)
        await task
        others = [p.answered_at - p.at for p in stage.posted
                  if p.answered_at and p.at >= began and p not in flood_posted]
        await stage.wait_stored(120)
        await asyncio.sleep(2)
        notices = [s for s in stage.api.sent_to(GROUP) if "太快" in s.text]
        print(f"  others before the flood: {summary(baseline)}")
        print(f"  others during the flood: {summary(others)}")
        print(f"  the flooding account: {len(flood_posted)} messages, {len(notices)} notice(s) to it")
        await stage.stop_bot()
        show("flood", stage.verdict())


async def crash(args: argparse.Namespace, folder: Path) -> None:
    fresh_database(args.database)
    async with Stage(args.database, folder, platforms=("telegram",)) as stage:
        await stage.start_bot()
        every = args.messages // (args.kills + 1)
        print(f"crash: a burst of {args.messages} requests, some of them emergencies; kill -9 while "
              f"the receipt of an emergency is being sent, after about {every}, {2 * every}, ... "
              "receipts; restart at once", flush=True)
        for i in range(args.messages):
            stage.post_telegram(i, EMERGENCY if i % every == every // 2 else request_for(i))

        def answered() -> int:
            return sum(p.answered_at is not None for p in stage.posted)

        for k in range(args.kills):
            target = every * (k + 1)
            stage.api.stall_when("sendMessage", lambda params, t=target: "⚠️" in params.get("text", "")
                                 and answered() >= t)
            await asyncio.wait_for(stage.api.stalled.wait(), 120)
            await stage.kill_bot()
            receipts = answered()
            engine = stage.engine()
            pending = stage.urgent_unsent(engine)
            engine.dispose()
            took = await stage.start_bot()
            out = await stage.urgent_out()
            print(f"  kill {k + 1} after {receipts} receipts, {pending} emergency messages unsent: the "
                  f"new process ran after {took:.1f} s; they were all out {out:.1f} s after the restart",
                  flush=True)
        drained = await stage.wait_stored(120)
        await stage.api.wait_for(lambda: all(p.answered_at for p in stage.posted), timeout=120)
        print(f"  all stored {drained:.1f} s after the last restart; all {len(stage.posted)} answered")
        await stage.stop_bot()
        show("crash", stage.verdict())


async def crash_wechat(args: argparse.Namespace, folder: Path) -> None:
    fresh_database(args.database)
    async with Stage(args.database, folder, platforms=("wechat",)) as stage:
        await stage.start_bot()
        print(f"crash-wechat: a burst of {args.messages} messages; kill -9 mid-burst; 20 more said "
              "while the bot is down; restart", flush=True)
        for i in range(args.messages):
            await stage.say_wechat(i, text_for(i))
        engine = stage.engine()
        while len(stage.stored_ids(engine)) < args.messages // 3:
            await asyncio.sleep(0.02)
        stored_at_kill = len(stage.stored_ids(engine))
        await stage.kill_bot()
        while_down = [await stage.say_wechat(1000 + i, text_for(i)) for i in range(20)]
        took = await stage.start_bot()
        await asyncio.sleep(0.5)
        after = [await stage.say_wechat(2000 + i, text_for(i)) for i in range(20)]
        await stage.wait_stored(60)
        stored = stage.stored_ids(engine)
        burst = [p for p in stage.posted if p not in while_down and p not in after]
        lost_burst = sum((p.platform, p.chat, p.message_id) not in stored for p in burst)
        lost_down = sum((p.platform, p.chat, p.message_id) not in stored for p in while_down)
        lost_after = sum((p.platform, p.chat, p.message_id) not in stored for p in after)
        engine.dispose()
        print(f"  killed with {stored_at_kill} of {args.messages} stored; restarted in {took:.1f} s")
        print(f"  burst: {len(burst) - lost_burst} of {len(burst)} stored after the restart (lost {lost_burst})")
        print(f"  said while the bot was down: lost {lost_down} of {len(while_down)} "
              "(the gateway keeps no backlog)")
        print(f"  said after the restart: lost {lost_after} of {len(after)}")
        await stage.stop_bot()


async def reconnect(args: argparse.Namespace, folder: Path) -> None:
    from bot.wechat import WeChatPlatform
    from tests.wechat.fixtures import RecordingSink

    async with Stage(args.database, folder, platforms=("wechat",)) as stage:
        assert stage.gateway is not None
        delays = []
        for _ in range(args.rounds):
            platform = WeChatPlatform(endpoint=stage.gateway.endpoint, token=stage.gateway.token)
            await platform.start(RecordingSink())
            logins = platform.connections
            await stage.gateway.kill()
            await asyncio.sleep(args.outage)
            await stage.gateway.start()
            back = time.monotonic()
            while not (platform.connected and platform.connections > logins):
                await asyncio.sleep(0.005)
            delays.append(time.monotonic() - back)
            await platform.stop()
        print(f"reconnect: gateway away {args.outage} s, {args.rounds} rounds, default probing "
              f"(0.5 s, then every 1 s): logged in again {min(delays):.2f}-{max(delays):.2f} s "
              f"(mean {sum(delays) / len(delays):.2f} s) after the gateway answered")


SCENARIOS = {"soak": soak, "db-down": db_down, "flood": flood, "crash": crash,
             "crash-wechat": crash_wechat, "reconnect": reconnect}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--database", help="a PostgreSQL database of your own (default: SQLite in a temp dir)")
    parser.add_argument("--cluster", default="", help="its cluster for pg_ctlcluster, e.g. '15 wt10'")
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=20.0, help="messages per second per platform")
    parser.add_argument("--down", type=float, default=30.0, help="db-down: seconds the database is stopped")
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--outage", type=float, default=4.4)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    logging.basicConfig(level=logging.ERROR)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        args.database = args.database or f"sqlite:///{tmp}/griddesk.db"
        if args.scenario == "crash-wechat" and args.messages == 200:
            args.messages = 100
        asyncio.run(SCENARIOS[args.scenario](args, Path(tmp)))


if __name__ == "__main__":
    main()
