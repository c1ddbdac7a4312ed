"""Wiring between the platforms, the core and storage.

``Runtime`` is the ``InboundSink`` every platform feeds. Each message is handled
in one transaction that also stores the replies in the outbox; the replies are
then delivered. A reply that cannot be delivered stays in the outbox and is
retried by ``flush_outbox`` — nothing the bot had to say is lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine

from bot.platform import Platform
from handlers.desk import Desk
from handlers.messages import ButtonPress, Inbound
from storage import outbox
from storage.database import session_scope
from storage.repository import SqlTicketStore
from storage.tables import ChatAlias

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


class Runtime:
    def __init__(
        self,
        desk: Desk,
        engine: Engine,
        platforms: Iterable[Platform],
        clock: Clock,
    ) -> None:
        self.desk = desk
        self.engine = engine
        self.platforms = {p.name: p for p in platforms}
        self.clock = clock
        self._chat_aliases: dict[tuple[str, str], str] = {}
        self._flusher: asyncio.Task[None] | None = None

    # --- InboundSink ---------------------------------------------------------
    async def on_message(self, message: Inbound) -> None:
        alias = self._chat_aliases.get((message.platform, message.chat_id))
        if alias is not None:
            message = replace(message, chat_id=alias)
        now = self.clock()
        try:
            with session_scope(self.engine) as session:
                replies = self.desk.handle_message(SqlTicketStore(session), message, now)
                rows = outbox.enqueue(session, replies, now)
        except Exception:
            log.exception("could not handle message %s/%s/%s", message.platform,
                          message.chat_id, message.message_id)
            return
        await self.deliver(rows)

    async def on_button(self, press: ButtonPress) -> str | None:
        now = self.clock()
        with session_scope(self.engine) as session:
            replies, notice = self.desk.handle_button(SqlTicketStore(session), press, now)
            rows = outbox.enqueue(session, replies, now)
        await self.deliver(rows)
        return notice

    def on_chat_migrated(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        """A Telegram group became a supergroup: keep treating it as the configured chat,
        also after a restart."""
        configured = self._chat_aliases.get((platform, old_chat_id), old_chat_id)
        log.info("chat %s/%s migrated to %s", platform, old_chat_id, new_chat_id)
        self._chat_aliases[(platform, new_chat_id)] = configured
        with session_scope(self.engine) as session:
            session.merge(ChatAlias(platform=platform, chat_id=new_chat_id,
                                    configured_chat_id=configured))

    # --- delivery ------------------------------------------------------------
    async def deliver(self, rows: list[outbox.OutboxRow]) -> None:
        """Send rows in order, then record in one transaction what went and what failed."""
        sent: list[tuple[outbox.OutboxRow, str]] = []
        failed: list[tuple[outbox.OutboxRow, str]] = []
        for row in rows:
            platform = self.platforms.get(row.platform)
            if platform is None:
                continue
            try:
                sent.append((row, await platform.send(outbox.to_outbound(row))))
            except Exception as exc:  # any failure: keep it and retry later
                log.warning("send to %s/%s failed (%s); will retry", row.platform, row.chat_id, exc)
                failed.append((row, repr(exc)))
        if not (sent or failed):
            return
        now = self.clock()
        with session_scope(self.engine) as session:
            outbox.mark_sent(session, sent, now)
            for row, error in failed:
                outbox.mark_failed(session, row, error, now)

    async def flush_outbox(self, limit: int = 100) -> int:
        """Send what is due and was not delivered (failed, or written by a dead process)."""
        now = self.clock()
        with session_scope(self.engine) as session:
            rows = outbox.claim_due(session, self.platforms, now, limit)
        await self.deliver(rows)
        return len(rows)

    # --- life cycle ------------------------------------------------------------
    async def start(self, flush_every: float = 5.0) -> None:
        with session_scope(self.engine) as session:
            for alias in session.execute(select(ChatAlias)).scalars():
                self._chat_aliases[(alias.platform, alias.chat_id)] = alias.configured_chat_id
        for platform in self.platforms.values():
            await platform.start(self)
        await self.flush_outbox()
        if flush_every > 0:
            self._flusher = asyncio.create_task(self._flush_forever(flush_every))

    async def _flush_forever(self, every: float) -> None:
        while True:
            await asyncio.sleep(every)
            try:
                await self.flush_outbox()
            except Exception:
                log.exception("outbox flush failed")

    async def stop(self) -> None:
        if self._flusher is not None:
            self._flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._flusher
        for platform in self.platforms.values():
            await platform.stop()
