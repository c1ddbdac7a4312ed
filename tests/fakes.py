"""In-memory fakes of our own ports, for fast unit tests of the core."""

from __future__ import annotations

import copy
from datetime import datetime

from handlers.cards import Card, CardStatus
from handlers.corrections import LabelledExample
from handlers.messages import Inbound
from handlers.staff_talk import PendingQuestion
from handlers.tickets import OPEN_STATUSES, Reporter, Ticket, TicketEvent


class InMemoryTicketStore:
    """Implements handlers.ports.TicketStore with dicts; tickets are copied in and out
    so that, as with a database, only ``save_ticket`` changes what is stored."""

    def __init__(self) -> None:
        self.inbound_messages: dict[tuple[str, str, str], Inbound] = {}
        self.tickets: dict[int, Ticket] = {}
        self.event_log: list[TicketEvent] = []
        self._reporters: dict[int, list[Reporter]] = {}
        self.links: dict[tuple[str, str, str], int] = {}
        self._counters: dict[str, int] = {}
        self.due: dict[tuple[int, str, datetime], bool] = {}
        """(ticket, kind, at) → done?"""
        self.cards: dict[int, Card] = {}
        self.card_links: dict[tuple[str, str, str], int] = {}
        self.examples: list[LabelledExample] = []
        self.pending: dict[str, PendingQuestion] = {}

    def record_inbound(self, message: Inbound) -> bool:
        key = (message.platform, message.chat_id, message.message_id)
        if key in self.inbound_messages:
            return False
        self.inbound_messages[key] = message
        return True

    def add_ticket(self, ticket: Ticket) -> Ticket:
        ticket.id = len(self.tickets) + 1
        ticket.code = ticket.id
        self.tickets[ticket.id] = copy.deepcopy(ticket)
        return ticket

    def save_ticket(self, ticket: Ticket) -> None:
        assert ticket.id in self.tickets
        self.tickets[ticket.id] = copy.deepcopy(ticket)

    def append_event(self, event: TicketEvent) -> None:
        self.event_log.append(event)

    def get_ticket(self, ticket_id: int) -> Ticket | None:
        t = self.tickets.get(ticket_id)
        return copy.deepcopy(t) if t else None

    def _latest(self, predicate) -> Ticket | None:  # type: ignore[no-untyped-def]
        found = [t for t in self.tickets.values() if predicate(t)]
        return copy.deepcopy(max(found, key=lambda t: t.id or 0)) if found else None

    def find_ticket(self, community: str, code: int) -> Ticket | None:
        return self._latest(lambda t: t.community == community and t.code == code)

    def find_ticket_by_code(self, code: int) -> Ticket | None:
        return self._latest(lambda t: t.code == code)

    def _all(self, predicate) -> list[Ticket]:  # type: ignore[no-untyped-def]
        found = [copy.deepcopy(t) for t in self.tickets.values() if predicate(t)]
        return sorted(found, key=lambda t: t.id or 0, reverse=True)

    def open_tickets_in_building(self, community: str, building: str, since: datetime) -> list[Ticket]:
        return self._all(lambda t: t.community == community and t.building == building
                         and t.status in OPEN_STATUSES and t.created_at >= since)

    def open_tickets_of(self, staff_id: str) -> list[Ticket]:
        return self._all(lambda t: t.assignee == staff_id and t.status in OPEN_STATUSES)

    def inbound(self, platform: str, chat_id: str, message_id: str) -> Inbound | None:
        return self.inbound_messages.get((platform, chat_id, message_id))

    def add_card(self, card: Card) -> Card:
        card.id = len(self.cards) + 1
        self.cards[card.id] = copy.deepcopy(card)
        self.card_links[(card.platform, card.chat_id, card.message_id)] = card.id
        return card

    def get_card(self, card_id: int) -> Card | None:
        card = self.cards.get(card_id)
        return copy.deepcopy(card) if card else None

    def save_card(self, card: Card) -> None:
        assert card.id in self.cards
        self.cards[card.id] = copy.deepcopy(card)

    def card_for_message(self, platform: str, chat_id: str, message_id: str) -> Card | None:
        card_id = self.card_links.get((platform, chat_id, message_id))
        return self.get_card(card_id) if card_id else None

    def link_card(self, platform: str, chat_id: str, message_id: str, card_id: int) -> None:
        self.card_links.setdefault((platform, chat_id, message_id), card_id)

    def pending_cards_of(self, staff_id: str) -> list[Card]:
        return [copy.deepcopy(c) for c in self.cards.values()
                if c.assignee == staff_id and c.status is CardStatus.PENDING]

    def add_labelled_example(self, example: LabelledExample) -> None:
        self.examples.append(example)

    def set_pending(self, question: PendingQuestion) -> None:
        self.pending[question.staff_id] = question

    def take_pending(self, staff_id: str) -> PendingQuestion | None:
        return self.pending.pop(staff_id, None)

    def latest_ticket_in_chat(self, platform: str, chat_id: str, since: datetime) -> Ticket | None:
        return self._latest(
            lambda t: t.platform == platform and t.chat_id == chat_id and t.created_at >= since
        )

    def latest_ticket_reported_by(
        self, platform: str, user_id: str, chat_id: str, since: datetime
    ) -> Ticket | None:
        return self._latest(
            lambda t: t.platform == platform
            and t.chat_id == chat_id
            and t.reporter.user_id == user_id
            and t.created_at >= since
        )

    def add_reporter(self, ticket_id: int, reporter: Reporter) -> bool:
        people = self._reporters.setdefault(ticket_id, [])
        if any(r.platform == reporter.platform and r.user_id == reporter.user_id for r in people):
            return False
        people.append(reporter)
        return True

    def reporters(self, ticket_id: int) -> list[Reporter]:
        return list(self._reporters.get(ticket_id, []))

    def link_message(self, platform: str, chat_id: str, message_id: str, ticket_id: int) -> None:
        self.links.setdefault((platform, chat_id, message_id), ticket_id)

    def ticket_for_message(self, platform: str, chat_id: str, message_id: str) -> int | None:
        return self.links.get((platform, chat_id, message_id))

    def awaiting_rating(self, platform: str, user_id: str) -> Ticket | None:
        return self._latest(
            lambda t: t.awaiting_rating
            and any(r.platform == platform and r.user_id == user_id
                    for r in self._reporters.get(t.id or 0, []))
        )

    def events(self, ticket_id: int) -> list[TicketEvent]:
        return [e for e in self.event_log if e.ticket_id == ticket_id]

    def replace_due(self, ticket_id: int, plan: list) -> None:  # type: ignore[type-arg]
        for key, done in list(self.due.items()):
            if key[0] == ticket_id and not done:
                del self.due[key]
        for item in plan:
            self.due.setdefault((ticket_id, item.kind.value, item.at), False)

    def pending_due(self, now: datetime) -> list[tuple[int, str, datetime]]:
        return sorted((k for k, done in self.due.items() if not done and k[2] <= now), key=lambda k: k[2])

    def digest_facts(self, scope, start: datetime, end: datetime, now: datetime):  # type: ignore[no-untyped-def]
        from handlers.digest_build import DigestFacts, TicketFacts

        def in_scope(t: Ticket) -> bool:
            return (scope.communities is None or t.community in scope.communities) and (
                scope.grids is None or t.grid in scope.grids)

        active = [
            TicketFacts(t.id or 0, t.code or 0, t.community, t.grid, t.building, t.category.value,
                        t.status.value, t.assignee, t.escalation_level, t.rating, t.created_at,
                        t.acknowledged_at, t.resolved_at, t.rated_at, t.ack_due, t.resolve_due)
            for t in self.tickets.values() if in_scope(t)
        ]
        cards: dict[str, int] = {}
        for card in self.cards.values():
            cards[card.status.value] = cards.get(card.status.value, 0) + 1
        return DigestFacts(active=active, cards=cards)
