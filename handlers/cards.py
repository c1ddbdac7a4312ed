"""Cards: what the bot is not sure about goes to a person, never a guess in the group.

A message the model is unsure of, a voice message, or a photo without text in a
building or grid group becomes a "可能的诉求" card, sent privately to the
worker who would get the ticket, with [立案] [忽略] (buttons on Telegram, reply
words on WeChat). 立案 opens a ticket from the resident's message as if the bot
had understood it; 忽略 closes the card. Both are labelled examples.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from handlers import texts
from handlers.categories import CATEGORY_LABELS, Category, Urgency
from handlers.corrections import Correction, LabelledExample, labels
from handlers.intake import community_for, route, submit_request
from handlers.messages import Button, Inbound, MessageKind
from handlers.parsing import Location, ParsedRequest, Reading
from handlers.tickets import Reporter, Ticket
from handlers.turn import Turn


class CardStatus(StrEnum):
    PENDING = "pending"
    FILED = "filed"
    IGNORED = "ignored"


@dataclass
class Card:
    platform: str
    chat_id: str
    message_id: str
    sender_id: str
    sender_name: str
    kind: str
    text: str
    reason: str
    community: str
    created_at: datetime
    grid: str | None = None
    assignee: str | None = None
    category: Category | None = None
    urgency: Urgency | None = None
    confidence: float = 0.0
    status: CardStatus = CardStatus.PENDING
    ticket_id: int | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    id: int | None = None

    def decide(self, status: CardStatus, by: str, now: datetime, ticket_id: int | None = None) -> None:
        assert self.status is CardStatus.PENDING, "a card is decided once"
        self.status, self.decided_by, self.decided_at, self.ticket_id = status, by, now, ticket_id


def card_buttons(card_id: int) -> tuple[Button, ...]:
    return (Button("立案", f"file:{card_id}"), Button("忽略", f"ignore:{card_id}"))


def offer_card(turn: Turn, message: Inbound, reading: Reading | None) -> Card | None:
    """Send an unsure message to the responsible worker; None where no one can take it."""
    if turn.chat is None:
        return None
    building = reading.location.building if reading else turn.chat.default_building
    community = community_for(turn, building)
    grid = turn.directory.grid_of(community, building) or turn.chat.grid
    worker = route(turn.directory, community, grid)
    if message.kind is MessageKind.VOICE:
        reason = texts.CARD_VOICE
    elif message.kind is MessageKind.IMAGE:
        reason = texts.CARD_PHOTO
    else:
        reason = texts.CARD_UNSURE
    card = Card(
        platform=turn.platform, chat_id=turn.chat_id, message_id=message.message_id,
        sender_id=message.sender_id, sender_name=message.sender_name, kind=message.kind.value,
        text=message.text if message.kind is MessageKind.TEXT else "", reason=reason,
        community=community, created_at=turn.now, grid=grid,
        assignee=worker.id if worker else None,
        category=reading.category if reading else None,
        urgency=reading.urgency if reading else None,
        confidence=reading.confidence if reading else 0.0,
    )
    turn.store.add_card(card)
    assert card.id is not None
    guess = CATEGORY_LABELS[card.category] if card.category and card.text else None
    text = texts.card_for_worker(card.id, turn.chat.name or turn.chat_id, card.sender_name, card.text, guess, reason)
    people = [worker] if worker else turn.directory.community_leaders(community)
    for person in people:
        turn.tell_staff(person, text, buttons=card_buttons(card.id), card_id=card.id,
                        urgency=Urgency.NORMAL)  # an unsure message waits for the morning
    return card


def file_card(turn: Turn, card: Card, correction: Correction, reading: Reading | None) -> Ticket:
    """立案: the resident's message becomes a ticket, reported by the resident."""
    assert turn.staff is not None
    chat = turn.directory.chat(card.platform, card.chat_id)
    # a photo or voice message has no words to place it: it is where its group is
    location = reading.location if reading else Location(building=chat.default_building if chat else None)
    category = correction.category or card.category or (reading.category if reading else None) or Category.OTHER
    urgency = correction.urgency or (reading.urgency if reading and reading.is_request else Urgency.NORMAL)
    parsed = ParsedRequest(category, urgency, location, reading.phone if reading else None,
                           reading.emergency_kind if reading and urgency is Urgency.EMERGENCY else None)
    resident = resident_turn(turn, card.platform, card.chat_id, card.sender_id, card.sender_name,
                             card.message_id)
    text = card.text or f"[{card.kind}]"
    reporter = Reporter(card.platform, card.sender_id, card.sender_name, card.chat_id)
    ticket = submit_request(resident, parsed, text, reporter, card.message_id)
    assert ticket.id is not None
    card.decide(CardStatus.FILED, turn.staff.id, turn.now, ticket.id)
    turn.store.save_card(card)
    if card.text:
        keep(turn, card.text, card.platform, card.chat_id, labels(True, category, urgency, location),
             "file", ticket.id)
    turn.staff_reply(texts.card_filed(ticket), ticket)
    return ticket


def ignore_card(turn: Turn, card: Card) -> None:
    assert turn.staff is not None
    card.decide(CardStatus.IGNORED, turn.staff.id, turn.now)
    turn.store.save_card(card)
    if card.text:
        keep(turn, card.text, card.platform, card.chat_id, labels(False), "ignore", None)
    turn.staff_reply(texts.card_ignored())


def resident_turn(turn: Turn, platform: str, chat_id: str, sender_id: str, sender_name: str,
                  message_id: str) -> Turn:
    """The same turn (store, outbox, clock) acting in the resident's chat for the resident."""
    return replace(turn, platform=platform, chat_id=chat_id, sender_id=sender_id, sender_name=sender_name,
                   chat=turn.directory.chat(platform, chat_id), staff=None, is_private=False,
                   message_id=message_id)


def keep(turn: Turn, text: str, platform: str, chat_id: str, labelled: dict[str, object], fix: str,
         ticket_id: int | None, corrected: list[str] | None = None) -> None:
    """Store a labelled example for the next training round."""
    assert turn.staff is not None
    turn.store.add_labelled_example(LabelledExample(
        text=text, platform=platform, chat_id=chat_id, labels=dict(labelled), fix=fix,
        staff_id=turn.staff.id, at=turn.now, ticket_id=ticket_id, corrected=corrected or [fix]))
