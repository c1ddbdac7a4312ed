"""The storage port the core talks to; ``storage/`` implements it, tests fake it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from handlers.messages import Inbound
from handlers.tickets import Reporter, Ticket, TicketEvent

if TYPE_CHECKING:
    from handlers.cards import Card
    from handlers.corrections import LabelledExample
    from handlers.digest_build import DigestFacts, DigestScope
    from handlers.staff_talk import PendingQuestion
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

    def find_ticket_by_code(self, code: int) -> Ticket | None:
        """Codes are unique across the deployment."""

    def open_tickets_in_building(self, community: str, building: str, since: datetime) -> list[Ticket]:
        """Open tickets of a building created since then, newest first (duplicate check)."""

    def open_tickets_of(self, staff_id: str) -> list[Ticket]:
        """Open tickets the person holds, newest first."""

    def inbound(self, platform: str, chat_id: str, message_id: str) -> Inbound | None:
        """A stored message, to open a ticket from it (立案)."""

    def add_card(self, card: Card) -> Card: ...

    def get_card(self, card_id: int) -> Card | None: ...

    def save_card(self, card: Card) -> None: ...

    def card_for_message(self, platform: str, chat_id: str, message_id: str) -> Card | None:
        """The card about a resident's message, or the card a notification carried."""

    def pending_cards_of(self, staff_id: str) -> list[Card]: ...

    def add_labelled_example(self, example: LabelledExample) -> None: ...

    def set_pending(self, question: PendingQuestion) -> None:
        """Remember what the bot asked a staff member (one question per person)."""

    def take_pending(self, staff_id: str) -> PendingQuestion | None:
        """The question asked, forgotten as it is taken."""

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

    def awaiting_rating(self, platform: str, user_id: str) -> Ticket | None:
        """The latest resolved, unrated ticket this person reported or co-reported."""

    def events(self, ticket_id: int) -> list[TicketEvent]: ...

    def digest_facts(
        self, scope: DigestScope, start: datetime, end: datetime, now: datetime
    ) -> DigestFacts:
        """What the leaders' digest for ``scope`` over [start, end) is made of."""

    def replace_due(self, ticket_id: int, plan: list[Due]) -> None:
        """Make the ticket's pending timers exactly ``plan``; timers already done stay done."""
