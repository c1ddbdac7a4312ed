"""The storage port the core talks to; ``storage/`` implements it, tests fake it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from handlers.categories import Category
from handlers.messages import Inbound
from handlers.tickets import Reporter, Ticket, TicketEvent

if TYPE_CHECKING:
    from handlers.digest_build import DigestFacts, DigestScope
    from handlers.timers import Due


class TicketStore(Protocol):
    def record_inbound(self, message: Inbound) -> bool:
        """Store a message once; False if (platform, chat, message id) was seen before."""

    def add_ticket(self, ticket: Ticket) -> Ticket:
        """Persist a new ticket, giving it an id and its community's next short code."""

    def save_ticket(self, ticket: Ticket) -> None: ...

    def append_event(self, event: TicketEvent) -> None: ...

    def get_ticket(self, ticket_id: int) -> Ticket | None: ...

    def find_ticket(self, community: str, code: int) -> Ticket | None: ...

    def find_open_similar(
        self, community: str, building: str, category: Category, since: datetime
    ) -> Ticket | None: ...

    def latest_ticket_in_chat(self, platform: str, chat_id: str, since: datetime) -> Ticket | None: ...

    def latest_ticket_reported_by(
        self, platform: str, user_id: str, chat_id: str, since: datetime
    ) -> Ticket | None: ...

    def add_reporter(self, ticket_id: int, reporter: Reporter) -> bool:
        """Add a (co-)reporter; False if they already reported this ticket."""

    def reporters(self, ticket_id: int) -> list[Reporter]: ...

    def link_message(self, platform: str, chat_id: str, message_id: str, ticket_id: int) -> None:
        """Remember that a message (a notification, a receipt) is about a ticket."""

    def ticket_for_message(self, platform: str, chat_id: str, message_id: str) -> int | None: ...

    def latest_awaiting_ack(self, staff_id: str) -> Ticket | None: ...

    def awaiting_rating(self, platform: str, user_id: str) -> Ticket | None:
        """The latest resolved, unrated ticket this person reported or co-reported."""

    def events(self, ticket_id: int) -> list[TicketEvent]: ...

    def digest_facts(
        self, scope: DigestScope, start: datetime, end: datetime, now: datetime
    ) -> DigestFacts:
        """What the leaders' digest for ``scope`` over [start, end) is made of."""

    def replace_due(self, ticket_id: int, plan: list[Due]) -> None:
        """Make the ticket's pending timers exactly ``plan``; timers already done stay done."""
