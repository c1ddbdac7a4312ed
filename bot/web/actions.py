"""Web actions go through the core exactly as chat commands do.

A button on the ticket page becomes a ``TicketCommand`` run by
``handlers.actions.run_command`` for a Turn of the signed-in staff member: the
same rules (who may act, which transitions), the same audit events with their
staff id, and the same messages, stored in the outbox in the same transaction
so the group and the colleagues are told in the chat as usual. What the core
would have answered the actor privately is shown on the page instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from handlers.actions import run_command
from handlers.commands import TicketCommand, Verb
from handlers.desk import Desk
from handlers.directory import Directory, Staff
from handlers.tickets import Ticket
from handlers.turn import Turn
from storage import outbox
from storage.repository import SqlTicketStore
from storage.staff_binding import audit

WEB = "web"
"""The platform name of the actor's own turn: what the core says to it stays on the page."""

VERBS: dict[str, Verb] = {
    "ack": Verb.ACKNOWLEDGE,
    "resolve": Verb.RESOLVE,
    "transfer": Verb.TRANSFER,
    "escalate": Verb.ESCALATE,
    "note": Verb.NOTE,
}
NEEDS_ARGUMENT = {"transfer", "note"}

# Corrections (误报 / 类别 / 紧急 / 位置 / 立案) are being added to the core on
# another branch. At the merge, list them here as (form value, label, Verb) and
# add them to VERBS: the ticket page renders whatever this tuple holds.
CORRECTIONS: tuple[tuple[str, str], ...] = ()


def act(session: Session, desk: Desk, directory: Directory, staff: Staff, ticket: Ticket,
        verb: str, argument: str, now: datetime) -> list[str]:
    """Run one web action; returns what to show the actor."""
    store = SqlTicketStore(session)
    turn = Turn(store=store, directory=directory, now=now, platform=WEB, chat_id=staff.id,
                sender_id=staff.id, sender_name=staff.name, chat=None, staff=staff,
                is_private=True, timers=desk.timers, quiet=desk.quiet)
    notice = run_command(turn, TicketCommand(VERBS[verb], ticket.code, argument.strip()), ticket)
    for_actor = [m.text for m in turn.outbox if m.platform == WEB]
    for_chat = [m for m in turn.outbox if m.platform != WEB]
    # Not reserved for this process: the bot's outbox flush sends them at once.
    outbox.enqueue(session, for_chat, now, reserve=timedelta(0))
    audit(session, staff.id, f"web:{verb}", f"ticket:{ticket.id}", argument[:500], now)
    return for_actor or [notice]
