"""Web actions go through the core exactly as chat commands do.

A button on the ticket page becomes a ``TicketCommand`` run by
``handlers.actions.run_command`` for a Turn of the signed-in staff member: the
same rules (who may act, which transitions), the same audit events with their
staff id, and the same messages, stored in the outbox in the same transaction
so the group and the colleagues are told in the chat as usual. What the core
would have answered the actor privately is shown on the page instead.
"""

from __future__ import annotations

from datetime import datetime

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
NEEDS_ARGUMENT = {"transfer", "note", "category", "urgency", "location"}

CORRECTIONS: tuple[tuple[str, str, str], ...] = (
    ("category", "改类别", "类别,例如:燃气"),
    ("urgency", "改紧急程度", "紧急 / 加急 / 一般"),
    ("location", "改位置", "例如:5号楼2单元"),
    ("false_alarm", "误报", ""),
    ("not_a_request", "不是诉求", ""),
)
"""The corrections staff make in chat (handlers.corrections), as the ticket page offers
them: (form value, button, what to write; none for a correction that needs no words)."""
_CORRECTION_WORDS = {"false_alarm": "误报", "not_a_request": "不是诉求", "category": "类别 ",
                     "urgency": "", "location": "位置 "}
CORRECTION_VERBS = frozenset(_CORRECTION_WORDS)


def act(session: Session, desk: Desk, directory: Directory, staff: Staff, ticket: Ticket,
        verb: str, argument: str, now: datetime) -> list[str]:
    """Run one web action; returns what to show the actor."""
    store = SqlTicketStore(session)
    turn = Turn(store=store, directory=directory, now=now, platform=WEB, chat_id=staff.id,
                sender_id=staff.id, sender_name=staff.name, chat=None, staff=staff,
                is_private=True, timers=desk.timers, quiet=desk.quiet, deadlines=desk.deadlines)
    if verb in _CORRECTION_WORDS:
        words = _CORRECTION_WORDS[verb]
        command = TicketCommand(Verb.CORRECT, ticket.code, words if words.endswith(("报", "求")) else
                                words + argument.strip())
    else:
        command = TicketCommand(VERBS[verb], ticket.code, argument.strip())
    notice = run_command(turn, command, ticket)
    for_actor = [m.text for m in turn.outbox if m.platform == WEB]
    for_chat = [m for m in turn.outbox if m.platform != WEB]
    # Not reserved for this process: the bot's outbox flush sends them at once.
    outbox.enqueue(session, for_chat, now)
    audit(session, staff.id, f"web:{verb}", f"ticket:{ticket.id}", argument[:500], now)
    return for_actor or [notice]
