"""`griddesk replay`: a chat history fed through the bot on a simulated clock.

Each line goes through the same runtime, core, models and storage as a live
message. Between lines the clock moves on, and whatever falls due runs in order
at its own moment: the scheduler's tick (reminders, overdue notices, the backup
taking over, escalations, return visits, rating reminders, messages held by quiet
hours) and the daily and Monday weekly digests. The replay platforms only record:
nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import create_engine

from bot.bootstrap import build_desk
from bot.platform import InboundSink
from bot.replay_input import PLATFORMS, History, ReplayLine
from bot.replay_journal import Delivered, Journal, ObservedDesk, Posted
from bot.runtime import Runtime
from bot.settings import Settings, parse_clock
from handlers.desk import Desk
from handlers.messages import Inbound, Outbound
from schedules.digest_job import send_digests
from schedules.scheduler import tick
from storage.database import make_engine, session_scope
from storage.replay_queries import next_pending_at
from storage.repository import SqlTicketStore

log = logging.getLogger(__name__)


NEVER = datetime.max.replace(tzinfo=UTC)


class SimulatedClock:
    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


class ReplayPlatform:
    """A platform whose chats live in the journal: what the bot sends is written down
    with the simulated time; lines are handed to the runtime as native messages."""

    def __init__(self, name: str, journal: Journal, clock: Callable[[], datetime],
                 ids: itertools.count[int]) -> None:
        self.name = name
        self.journal = journal
        self.clock = clock
        self._ids = ids
        self._sink: InboundSink | None = None

    async def start(self, sink: InboundSink) -> None:
        self._sink = sink

    async def stop(self) -> None:
        self._sink = None

    async def send(self, message: Outbound) -> str:
        if message.edit_buttons_of is not None:
            return message.edit_buttons_of
        message_id = f"b{next(self._ids)}"
        self.journal.delivered(Delivered(
            at=self.clock(), platform=self.name, chat_id=message.chat_id, private=message.private,
            text=message.text + (" [图表]" if message.image_png else ""), message_id=message_id,
            ticket_id=message.ticket_id, card_id=message.card_id,
            asks_rating=any(b.action.startswith("rate:") for b in message.buttons),
            image=message.image_png is not None))
        return message_id

    async def post(self, message: Inbound) -> None:
        assert self._sink is not None, "start the platform first"
        await self._sink.on_message(message)


class _ErrorsToJournal(logging.Handler):
    """A message or timer that failed is logged by the runtime; the report lists it."""

    def __init__(self, journal: Journal) -> None:
        super().__init__(logging.ERROR)
        self.journal = journal

    def emit(self, record: logging.LogRecord) -> None:
        self.journal.errors.append((self.journal.current_line, record.getMessage()))


@dataclass(frozen=True)
class ReplayRun:
    start: datetime
    end: datetime
    journal: Journal


def replay_desk(settings: Settings, charts: bool = False) -> Desk:
    """The production desk with the bundled models. Digest charts are off unless asked
    for: drawing one takes a tenth of a second, and nobody looks at them in a replay."""
    desk = build_desk(settings)
    if not charts:
        desk.chart = None
    return desk


class Replay:
    def __init__(self, settings: Settings, engine: Engine, desk: Desk, start: datetime) -> None:
        self.settings = settings
        self.engine = engine
        self.tz = ZoneInfo(settings.timezone)
        self.journal = Journal()
        self.clock = SimulatedClock(start.astimezone(self.tz))
        ids = itertools.count(1)
        self.platforms = {name: ReplayPlatform(name, self.journal, self.clock, ids) for name in PLATFORMS}
        self.runtime = Runtime(ObservedDesk(desk, self.journal), engine,  # type: ignore[arg-type]
                               list(self.platforms.values()), self.clock)
        self.digest_at = parse_clock(settings.digest_time)
        # the first digest is the one about the first day (no digest of a day before the history)
        first_day = start.astimezone(self.tz).date()
        self.next_digest = datetime.combine(first_day + timedelta(days=1), self.digest_at, self.tz)
        self._swept_at: datetime | None = None
        self._pending_from: datetime | None = None
        """No timer or held message is due before this (None: look in the database)."""
        self._posted: dict[int, Posted] = {}

    def local(self, moment: datetime) -> datetime:
        """The clock reads local time, as the live bot's does (texts print its hours)."""
        return moment.astimezone(self.tz)

    def _digest_after(self, moment: datetime) -> datetime:
        local = moment.astimezone(self.tz)
        candidate = datetime.combine(local.date(), self.digest_at, self.tz)
        return candidate if candidate > local else candidate + timedelta(days=1)

    async def run(self, history: History, until: datetime | None = None) -> ReplayRun:
        start = datetime.combine(self.clock.now.astimezone(self.tz).date(), time(0), self.tz)
        handler = _ErrorsToJournal(self.journal)
        logging.getLogger().addHandler(handler)
        try:
            await self.runtime.start(flush_every=0)
            for line in history.lines:
                await self.advance(line.at)
                self.clock.now = self.local(max(self.clock.now, line.at))
                self.journal.current_line = line.number
                await self.post(line)
                self._swept_at = None  # the line may have planned a timer that is already due
            self.journal.current_line = None
            end = max(until or self.clock.now, self.clock.now)
            await self.advance(end)
            self.clock.now = self.local(end)
            await self.runtime.stop()
        finally:
            logging.getLogger().removeHandler(handler)
        self.journal.join()
        return ReplayRun(start, self.clock.now, self.journal)

    def _planned(self) -> None:
        """Fold in what the core planned since the last look: nothing pending can then
        come before ``_pending_from``, and the database need not be asked until then."""
        planned, self.journal.pending_from = self.journal.pending_from, None
        if planned is not None and self._pending_from is not None:
            self._pending_from = min(self._pending_from, planned)

    async def advance(self, to: datetime) -> None:
        """Run, in order, every timer, held message and digest due up to ``to``."""
        while True:
            self._planned()
            if self._pending_from is not None and self._pending_from > to and self.next_digest > to:
                return
            stuck = self._swept_at == self.clock.now  # already swept now: what is left cannot run
            with self.engine.connect() as connection:
                due = next_pending_at(connection, self.platforms, self.clock.now if stuck else None)
            self._pending_from = due if due is not None else NEVER
            moment = min(m for m in (due, self.next_digest) if m is not None)
            if moment > to:
                return
            self.clock.now = self.local(max(self.clock.now, moment))
            if due is not None and due <= self.clock.now:
                self._swept_at = self.clock.now
                self._pending_from = None
                try:
                    await tick(self.runtime)
                except Exception:  # a timer that fails must not stop the replay
                    log.exception("the sweep at %s failed", self.clock.now)
            if self.next_digest <= self.clock.now:
                await self._digests()

    async def _digests(self) -> None:
        moment = self.next_digest
        self.next_digest = self._digest_after(moment)
        try:
            await send_digests(self.runtime, False)
            if moment.astimezone(self.tz).weekday() == 0:
                await send_digests(self.runtime, True)
        except Exception:
            log.exception("the digests at %s failed", moment)

    async def post(self, line: ReplayLine) -> None:
        platform, chat_id, private, reply_to = self._address(line)
        posted = Posted(line, platform, chat_id, private)
        self._posted[line.number] = posted
        self.journal.entries.append(posted)
        extras = {"room_topic": line.topic} if line.topic and chat_id == line.chat_id else {}
        await self.platforms[platform].post(Inbound(
            platform=platform, chat_id=chat_id, message_id=line.message_id, sender_id=line.sender_id,
            sender_name=line.sender_name, text=line.text, sent_at=line.at, is_private=private,
            kind=line.kind, reply_to_message_id=reply_to, extras=extras))

    def _address(self, line: ReplayLine) -> tuple[str, str, bool, str | None]:
        """Where the line is said and which message it answers. A reply to a line in
        another chat (a worker answering privately about a resident's message) answers
        what the bot last told this chat about that line's ticket or card, as a worker
        replies to the notification; with nothing to answer there, the reply is made in
        the other line's chat, quoting it, as a person would have to."""
        here = (line.platform, line.chat_id, line.private)
        if line.reply_to is None:
            return (*here, None)
        earlier = self._posted[line.reply_to]
        if (earlier.platform, earlier.chat_id) == (line.platform, line.chat_id):
            return (*here, earlier.line.message_id)
        about = self._notification_about(earlier, line)
        if about is not None:
            return (*here, about)
        if earlier.platform == line.platform and not earlier.private:
            self.journal.notices.append((line.number, "私聊里回复的群消息,机器人没有就此私聊过这个人,按在群里回复处理"))
            return earlier.platform, earlier.chat_id, False, earlier.line.message_id
        self.journal.notices.append((line.number, "回复的消息在另一个平台或私聊里,按不回复处理"))
        return (*here, None)

    def _notification_about(self, earlier: Posted, line: ReplayLine) -> str | None:
        ticket_id, card_id = self._about(earlier)
        for entry in reversed(self.journal.by_chat.get((line.platform, line.chat_id), [])):
            if (ticket_id is not None and entry.ticket_id == ticket_id) or (
                    card_id is not None and entry.card_id == card_id):
                return entry.message_id
        return None

    def _about(self, earlier: Posted) -> tuple[int | None, int | None]:
        """The ticket an earlier line opened or joined (its receipt says which), else
        what the database links it to (a card, or a ticket filed from it later)."""
        cause = self.journal.by_line.get(earlier.line.number)
        if cause is not None:
            for message in cause.sent:
                if message.ticket_id is not None and (message.platform, message.chat_id) == (
                        earlier.platform, earlier.chat_id):
                    return message.ticket_id, None
        with session_scope(self.engine) as session:
            store = SqlTicketStore(session)
            message_id = earlier.line.message_id
            ticket_id = store.ticket_for_message(earlier.platform, earlier.chat_id, message_id)
            card = store.card_for_message(earlier.platform, earlier.chat_id, message_id)
        return ticket_id, card.id if card is not None else None


def replay_engine(url: str) -> Engine:
    """The database a replay writes to. On PostgreSQL its commits do not wait for the
    disk (synchronous_commit=off): a crash could lose the last moments of a trial run,
    which one runs again, and waiting for the disk was most of the time.
    SQLite already runs with synchronous=NORMAL in WAL mode."""
    if url.startswith("postgresql"):  # and no ping before each transaction: connections live minutes
        return create_engine(url, connect_args={"options": "-c synchronous_commit=off"})
    return make_engine(url)


def replay_history(settings: Settings, engine: Engine, history: History, *,
                   until: datetime | None = None, charts: bool = False,
                   desk: Desk | None = None) -> ReplayRun:
    """Replay ``history`` into ``engine`` (which it leaves migrated and filled)."""
    first = history.lines[0].at if history.lines else datetime.now(ZoneInfo(settings.timezone))
    replay = Replay(settings, engine, desk or replay_desk(settings, charts), first)
    return asyncio.run(replay.run(history, until))
