"""Wiring between the platforms, the core and storage.

``Runtime`` is the ``InboundSink`` every platform feeds. Each message is handled in
one unit of work that also writes the replies to the outbox; only once that has
committed does ``on_message`` return, and only then does a platform confirm the
message (Telegram moves its offset past it). A failure is retried here with backoff;
when the database is unreachable the message goes back to the platform unconfirmed
(``NotStored``); when it fails every time it is kept as a dead letter and the
community's duty worker is told.

Replies are then sent one at a time per process and each is recorded as sent right
after the platform took it, so a crash repeats at most the one send in flight.
Outbox rows are claimed by this process, which beats a heartbeat; a process that
stops beating, or is known dead on this host, loses its rows to the others at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import traceback
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy.engine import Engine

from bot import liveness
from bot.platform import NotStored, Platform
from handlers.categories import Urgency
from handlers.desk import Desk
from handlers.failures import FloodGuard, Verdict, not_handled
from handlers.messages import ButtonPress, Inbound
from storage import outbox
from storage.database import is_unavailable
from storage.dead_letters import decode as decode_dead_letter
from storage.tables import OutboxRow
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")

UNSERVED = "unserved"
THROTTLED = "throttled"


class Runtime:
    def __init__(
        self,
        desk: Desk,
        engine: Engine,
        platforms: Iterable[Platform],
        clock: Clock,
        *,
        sleep: Sleep = asyncio.sleep,
        attempts: int = 4,
        backoff: float = 0.25,
        flood_per_minute: int = 30,
    ) -> None:
        self.desk = desk
        self.engine = engine
        self.platforms = {p.name: p for p in platforms}
        self.clock = clock
        self.attempts = attempts
        """Tries per message before it is given back (outage) or kept as a dead letter."""
        self.backoff = backoff
        self._sleep = sleep
        self.process_id = uuid.uuid4().hex[:16]
        self.flood = FloodGuard(desk.directory, self._urgency_of, flood_per_minute)
        self._chat_aliases: dict[tuple[str, str], str] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self._send_lock = asyncio.Lock()
        self._in_flight: set[int] = set()
        self._unrecorded: dict[int, tuple[OutboxRow, str]] = {}
        """Rows a platform took whose "sent" could not be written yet (database down)."""

    def unit_of_work(self, now: datetime | None = None, *, durable: bool = True) -> UnitOfWork:
        return UnitOfWork(self.engine, now or self.clock(), owner=self.process_id,
                          platforms=list(self.platforms), durable=durable)

    # --- InboundSink ---------------------------------------------------------
    async def on_message(self, message: Inbound) -> None:
        alias = self._chat_aliases.get((message.platform, message.chat_id))
        if alias is not None:
            message = replace(message, chat_id=alias)
        verdict = self.flood.check(message, self.clock())
        rows = await self._retrying(message, lambda now: self._store_message(message, verdict, now))
        await self.deliver(rows)

    def _store_message(self, message: Inbound, verdict: Verdict, now: datetime) -> list[OutboxRow]:
        with self.unit_of_work(now) as uow:
            if not self._serves(message):
                uow.record_key_only(message, UNSERVED)
            elif verdict is Verdict.HANDLE:
                uow.say(self.desk.handle_message(uow.store, message, now))
            elif uow.record_held(message, THROTTLED) and verdict is Verdict.NOTICE:
                log.warning("%s/%s posts too fast; holding its messages", message.platform,
                            message.sender_id)
                uow.say([self.flood.notice(message)])
        return uow.ready

    def _serves(self, message: Inbound) -> bool:
        """Private chats and configured chats; from any other chat only the key is kept."""
        if message.is_private or message.from_bot:
            return True
        topic = message.extras.get("room_topic")
        chat = self.desk.directory.chat(message.platform, message.chat_id,
                                        topic if isinstance(topic, str) else None)
        return chat is not None

    def _urgency_of(self, message: Inbound) -> Urgency | None:
        topic = message.extras.get("room_topic")
        context = self.desk.parse_context(message.platform, message.chat_id,
                                          topic if isinstance(topic, str) else None)
        reading = self.desk.read(message.text, context)
        return reading.urgency if reading.is_request else None

    async def on_button(self, press: ButtonPress) -> str | None:
        notice: list[str | None] = [None]

        def work(now: datetime) -> list[OutboxRow]:
            with self.unit_of_work(now) as uow:
                replies, notice[0] = self.desk.handle_button(uow.store, press, now)
                uow.say(replies)
            return uow.ready

        rows = await self._retrying(press, work)
        await self.deliver(rows)
        return notice[0]

    def on_chat_migrated(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        """A Telegram group became a supergroup: keep treating it as the configured chat,
        also after a restart."""
        configured = self._chat_aliases.get((platform, old_chat_id), old_chat_id)
        log.info("chat %s/%s migrated to %s", platform, old_chat_id, new_chat_id)
        self._chat_aliases[(platform, new_chat_id)] = configured
        with self.unit_of_work() as uow:
            uow.alias_chat(platform, new_chat_id, configured)

    # --- failures ----------------------------------------------------------------
    async def _retrying(self, item: Inbound | ButtonPress,
                        work: Callable[[datetime], list[OutboxRow]]) -> list[OutboxRow]:
        """``work`` until it commits: retried with backoff; then either given back to
        the platform (database unreachable) or kept as a dead letter."""
        key = f"{item.platform}/{item.chat_id}/{item.message_id}"
        attempt = 0
        while True:
            attempt += 1
            try:
                return work(self.clock())
            except Exception as exc:
                if attempt < self.attempts:
                    delay = self.backoff * 2 ** (attempt - 1)
                    log.warning("could not handle %s (%s: %s); try %d of %d in %.2fs", key,
                                type(exc).__name__, _first_line(exc), attempt + 1, self.attempts, delay)
                    await self._sleep(delay)
                    continue
                if is_unavailable(exc):
                    log.error("could not store %s: the database is unavailable (%s); "
                              "the platform will offer it again", key, _first_line(exc))
                    raise NotStored(key) from exc
                log.error("could not handle %s after %d tries; kept as a dead letter", key,
                          attempt, exc_info=exc)
                try:
                    return self._dead_letter(item, exc, attempt)
                except Exception as again:
                    raise NotStored(key) from again

    def _dead_letter(self, item: Inbound | ButtonPress, exc: Exception, attempts: int) -> list[OutboxRow]:
        error = "".join(traceback.format_exception(exc)[-6:])
        with self.unit_of_work() as uow:
            uow.keep_dead_letter(item, error, attempts)
            uow.say(not_handled(uow.store, self.desk.directory, item, uow.now))
        return uow.ready

    async def replay_dead(self, ids: list[int] | None = None) -> tuple[int, int]:
        """Handle dead letters again (``griddesk replay-dead``): (handled, still failing)."""
        with self.unit_of_work() as uow:
            letters = uow.dead_letters(ids)
        handled = failing = 0
        for letter in letters:
            item = decode_dead_letter(letter.kind, letter.payload)
            now = self.clock()
            try:
                with self.unit_of_work(now) as uow:
                    if isinstance(item, ButtonPress):
                        uow.say(self.desk.handle_button(uow.store, item, now)[0])
                    else:
                        uow.say(self.desk.handle_message(uow.store, item, now))
                    uow.dead_letter_replayed(int(letter.id or 0))
            except Exception as exc:
                failing += 1
                log.error("dead letter %s still fails: %s", letter.id, _first_line(exc))
                with self.unit_of_work(now) as uow:
                    uow.dead_letter_failed_again(int(letter.id or 0),
                                                 "".join(traceback.format_exception(exc)[-6:]))
                continue
            handled += 1
            await self.deliver(uow.ready)
        return handled, failing

    def purge(self, retention_days: int) -> int:
        """Forget raw texts older than ``retention_days`` (the daily retention job)."""
        now = self.clock()
        with self.unit_of_work(now) as uow:
            purged = uow.purge_older_than(now - timedelta(days=retention_days))
        if purged.total:
            log.info("retention: purged texts older than %d days (%s)", retention_days, purged)
        return purged.total

    # --- delivery ------------------------------------------------------------
    async def deliver(self, rows: list[OutboxRow]) -> None:
        """Send rows in order, one at a time in this process, each recorded as sent (or
        failed) as soon as the platform answered."""
        self._in_flight.update(r.id for r in rows if r.id is not None)
        try:
            for row in rows:
                platform = self.platforms.get(row.platform)
                if platform is None:
                    continue
                async with self._send_lock:
                    if not self._record_sends():
                        return  # the database is away: send no more we could not record
                    try:
                        message_id = await platform.send(outbox.to_outbound(row))
                    except Exception as exc:  # any failure: keep it and retry later
                        log.warning("send to %s/%s failed (%s); will retry", row.platform,
                                    row.chat_id, exc)
                        self._record_failure(row, repr(exc))
                        continue
                    assert row.id is not None
                    self._unrecorded[row.id] = (row, message_id)
                    self._record_sends()
        finally:
            self._in_flight.difference_update(r.id for r in rows if r.id is not None)

    def _record_sends(self) -> bool:
        if not self._unrecorded:
            return True
        try:
            with self.unit_of_work(durable=False) as uow:
                uow.record_sent(list(self._unrecorded.values()))
        except Exception as exc:
            log.warning("could not record %d sent messages (%s); will try again",
                        len(self._unrecorded), _first_line(exc))
            return False
        self._unrecorded.clear()
        return True

    def _record_failure(self, row: OutboxRow, error: str) -> None:
        try:
            with self.unit_of_work(durable=False) as uow:
                uow.record_failed(row, error)
        except Exception as exc:  # still ours: the flush tries it again
            log.warning("could not record a failed send (%s)", _first_line(exc))

    async def flush_outbox(self, limit: int = 100) -> int:
        """Send what is due and was not delivered (failed, held, or held by a dead process)."""
        self._record_sends()
        with self.unit_of_work(durable=False) as uow:
            rows = uow.claim_outbox(limit)
        busy = self._in_flight | set(self._unrecorded)
        rows = [r for r in rows if r.id not in busy]
        await self.deliver(rows)
        return len(rows)

    # --- the inbound journal (InboundJournal, for WeChat) ------------------------
    def journal_update(self, platform: str, noted: list[str], forgotten: list[str]) -> None:
        with self.unit_of_work(durable=bool(noted)) as uow:
            uow.note_journal(platform, noted)
            uow.forget_journal(platform, forgotten)

    def journal_pending(self, platform: str) -> list[str]:
        with self.unit_of_work() as uow:
            return uow.journal_pending(platform)

    # --- life cycle ------------------------------------------------------------
    async def start(self, flush_every: float = 1.0, heartbeat_every: float = 1.0) -> None:
        with self.unit_of_work() as uow:
            for alias in uow.chat_aliases():
                self._chat_aliases[(alias.platform, alias.chat_id)] = alias.configured_chat_id
            self._take_over_from_the_dead(uow)
            uow.register_process(liveness.host(), os.getpid(), liveness.incarnation())
            if uow.expedite_urgent():
                log.warning("emergency messages were waiting in the outbox; sending them first")
        if heartbeat_every > 0:
            self._tasks.append(asyncio.create_task(self._beat_forever(heartbeat_every), name="heartbeat"))
        for platform in self.platforms.values():
            await platform.start(self)
        await self.flush_outbox()
        if flush_every > 0:
            self._tasks.append(asyncio.create_task(self._flush_forever(flush_every), name="outbox"))

    def _take_over_from_the_dead(self, uow: UnitOfWork) -> None:
        dead = [p for p in uow.processes_on(liveness.host())
                if p.id != self.process_id and liveness.gone(p.pid, p.incarnation)]
        if dead:
            log.warning("taking over from %d bot process(es) that died on this host (pid %s)",
                        len(dead), ", ".join(str(p.pid) for p in dead))
            uow.retire_processes([p.id for p in dead])

    def beat(self) -> None:
        """One heartbeat; registers again if someone took this process for dead."""
        with self.unit_of_work(durable=False) as uow:
            if not uow.heartbeat():
                log.warning("this process was taken for dead; registering again")
                uow.register_process(liveness.host(), os.getpid(), liveness.incarnation())

    async def _beat_forever(self, every: float) -> None:
        failing = False
        while True:
            await asyncio.sleep(every)
            try:
                self.beat()
            except Exception as exc:
                if not failing:
                    log.warning("heartbeat failed (%s)", _first_line(exc))
                failing = True
            else:
                failing = False

    async def _flush_forever(self, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            try:
                await self.flush_outbox()
            except Exception as exc:
                log.warning("outbox flush failed (%s)", _first_line(exc))

    async def stop(self) -> None:
        for platform in self.platforms.values():
            await platform.stop()
        async with self._send_lock:  # let the send in hand finish and be recorded
            for task in self._tasks:
                task.cancel()
            for task in self._tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._tasks.clear()
        self._record_sends()
        with contextlib.suppress(Exception), self.unit_of_work() as uow:
            uow.stop_process()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
