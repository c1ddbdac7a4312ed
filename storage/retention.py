"""Privacy by default: raw message texts and pictures are kept ``retention_days``.

What goes, for everything older than the cutoff: the text and sender name of stored
inbound messages; the text and picture of sent outbox messages (worker cards carry
phone numbers); the payload of replayed dead letters; the text and phone number of
tickets no longer open; the previous text kept in an "edited" audit event. Tickets'
categories, places, times and the rest of the audit log stay, so the figures do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, update
from sqlmodel import Session

from handlers.tickets import OPEN_STATUSES
from storage.tables import DeadLetter, InboundMessage, OutboxRow, TicketEventRow, TicketRow


@dataclass(frozen=True)
class Purged:
    inbound: int
    outbox: int
    dead_letters: int
    tickets: int
    events: int

    @property
    def total(self) -> int:
        return self.inbound + self.outbox + self.dead_letters + self.tickets + self.events


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def purge(session: Session, cutoff: datetime) -> Purged:
    inbound = session.execute(
        update(InboundMessage)
        .where(InboundMessage.sent_at < cutoff,  # type: ignore[operator]
               (InboundMessage.text != "") | (InboundMessage.sender_name != ""))
        .values(text="", sender_name="")
    )
    sent = session.execute(
        update(OutboxRow)
        .where(OutboxRow.sent_at < cutoff,  # type: ignore[operator]
               (OutboxRow.text != "") | OutboxRow.image_png.is_not(None))  # type: ignore[union-attr]
        .values(text="", image_png=None)
    )
    letters = session.execute(
        update(DeadLetter)
        .where(DeadLetter.replayed_at < cutoff, DeadLetter.payload != "")  # type: ignore[operator]
        .values(payload="")
    )
    tickets = session.execute(
        update(TicketRow)
        .where(TicketRow.created_at < cutoff,  # type: ignore[operator]
               TicketRow.status.not_in([s.value for s in OPEN_STATUSES]),  # type: ignore[attr-defined]
               (TicketRow.text != "") | TicketRow.phone.is_not(None))  # type: ignore[union-attr]
        .values(text="", phone=None)
    )
    events = session.execute(
        update(TicketEventRow)
        .where(and_(TicketEventRow.at < cutoff, TicketEventRow.action == "edited",  # type: ignore[operator]
                    TicketEventRow.note != ""))
        .values(note="")
    )
    return Purged(_count(inbound), _count(sent), _count(letters), _count(tickets), _count(events))
