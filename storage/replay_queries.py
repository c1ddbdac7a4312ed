"""Queries for `griddesk replay`: when the next thing falls due, and what a replayed
history left in the database (read once, at the end, for the report)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from handlers.cards import Card
from handlers.tickets import Status, Ticket, TicketEvent
from storage.repository import _to_card, to_ticket
from storage.tables import (
    CardRow,
    DueItemRow,
    InboundMessage,
    LabelledExampleRow,
    MessageLink,
    OutboxRow,
    TicketEventRow,
    TicketRow,
)


def is_empty(session: Session) -> bool:
    """No ticket and no message yet: a replay must not mix with real data."""
    for table in (TicketRow, InboundMessage):
        if session.execute(select(func.count()).select_from(table)).scalar_one():
            return False
    return True


_DUE = DueItemRow.__table__  # type: ignore[attr-defined]
_OUT = OutboxRow.__table__  # type: ignore[attr-defined]
_AFTER = bindparam("after", type_=_DUE.c.due_at.type)
_NEXT_PENDING = {
    bounded: select(
        select(func.min(_DUE.c.due_at)).where(
            _DUE.c.done_at.is_(None), *([_DUE.c.due_at > _AFTER] if bounded else [])).scalar_subquery(),
        select(func.min(_OUT.c.deliver_after)).where(
            _OUT.c.sent_at.is_(None), _OUT.c.platform.in_(bindparam("platforms", expanding=True)),
            *([_OUT.c.deliver_after > _AFTER] if bounded else [])).scalar_subquery(),
    )
    for bounded in (False, True)
}


def next_pending_at(connection: Connection, platforms: Iterable[str], after: datetime | None = None
                    ) -> datetime | None:
    """The earliest pending timer or held message (quiet hours), later than ``after``
    if given. One statement: the replay asks before every line."""
    values: dict[str, Any] = {"platforms": list(platforms)}
    if after is not None:
        values["after"] = after
    row = connection.execute(_NEXT_PENDING[after is not None], values).one()
    moments = [_aware(m) for m in row if m is not None]
    return min(moments) if moments else None


@dataclass
class ReplayFacts:
    tickets: list[Ticket] = field(default_factory=list)
    events: dict[int, list[TicketEvent]] = field(default_factory=dict)
    """Each ticket's audit events, in order."""
    cards: list[Card] = field(default_factory=list)
    links: dict[tuple[str, str, str], int] = field(default_factory=dict)
    """(platform, chat, message id) → ticket, for every message about a ticket."""
    timers: dict[int, dict[str, datetime]] = field(default_factory=dict)
    """Per ticket, when each kind of timer was last planned for (done or not)."""
    labelled: dict[str, int] = field(default_factory=dict)
    """Corrections kept as training examples, by fix."""
    messages_stored: int = 0
    held_at_end: int = 0
    """Messages still held (quiet hours) when the replay ended."""


def _aware(value: datetime) -> datetime:
    """An aggregate skips the column type: SQLite gives back a naive UTC time."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def replay_facts(session: Session) -> ReplayFacts:
    facts = ReplayFacts()
    rows = session.execute(select(TicketRow).order_by(TicketRow.id)).scalars()  # type: ignore[arg-type]
    facts.tickets = [to_ticket(r) for r in rows]
    for e in session.execute(select(TicketEventRow).order_by(TicketEventRow.id)).scalars():  # type: ignore[arg-type]
        facts.events.setdefault(e.ticket_id, []).append(TicketEvent(
            ticket_id=e.ticket_id, at=e.at, actor=e.actor, action=e.action,
            from_status=Status(e.from_status) if e.from_status else None,
            to_status=Status(e.to_status) if e.to_status else None, note=e.note))
    facts.cards = [_to_card(r) for r in session.execute(select(CardRow).order_by(CardRow.id)).scalars()]  # type: ignore[arg-type]
    for link in session.execute(select(MessageLink)).scalars():
        facts.links[(link.platform, link.chat_id, link.message_id)] = link.ticket_id
    planned = select(DueItemRow.ticket_id, DueItemRow.kind, func.max(DueItemRow.due_at)).group_by(  # type: ignore[call-overload]
        DueItemRow.ticket_id, DueItemRow.kind)
    for ticket_id, kind, due_at in session.execute(planned).all():
        facts.timers.setdefault(ticket_id, {})[kind] = _aware(due_at)
    counted = select(LabelledExampleRow.fix, func.count()).group_by(LabelledExampleRow.fix)  # type: ignore[call-overload]
    facts.labelled = {fix: int(n) for fix, n in session.execute(counted).all()}
    facts.messages_stored = int(session.execute(select(func.count()).select_from(InboundMessage)).scalar_one())
    facts.held_at_end = int(session.execute(
        select(func.count()).select_from(OutboxRow).where(OutboxRow.sent_at.is_(None))  # type: ignore[union-attr]
    ).scalar_one())
    return facts
