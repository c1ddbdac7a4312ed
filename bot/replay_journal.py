"""What happened during a replay, as it happened: each line posted, each message the
platforms were given, and what caused each message (a line, a timer, a digest).

``ObservedDesk`` taps the production ``Desk``: every call goes through unchanged,
and what the core answered is written down with its cause. Joining a cause's
messages to the deliveries tells when each was really delivered (quiet hours hold
some), which the service checks need ("was the reminder delivered before the
deadline?").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.replay_input import ReplayLine
from handlers.desk import Desk
from handlers.directory import Staff
from handlers.messages import ButtonPress, Inbound, Outbound
from handlers.ports import TicketStore
from handlers.timers import Due, DueKind


@dataclass(frozen=True)
class Posted:
    """A person's line, where it was posted (a reply may have been moved to its chat)."""

    line: ReplayLine
    platform: str
    chat_id: str
    private: bool


@dataclass(frozen=True)
class Delivered:
    """A message a platform was given to send."""

    at: datetime
    platform: str
    chat_id: str
    private: bool
    text: str
    message_id: str
    ticket_id: int | None = None
    card_id: int | None = None
    asks_rating: bool = False
    image: bool = False


@dataclass
class Cause:
    """One call into the core and what it answered."""

    what: str
    """"line", "timer", "digest" or "button"."""
    at: datetime
    sent: list[Outbound]
    line: int | None = None
    ticket_id: int | None = None
    kind: str | None = None
    """The timer's ``DueKind`` value, or "daily" / "weekly" for a digest."""
    delivered: list[Delivered | None] = field(default_factory=list)
    """Per message in ``sent``: its delivery, or None if it never went out."""


@dataclass
class Journal:
    entries: list[Posted | Delivered] = field(default_factory=list)
    causes: list[Cause] = field(default_factory=list)
    errors: list[tuple[int | None, str]] = field(default_factory=list)
    notices: list[tuple[int, str]] = field(default_factory=list)
    current_line: int | None = None
    by_line: dict[int, Cause] = field(default_factory=dict)
    """What the core answered each line."""
    by_chat: dict[tuple[str, str], list[Delivered]] = field(default_factory=dict)
    """What the bot said in each chat, in order."""
    pending_from: datetime | None = None
    """The earliest timer or held message the core planned since the replay last
    looked in the database (so it need not look before every line)."""

    def delivered(self, d: Delivered) -> None:
        self.entries.append(d)
        self.by_chat.setdefault((d.platform, d.chat_id), []).append(d)

    def expect(self, moment: datetime | None) -> None:
        if moment is not None and (self.pending_from is None or moment < self.pending_from):
            self.pending_from = moment

    @property
    def deliveries(self) -> list[Delivered]:
        return [e for e in self.entries if isinstance(e, Delivered)]

    def join(self) -> None:
        """Find each cause's delivered messages: the delivery with the same address,
        text and ticket at the time it was due (at once, or when quiet hours ended)."""
        waiting: dict[tuple[Any, ...], list[Delivered]] = defaultdict(list)
        for d in self.deliveries:
            waiting[(d.platform, d.chat_id, d.text, d.ticket_id)].append(d)
        for cause in self.causes:
            cause.delivered = []
            for message in cause.sent:
                if message.edit_buttons_of is not None:
                    cause.delivered.append(None)
                    continue
                text = message.text + (" [图表]" if message.image_png else "")
                queue = waiting.get((message.platform, message.chat_id, text, message.ticket_id), [])
                expected = message.not_before if message.not_before and message.not_before > cause.at \
                    else cause.at
                found = next((d for d in queue if d.at == expected), None) or next(
                    (d for d in queue if d.at >= cause.at), None)
                if found is not None:
                    queue.remove(found)
                cause.delivered.append(found)


class _WatchedStore:
    """The store the core was handed, noting when the timers it plans fall due."""

    def __init__(self, store: TicketStore, journal: Journal) -> None:
        self._store = store
        self._journal = journal

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def replace_due(self, ticket_id: int, plan: list[Due]) -> None:
        self._journal.expect(min((d.at for d in plan), default=None))
        self._store.replace_due(ticket_id, plan)


class ObservedDesk:
    """The production desk, with each answer written to the journal."""

    def __init__(self, desk: Desk, journal: Journal) -> None:
        self._desk = desk
        self._journal = journal

    def __getattr__(self, name: str) -> Any:
        return getattr(self._desk, name)

    def _watch(self, store: TicketStore) -> TicketStore:
        return _WatchedStore(store, self._journal)

    def _note(self, cause: Cause) -> None:
        self._journal.causes.append(cause)
        if cause.what == "line" and cause.line is not None:
            self._journal.by_line[cause.line] = cause
        for message in cause.sent:
            self._journal.expect(message.not_before)

    def handle_message(self, store: TicketStore, message: Inbound, now: datetime) -> list[Outbound]:
        sent = self._desk.handle_message(self._watch(store), message, now)
        self._note(Cause("line", now, list(sent), line=self._journal.current_line))
        return sent

    def handle_button(self, store: TicketStore, press: ButtonPress, now: datetime
                      ) -> tuple[list[Outbound], str | None]:
        sent, notice = self._desk.handle_button(self._watch(store), press, now)
        self._note(Cause("button", now, list(sent), line=self._journal.current_line))
        return sent, notice

    def handle_due(self, store: TicketStore, ticket_id: int, kind: DueKind, now: datetime) -> list[Outbound]:
        sent = self._desk.handle_due(self._watch(store), ticket_id, kind, now)
        self._note(Cause("timer", now, list(sent), ticket_id=ticket_id, kind=kind.value))
        return sent

    def digest_for(self, store: TicketStore, leader: Staff, now: datetime, weekly: bool) -> list[Outbound]:
        sent = self._desk.digest_for(store, leader, now, weekly)
        self._journal.causes.append(Cause("digest", now, list(sent), kind="weekly" if weekly else "daily"))
        return sent
