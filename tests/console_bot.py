"""The console bot on a real database, with a clock the test moves."""

from __future__ import annotations

import asyncio
from datetime import datetime

from bot.console import ConsolePlatform
from bot.runtime import Runtime
from handlers.desk import Desk
from handlers.tickets import Ticket
from schedules.sweep import sweep
from storage.database import session_scope
from storage.repository import SqlTicketStore
from tests.factories import MONDAY_9AM


async def no_wait(seconds: float) -> None:
    """The runtime's retry backoff in tests: time is a parameter, nobody waits."""


class ConsoleBot:
    def __init__(self, desk: Desk, engine, now: datetime = MONDAY_9AM) -> None:  # type: ignore[no-untyped-def]
        self.now = now
        self.console = ConsolePlatform()
        self.runtime = Runtime(desk, engine, [self.console], lambda: self.now, sleep=no_wait)
        self.engine = engine
        asyncio.run(self.runtime.start(flush_every=0))

    def say(self, chat: str, who: str, text: str, private: bool = False,
            at: datetime | None = None) -> list[tuple[str, str]]:
        """Someone posts (at ``at`` if given); returns what the bot said in answer."""
        if at is not None:
            self.now = at
        before = len(self.console.transcript) + 1
        asyncio.run(self.console.post(chat, who, text, self.now, private=private))
        return [(s.chat_id, s.text) for s in self.console.transcript[before:]]

    def at(self, when: datetime) -> list[tuple[str, str]]:
        """Move the clock and run the scheduler's tick; returns what the bot said."""
        before = len(self.console.transcript)
        self.now = when
        rows = sweep(self.engine, self.runtime.desk, when)
        asyncio.run(self.runtime.deliver(rows))
        asyncio.run(self.runtime.flush_outbox())
        return [(s.chat_id, s.text) for s in self.console.transcript[before:]]

    def ticket(self, code: int = 1, community: str = "JL") -> Ticket | None:
        with session_scope(self.engine) as session:
            return SqlTicketStore(session).find_ticket(community, code)
