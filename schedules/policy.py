"""Which timers a ticket has in its current state: pure policy, no clock of its own.

Acknowledgement: a reminder at 75 % of the time, the deadline (已超时), then the
backup takes over half a span later, then the grid leader is told a span later.
Resolution: a reminder at 75 %, the community at the deadline, the street one
span after that. After the fix: the return visit (回访), a rating reminder after
3 days and "unrated" after 3 more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers.categories import Urgency
from handlers.tickets import Status, Ticket
from handlers.timers import Due, DueKind


@dataclass(frozen=True)
class TicketTimers:
    next_visit: Callable[[datetime], datetime]
    """When the worker should go back after a fix made at the given time."""
    reminder_at: Callable[[Urgency, datetime, datetime], datetime] | None = None
    """Where between start and deadline to remind (working time for normal tickets);
    by default ``reminder_fraction`` of the clock time."""
    reminder_fraction: float = 0.75
    rating_reminder_after: timedelta = timedelta(days=3)
    rating_expires_after: timedelta = timedelta(days=6)

    def _remind(self, urgency: Urgency, start: datetime, due: datetime) -> datetime:
        if self.reminder_at is not None:
            return self.reminder_at(urgency, start, due)
        return start + max(due - start, timedelta(0)) * self.reminder_fraction

    def plan(self, ticket: Ticket) -> list[Due]:
        items: list[Due] = []
        start = ticket.created_at
        if (ticket.awaiting_acknowledgement or ticket.status is Status.NEW) and ticket.ack_due:
            span = max(ticket.ack_due - start, timedelta(0))
            items += [
                Due(DueKind.ACK_REMINDER, self._remind(ticket.urgency, start, ticket.ack_due)),
                Due(DueKind.ACK_OVERDUE, ticket.ack_due),
                Due(DueKind.ACK_REASSIGN, ticket.ack_due + span / 2),
                Due(DueKind.ACK_GRID_LEADER, ticket.ack_due + span),
            ]
        if ticket.is_open and ticket.resolve_due:
            span = max(ticket.resolve_due - start, timedelta(0))
            items += [
                Due(DueKind.RESOLVE_REMINDER, self._remind(ticket.urgency, start, ticket.resolve_due)),
                Due(DueKind.RESOLVE_OVERDUE, ticket.resolve_due),
                Due(DueKind.RESOLVE_OVERDUE_STREET, ticket.resolve_due + span),
            ]
        if ticket.status in (Status.RESOLVED, Status.CLOSED) and ticket.resolved_at:
            items.append(Due(DueKind.RETURN_VISIT, self.next_visit(ticket.resolved_at)))
        if ticket.awaiting_rating and ticket.resolved_at:
            items += [
                Due(DueKind.RATING_REMINDER, ticket.resolved_at + self.rating_reminder_after),
                Due(DueKind.RATING_EXPIRED, ticket.resolved_at + self.rating_expires_after),
            ]
        return items
