"""What happens when a ticket's time comes: reminders, reassignment, escalation,
the return visit (回访) and the rating reminder.

Which timers a ticket has is decided by a ``TimerPolicy`` (implemented in
``schedules/policy.py``); this module carries a due timer out, inside the same
transaction that marks it done, so it happens exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from handlers import texts
from handlers.actions import escalate, rating_buttons
from handlers.intake import staff_buttons
from handlers.tickets import Status, Ticket
from handlers.turn import Turn


class DueKind(StrEnum):
    ACK_REMINDER = "ack_reminder"
    ACK_OVERDUE = "ack_overdue"
    ACK_REASSIGN = "ack_reassign"
    ACK_GRID_LEADER = "ack_grid_leader"
    RESOLVE_REMINDER = "resolve_reminder"
    RESOLVE_OVERDUE = "resolve_overdue"
    RESOLVE_OVERDUE_STREET = "resolve_overdue_street"
    RETURN_VISIT = "return_visit"
    RATING_REMINDER = "rating_reminder"
    RATING_EXPIRED = "rating_expired"


@dataclass(frozen=True)
class Due:
    kind: DueKind
    at: datetime


class TimerPolicy(Protocol):
    def plan(self, ticket: Ticket) -> list[Due]:
        """Every timer the ticket should have in its current state (past ones included)."""


_ACK_KINDS = {DueKind.ACK_REMINDER, DueKind.ACK_OVERDUE, DueKind.ACK_REASSIGN, DueKind.ACK_GRID_LEADER}
_RESOLVE_KINDS = {DueKind.RESOLVE_REMINDER, DueKind.RESOLVE_OVERDUE, DueKind.RESOLVE_OVERDUE_STREET}


def still_applies(ticket: Ticket, kind: DueKind) -> bool:
    if kind in _ACK_KINDS:
        return ticket.awaiting_acknowledgement
    if kind in _RESOLVE_KINDS:
        return ticket.is_open
    if kind is DueKind.RETURN_VISIT:
        return ticket.status in (Status.RESOLVED, Status.CLOSED)
    return ticket.awaiting_rating


def carry_out(turn: Turn, ticket: Ticket, kind: DueKind) -> None:
    """Do what a due timer asks; a timer whose moment has passed does nothing."""
    if not still_applies(ticket, kind):
        return
    directory = turn.directory
    holder = directory.staff.get(ticket.assignee or "")
    assert ticket.id is not None
    if kind is DueKind.ACK_REMINDER and holder:
        turn.tell_staff(holder, texts.ack_reminder(ticket), ticket, staff_buttons(ticket.id))
    elif kind is DueKind.ACK_OVERDUE:
        turn.record(ticket, ticket.note("system", turn.now, "ack_overdue"))
        if holder:
            turn.tell_staff(holder, texts.ack_overdue(ticket), ticket, staff_buttons(ticket.id))
    elif kind is DueKind.ACK_REASSIGN and holder and holder.backup:
        backup = directory.available(holder.backup)
        if backup is not None and backup.id != holder.id:
            ticket.assignee = backup.id
            turn.record(ticket, ticket.note("system", turn.now, "reassigned", backup.id))
            turn.tell_staff(
                backup,
                texts.reassigned_to_backup(ticket, holder.name)
                + "\n"
                + texts.worker_notification(ticket, ticket.reporter.name, ticket.text),
                ticket,
                staff_buttons(ticket.id),
            )
    elif kind is DueKind.ACK_GRID_LEADER:
        turn.record(ticket, ticket.note("system", turn.now, "ack_grid_leader"))
        for leader in directory.grid_leaders(ticket.grid) if ticket.grid else []:
            turn.tell_staff(leader, texts.ack_missed_for_leader(ticket, holder.name if holder else None),
                            ticket, staff_buttons(ticket.id))
    elif kind is DueKind.RESOLVE_REMINDER and holder:
        due = ticket.resolve_due.astimezone(turn.now.tzinfo) if ticket.resolve_due else None
        turn.tell_staff(holder, texts.resolve_reminder(ticket, due), ticket)
    elif kind is DueKind.RESOLVE_OVERDUE:
        turn.record(ticket, ticket.note("system", turn.now, "resolve_overdue"))
        if ticket.escalation_level < 1:
            escalate(turn, ticket, "system", "系统(超时未办结)", "超过办结时限")
    elif kind is DueKind.RESOLVE_OVERDUE_STREET:
        if ticket.escalation_level < 2:
            ticket.escalation_level = max(ticket.escalation_level, 1)
            escalate(turn, ticket, "system", "系统(超时未办结)", "超过办结时限,社区未能办结")
    elif kind is DueKind.RETURN_VISIT and holder:
        turn.record(ticket, ticket.note("system", turn.now, "return_visit_due"))
        turn.tell_staff(holder, texts.return_visit_due(ticket), ticket)
    elif kind is DueKind.RATING_REMINDER:
        turn.record(ticket, ticket.note("system", turn.now, "rating_reminder"))
        turn.tell_ticket_chat(ticket, texts.rating_reminder(ticket), rating_buttons(ticket.id))
    elif kind is DueKind.RATING_EXPIRED:
        ticket.rating = "unrated"
        turn.record(ticket, ticket.transition(Status.CLOSED, "system", turn.now, "unrated", "unrated"))
