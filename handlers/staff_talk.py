"""What staff say in their own words, about a ticket or a card.

Staff reply to a notification, quote a resident, or just say "灯换好了". In order:
1. a correction word (立案, 忽略, 误报, 不是诉求, 类别 …, 紧急 …, 位置 …);
2. the answer to a question the bot asked them (a code, or 1–4);
3. an exact verb (收到, 已解决 …), the old shortcuts;
4. the learned reading of staff intent (``parsing.staff_intent``).
Which ticket: the one replied to or quoted; else, when they hold exactly one
open ticket that the intent applies to, that one; else the bot asks which
(privately), with the choices. In a residents' group nothing worker-only is
said: replies meant for the worker go privately.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from handlers import texts
from handlers.actions import dismiss, find_ticket, is_responsible, progress_note, run_command
from handlers.cards import Card, CardStatus, file_card, ignore_card, keep, resident_turn
from handlers.categories import Category, Urgency
from handlers.commands import TicketCommand, Verb, code_only, parse_bare_command
from handlers.corrections import Correction, Fix, labels, parse_correction
from handlers.directory import Staff
from handlers.intake import submit_request
from handlers.messages import Button, Inbound, MessageKind
from handlers.parsing import ParsedRequest, Reading
from handlers.parsing.staff_intent import StaffIntent, StaffReading
from handlers.tickets import Reporter, Ticket
from handlers.turn import Turn

StaffIntentReader = Callable[[str], StaffReading]
ResidentReader = Callable[[str, str, str], Reading]
"""(text, platform, chat id) → the reading of a resident's message in that chat."""

PENDING_FOR = timedelta(minutes=30)
_INTENT_VERBS = {
    StaffIntent.ACK: Verb.ACKNOWLEDGE,
    StaffIntent.RESOLVED: Verb.RESOLVE,
    StaffIntent.ESCALATE: Verb.ESCALATE,
}
_CHOICES = {"1": StaffIntent.RESOLVED, "2": StaffIntent.ACK, "3": StaffIntent.FALSE_ALARM, "4": StaffIntent.PROGRESS}


@dataclass(frozen=True)
class PendingQuestion:
    """What the bot asked a staff member and is waiting for an answer to."""

    staff_id: str
    intent: str
    """The intent to carry out once the ticket is known, or "" when asking what they meant."""
    note: str
    ticket_ids: tuple[int, ...]
    asked_at: datetime


@dataclass
class Said:
    """One staff message, with what it points at."""

    text: str
    message: Inbound
    ticket: Ticket | None
    card: Card | None


def handle_staff_text(turn: Turn, said: Said, read_intent: StaffIntentReader,
                      read_resident: ResidentReader) -> None:
    staff = turn.staff
    assert staff is not None
    correction = parse_correction(said.text)
    if correction is not None:
        _correct(turn, staff, said, correction, read_resident)
        return
    pending = turn.store.take_pending(staff.id)
    if pending is not None and turn.now - pending.asked_at <= PENDING_FOR and said.ticket is None \
            and _answer(turn, staff, pending, said.text):
        return
    if said.card is not None:
        turn.staff_reply(texts.staff_in_group_help() if not turn.is_private else texts.staff_private_help())
        return
    bare = parse_bare_command(said.text)
    if bare is not None and bare.verb is not Verb.ACKNOWLEDGE:
        _on_target(turn, staff, said, _intent_of_verb(bare.verb), bare.argument or said.text, sure=True)
        return
    reading = StaffReading(StaffIntent.ACK, 1.0) if bare is not None else read_intent(said.text)
    if reading.intent is StaffIntent.OTHER and said.ticket is None:
        if turn.is_private:
            turn.reply(texts.staff_private_help())
        return
    if reading.intent is StaffIntent.QUESTION and said.ticket is None and not turn.is_private:
        return  # asking the residents something in their group
    _on_target(turn, staff, said, reading.intent, said.text, reading.sure)


