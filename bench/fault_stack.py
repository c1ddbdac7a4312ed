"""The stage for bench/faults.py: `griddesk run` in its own process (as in production)
on the real parser and the bundled config, talking to the loopback Bot API (in this
process) and the official WeChat gateway with the mock puppet (Node); residents are
played from here. Every posted message is remembered with its time, every receipt is
matched to it as it arrives (Telegram replies name the message they answer), and at
the end the database says what was stored, once or twice.
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from telegram import User  # noqa: E402

from storage.database import make_engine, session_scope  # noqa: E402
from storage.tables import DeadLetter, InboundMessage, OutboxRow, TicketRow  # noqa: E402
from tests.bot_process import BotProcess, write_config  # noqa: E402
from tests.telegram.fixtures import BUILDING_3  # noqa: E402
from tests.telegram.server import TOKEN, FakeBotApi  # noqa: E402
from tests.wechat.gateway import BUILDING_3 as ROOM_3  # noqa: E402
from tests.wechat.gateway import WH_6, Gateway  # noqa: E402

GROUP = BUILDING_3.id
ROOMS = (ROOM_3, WH_6)
TEXTS = [
    "{b}号楼2单元楼道灯坏了好几天了", "{b}号楼下水道堵了 污水都冒出来了", "早上好各位邻居",
    "{b}栋电梯又停了 老人上不去楼", "谢谢网格员", "{b}号楼门口的垃圾好几天没人收了",
    "{b}号楼有人在楼道里给电动车充电", "{b}号楼暖气不热 家里太冷了", "收到", "{b}号楼水管漏水了",
]


REQUESTS = [t for t in TEXTS if "{b}" in t]


def text_for(i: int) -> str:
    """A resident's message: mostly requests (new, or the same problem again), some chatter."""
    return TEXTS[i % len(TEXTS)].format(b=1 + (i // len(TEXTS)) % 12)


def request_for(i: int) -> str:
    """A request: each gets a receipt (a new ticket, or "already being handled")."""
    return REQUESTS[i % len(REQUESTS)].format(b=1 + (i // len(REQUESTS)) % 12)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else float("nan")


def summary(latencies: list[float]) -> str:
    if not latencies:
        return "no round trips"
    return (f"{len(latencies)} round trips, p50 {statistics.median(latencies) * 1000:.0f} ms, "
            f"p99 {percentile(latencies, 0.99) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")


@dataclass
class Posted:
    platform: str
    chat: str
    message_id: str
    at: float
    answered_at: float | None = None


@dataclass
class Stage:
    database_url: str
    folder: Path
    platforms: tuple[str, ...] = ("telegram", "wechat")
    api: FakeBotApi = field(default_factory=FakeBotApi)
    gateway: Gateway | None = None
    bot: BotProcess | None = None
    posted: list[Posted] = field(default_factory=list)
    bots: list[BotProcess] = field(default_factory=list)
    _by_id: dict[tuple[str, str, str], Posted] = field(default_factory=dict)
    _seen_sent: int = 0
    _residents: dict[int, User] = field(default_factory=dict)
    _contacts: set[str] = field(default_factory=set)
    _watcher: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Stage:
        await self.api.start()
        if "wechat" in self.platforms:
            self.gateway = Gateway()
            await self.gateway.start()
        self._watcher = asyncio.create_task(self._watch())
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.bot is not None:
            await self.bot.stop()
        if self._watcher is not None:
            self._watcher.cancel()
        if self.gateway is not None:
            await self.gateway.close()
        await self.api.stop()

    # --- the bot ------------------------------------------------------------------
    def env(self) -> dict[str, str]:
        env = {"TELEGRAM_BOT_TOKEN": TOKEN} if "telegram" in self.platforms else {}
        if self.gateway is not None:
            env.update(WECHATY_PUPPET_SERVICE_TOKEN=self.gateway.token,
                       WECHATY_PUPPET_SERVICE_ENDPOINT=self.gateway.endpoint)
        return env

    async def start_bot(self, *args: str) -> float:
        """Start `griddesk run`; returns seconds until it said it runs."""
        config = write_config(self.folder, self.database_url,
                              telegram={"api_url": self.api.url, "poll_timeout": 10})
        self.bot = await BotProcess(config, self.env(), *args).start()
        self.bots.append(self.bot)
        await self.bot.wait_for_line("GridDesk ", timeout=60)
        return time.monotonic() - self.bot.started_at

    async def kill_bot(self) -> None:
        assert self.bot is not None
        self.bot.kill9()
        await self.bot.wait()
        self.bot = None

    async def stop_bot(self) -> None:
        assert self.bot is not None
        await self.bot.stop()
        self.bot = None

    # --- residents -------------------------------------------------------------------
    def resident(self, i: int) -> User:
        return self._residents.setdefault(i, User(8000 + i, f"居民{i}", is_bot=False))

    def post_telegram(self, i: int, text: str, user: User | None = None) -> Posted:
        message = self.api.post(BUILDING_3, user or self.resident(i % 200), text)
        posted = Posted("telegram", str(GROUP), str(message.message_id), time.monotonic())
        self.posted.append(posted)
        self._by_id[("telegram", posted.chat, posted.message_id)] = posted
        return posted

    async def contact(self, i: int) -> str:
        assert self.gateway is not None
        contact = f"wxid_soak_{i}"
        if contact not in self._contacts:
            await self.gateway.call("add_contact", contact=contact, name=f"微信居民{i}")
            self._contacts.add(contact)
        return contact

    async def say_wechat(self, i: int, text: str, room: str = ROOM_3) -> Posted:
        assert self.gateway is not None
        contact = await self.contact(i % 60)
        at = time.monotonic()
        message_id = await self.gateway.say(contact, text, room=room)
        posted = Posted("wechat", room, message_id, at)
        self.posted.append(posted)
        return posted

    async def _watch(self) -> None:
        """Match Telegram receipts to the messages they answer, as they arrive."""
        while True:
            sent = self.api.sent
            for s in sent[self._seen_sent:]:
                if s.reply_to is not None:
                    posted = self._by_id.get(("telegram", str(s.chat_id), str(s.reply_to)))
                    if posted is not None and posted.answered_at is None:
                        posted.answered_at = time.monotonic()
            self._seen_sent = len(sent)
            await asyncio.sleep(0.005)

    # --- the record --------------------------------------------------------------------
    def engine(self) -> Engine:
        return make_engine(self.database_url)

    def stored_ids(self, engine: Engine) -> set[tuple[str, str, str]]:
        with session_scope(engine) as session:
            rows = session.execute(select(InboundMessage.platform, InboundMessage.chat_id,
                                          InboundMessage.message_id)).all()
        return {(p, c, m) for p, c, m in rows}

    async def wait_stored(self, timeout: float) -> float:
        """Until every posted message is in the database; returns seconds waited."""
        engine = self.engine()
        start = time.monotonic()
        try:
            while True:
                with contextlib.suppress(Exception):
                    if not self.missing(engine):
                        return time.monotonic() - start
                if time.monotonic() - start > timeout:
                    return float("inf")
                await asyncio.sleep(0.5)
        finally:
            engine.dispose()

    def urgent_unsent(self, engine: Engine) -> int:
        """Emergency messages (receipts, alerts) written and not yet sent."""
        with session_scope(engine) as session:
            return int(session.execute(select(func.count()).select_from(OutboxRow).where(
                OutboxRow.sent_at.is_(None), OutboxRow.urgent.is_(True))).scalar_one())

    async def urgent_out(self, timeout: float = 60) -> float:
        """Seconds from the (re)start of the bot until no emergency message is unsent."""
        assert self.bots
        engine = self.engine()
        try:
            while self.urgent_unsent(engine):
                if time.monotonic() - self.bots[-1].started_at > timeout:
                    return float("inf")
                await asyncio.sleep(0.05)
        finally:
            engine.dispose()
        return time.monotonic() - self.bots[-1].started_at

    def missing(self, engine: Engine) -> list[Posted]:
        stored = self.stored_ids(engine)
        return [p for p in self.posted if (p.platform, p.chat, p.message_id) not in stored]

    def verdict(self) -> dict[str, int]:
        engine = self.engine()
        try:
            with session_scope(engine) as session:
                doubled = session.execute(
                    select(TicketRow.platform, TicketRow.chat_id, TicketRow.source_message_id)
                    .group_by(TicketRow.platform, TicketRow.chat_id, TicketRow.source_message_id)
                    .having(func.count() > 1)).all()
                tickets = session.execute(select(func.count()).select_from(TicketRow)).scalar_one()
                dead = session.execute(select(func.count()).select_from(DeadLetter)).scalar_one()
                unsent = session.execute(select(func.count()).select_from(OutboxRow).where(
                    OutboxRow.sent_at.is_(None), OutboxRow.deliver_after <= datetime.now(UTC))).scalar_one()
                held = session.execute(select(func.count()).select_from(OutboxRow).where(
                    OutboxRow.sent_at.is_(None), OutboxRow.deliver_after > datetime.now(UTC))).scalar_one()
            lost = len(self.missing(engine))
        finally:
            engine.dispose()
        replies: dict[tuple[int, int], int] = {}
        for s in self.api.sent:
            if s.reply_to is not None:
                replies[(s.chat_id, s.reply_to)] = replies.get((s.chat_id, s.reply_to), 0) + 1
        return {
            "posted": len(self.posted), "lost": lost, "duplicate tickets": len(doubled),
            "tickets": tickets, "dead letters": dead, "due and unsent": unsent,
            "held for quiet hours": held,
            "receipts sent twice (Telegram)": sum(n - 1 for n in replies.values()),
        }

    def latencies(self, platform: str = "telegram", since: float = 0.0, until: float = float("inf")) -> list[float]:
        return [p.answered_at - p.at for p in self.posted
                if p.platform == platform and p.answered_at is not None and since <= p.at < until]


def pg_ctlcluster(cluster: str, action: str) -> float:
    """``pg_ctlcluster <version> <name> <action>``; returns seconds it took."""
    start = time.monotonic()
    version, name = cluster.split()
    subprocess.run(["pg_ctlcluster", version, name, action], check=True)
    return time.monotonic() - start
