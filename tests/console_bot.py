"""The console bot on a real database, with a clock the test moves."""

from __future__ import annotations

import asyncio
from datetime import datetime

from bot.console import ConsolePlatform, Said
from bot.runtime import Runtime
from handlers.desk import Desk
from handlers.messages import MessageKind
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
            at: datetime | None = None, reply_to: str | None = None,
            kind: MessageKind = MessageKind.TEXT) -> list[tuple[str, str]]:
        """Someone posts (at ``at`` if given); returns what the bot said in answer."""
        if at is not None:
            self.now = at
        before = len(self.console.transcript) + 1
        asyncio.run(self.console.post(chat, who, text, self.now, private=private, reply_to=reply_to, kind=kind))
        return [(s.chat_id, s.text) for s in self.console.transcript[before:]]

    def tell(self, who: str, text: str, reply_to: str | None = None) -> list[tuple[str, str]]:
        """A private message to the bot (on the console a person's chat id is their name)."""
        return self.say(who, who, text, private=True, reply_to=reply_to)

    def press(self, who: str, said: Said, label: str) -> str | None:
        """Press the button called ``label`` under a message the bot sent."""
        assert label in said.buttons, f"no button {label} under {said.text!r}"
        index = said.buttons.index(label)
        action = said.actions[index]
        return asyncio.run(self.console.press(said.chat_id, who, said.message_id, action, self.now))

    def last_from_bot(self, chat: str, containing: str = "") -> Said:
        for said in reversed(self.console.transcript):
            if said.chat_id == chat and said.speaker.startswith("🤖") and containing in said.text:
                return said
        raise AssertionError(f"the bot said nothing containing {containing!r} in {chat}")

    def last_message_of(self, who: str) -> Said:
        return next(s for s in reversed(self.console.transcript) if s.speaker == who)

    def at(self, when: datetime) -> list[tuple[str, str]]:
        """Move the clock and run the scheduler's tick; returns what the bot said."""
        before = len(self.console.transcript)
        self.now = when
        rows = sweep(self.engine, self.runtime.desk, when)
        asyncio.run(self.runtime.deliver(rows))
        asyncio.run(self.runtime.flush_outbox())
        return [(s.chat_id, s.text) for s in self.console.transcript[before:]]

    def ticket(self, code: int = 1, community: str | None = None) -> Ticket | None:
        with session_scope(self.engine) as session:
            store = SqlTicketStore(session)
            return store.find_ticket(community, code) if community else store.find_ticket_by_code(code)

    def tickets(self) -> list[Ticket]:
        found = []
        code = 1
        while (ticket := self.ticket(code)) is not None:
            found.append(ticket)
            code += 1
        return found