def _intent_of_verb(verb: Verb) -> StaffIntent:
    return {Verb.RESOLVE: StaffIntent.RESOLVED, Verb.ESCALATE: StaffIntent.ESCALATE,
            Verb.TRANSFER: StaffIntent.TRANSFER, Verb.NOTE: StaffIntent.PROGRESS}.get(verb, StaffIntent.ACK)


def _applies(intent: StaffIntent, ticket: Ticket) -> bool:
    if intent is StaffIntent.ACK:
        return ticket.awaiting_acknowledgement
    return ticket.is_open


def _on_target(turn: Turn, staff: Staff, said: Said, intent: StaffIntent, note: str, sure: bool) -> None:
    ticket = said.ticket
    if ticket is None:
        mine = [t for t in turn.store.open_tickets_of(staff.id) if _applies(intent, t)]
        if not turn.is_private:
            mine = [t for t in mine if t.chat_id == turn.chat_id and t.platform == turn.platform]
        if len(mine) == 1:
            ticket = mine[0]
        elif len(mine) > 1 and intent not in (StaffIntent.OTHER, StaffIntent.QUESTION):
            _ask(turn, staff, PendingQuestion(staff.id, intent.value, note, tuple(t.id or 0 for t in mine),
                                              turn.now), texts.which_ticket_of(mine))
            return
        else:
            if turn.is_private:
                turn.reply(texts.nothing_open())
            return
    if not sure or intent is StaffIntent.OTHER or (
            intent is StaffIntent.FALSE_ALARM and ticket.is_emergency):  # an emergency is closed only on a clear word
        _ask(turn, staff, PendingQuestion(staff.id, "", note, (ticket.id or 0,), turn.now),
             texts.what_did_you_mean(ticket), _meaning_buttons(ticket))
        return
    carry_out(turn, staff, ticket, intent, note)


def carry_out(turn: Turn, staff: Staff, ticket: Ticket, intent: StaffIntent, note: str) -> None:
    if not is_responsible(turn, ticket):
        turn.staff_reply(texts.not_allowed())
        return
    if not ticket.is_open and intent in (StaffIntent.RESOLVED, StaffIntent.PROGRESS, StaffIntent.ACK):
        # after the fix, what a worker says about it ("回访了 老人说挺好") is the return visit
        run_command(turn, TicketCommand(Verb.VISIT, None, note), ticket)
        return
    if intent is StaffIntent.FALSE_ALARM:
        dismiss(turn, staff, ticket, not_a_request=False)
    elif intent is StaffIntent.PROGRESS:
        progress_note(turn, staff, ticket, note)
    elif intent is StaffIntent.QUESTION:
        turn.record(ticket, ticket.note(staff.id, turn.now, "note", note))
        if turn.is_private:
            turn.reply(texts.noted_only(ticket), ticket)
    elif intent is StaffIntent.TRANSFER:
        target = _colleague_named(turn, note, staff)
        if target is None:
            turn.staff_reply(texts.transfer_to_whom(ticket), ticket)
        else:
            run_command(turn, TicketCommand(Verb.TRANSFER, None, target.id), ticket)
    else:
        verb = _INTENT_VERBS.get(intent, Verb.ACKNOWLEDGE)
        argument = note if verb is not Verb.ACKNOWLEDGE or note != "收到" else ""
        run_command(turn, TicketCommand(verb, None, argument), ticket)


def _colleague_named(turn: Turn, text: str, speaker: Staff) -> Staff | None:
    for person in turn.directory.staff.values():
        if person.id != speaker.id and person.name and person.name in text:
            return person
    return None


def _meaning_buttons(ticket: Ticket) -> tuple[Button, ...]:
    return (Button("已解决", f"resolve:{ticket.id}"), Button("已接单", f"ack:{ticket.id}"),
            Button("不需要处理", f"dismiss:{ticket.id}"))


def _ask(turn: Turn, staff: Staff, question: PendingQuestion, text: str, buttons: tuple[Button, ...] = ()) -> None:
    turn.store.set_pending(question)
    turn.tell_staff(staff, text, buttons=buttons)


def _answer(turn: Turn, staff: Staff, pending: PendingQuestion, text: str) -> bool:
    """A code for "which ticket", a number for "what did you mean"; anything else is
    not an answer (and the question lapses)."""
    if pending.intent:
        code = code_only(text)
        ticket = find_ticket(turn, code) if code is not None else None
        if ticket is None:
            return False
        carry_out(turn, staff, ticket, StaffIntent(pending.intent), pending.note)
        return True
    choice = _CHOICES.get(text.strip().rstrip("。.!！ "))
    ticket = turn.store.get_ticket(pending.ticket_ids[0]) if pending.ticket_ids else None
    if choice is None or ticket is None:
        return False
    carry_out(turn, staff, ticket, choice, pending.note)
    return True


# --- corrections ------------------------------------------------------------------------


def _correct(turn: Turn, staff: Staff, said: Said, correction: Correction, read_resident: ResidentReader) -> None:
    if said.card is not None:
        _correct_card(turn, staff, said.card, correction, read_resident)
        return
    if said.ticket is not None:
        run_command(turn, TicketCommand(Verb.CORRECT, None, said.text), said.ticket)
        return
    if correction.fix is Fix.FILE and said.message.reply_to_message_id:
        _file_message(turn, staff, said, correction, read_resident)
        return
    if correction.fix in (Fix.FILE, Fix.IGNORE):
        pending = turn.store.pending_cards_of(staff.id)
        if len(pending) == 1:
            _correct_card(turn, staff, pending[0], correction, read_resident)
            return
    turn.staff_reply(texts.message_not_found())


def _correct_card(turn: Turn, staff: Staff, card: Card, correction: Correction,
                  read_resident: ResidentReader) -> None:
    if card.status is not CardStatus.PENDING:
        filed = turn.store.get_ticket(card.ticket_id) if card.ticket_id else None
        turn.staff_reply(texts.card_already_done(filed.label if filed else None))
        return
    if correction.fix in (Fix.IGNORE, Fix.FALSE_ALARM, Fix.NOT_A_REQUEST):
        ignore_card(turn, card)
        return
    reading = read_resident(card.text, card.platform, card.chat_id) if card.text else None
    file_card(turn, card, correction, reading)


def _file_message(turn: Turn, staff: Staff, said: Said, correction: Correction,
                  read_resident: ResidentReader) -> None:
    """立案 in reply to a resident's message the bot let pass."""
    original = turn.store.inbound(turn.platform, turn.chat_id, said.message.reply_to_message_id or "")
    if original is None or original.kind is not MessageKind.TEXT or turn.chat is None:
        turn.staff_reply(texts.message_not_found())
        return
    card = turn.store.card_for_message(original.platform, original.chat_id, original.message_id)
    if card is not None:
        _correct_card(turn, staff, card, correction, read_resident)
        return
    reading = read_resident(original.text, original.platform, original.chat_id)

    category = correction.category or reading.category or Category.OTHER
    urgency = correction.urgency or (reading.urgency if reading.is_request else Urgency.NORMAL)
    parsed = ParsedRequest(category, urgency, reading.location, reading.phone,
                           reading.emergency_kind if urgency is Urgency.EMERGENCY else None)
    resident = resident_turn(turn, original.platform, original.chat_id, original.sender_id,
                             original.sender_name, original.message_id)
    reporter = Reporter(original.platform, original.sender_id, original.sender_name, original.chat_id)
    ticket = submit_request(resident, parsed, original.text, reporter, original.message_id)
    keep(turn, original.text, original.platform, original.chat_id,
         labels(True, category, urgency, reading.location), "file", ticket.id)
    turn.staff_reply(texts.card_filed(ticket), ticket)


