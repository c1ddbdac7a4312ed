"""What staff and residents can do to an existing ticket, with who may do it."""

from __future__ import annotations

from handlers import texts
from handlers.categories import CATEGORY_LABELS, URGENCY_LABELS, Urgency
from handlers.commands import TicketCommand, Verb, code_mentioned
from handlers.corrections import Fix, parse_correction
from handlers.corrections import labels as labelled
from handlers.directory import Role, Staff
from handlers.intake import raise_to_emergency, route, staff_buttons
from handlers.messages import Button
from handlers.parsing import Location
from handlers.tickets import InvalidTransition, Status, Ticket
from handlers.turn import Turn

RATING_LABELS = {"satisfied": "满意", "basically": "基本满意", "dissatisfied": "不满意"}
ESCALATION_LEVELS = {1: "社区", 2: "街道"}


def rating_buttons(ticket_id: int) -> tuple[Button, ...]:
    return tuple(Button(label, f"rate:{ticket_id}:{value}") for value, label in RATING_LABELS.items())


def is_responsible(turn: Turn, ticket: Ticket) -> bool:
    staff = turn.staff
    if staff is None:
        return False
    if staff.id == ticket.assignee:
        return True
    holder = turn.directory.staff.get(ticket.assignee or "")
    if holder is not None and holder.backup == staff.id:
        return True
    return turn.directory.covers(staff, ticket.community, ticket.grid)


def is_reporter(turn: Turn, ticket: Ticket) -> bool:
    assert ticket.id is not None
    return any(
        r.platform == turn.platform and r.user_id == turn.sender_id
        for r in turn.store.reporters(ticket.id)
    )


MAX_CODE = 10**9


def find_ticket(turn: Turn, code: int) -> Ticket | None:
    """Codes are unique in a deployment; absurd numbers find nothing."""
    if not 0 < code < MAX_CODE:
        return None
    return turn.store.find_ticket_by_code(code)


def run_command(turn: Turn, command: TicketCommand, ticket: Ticket) -> str:
    """Carry out a command on ``ticket``; returns a short notice for buttons."""
    verb = command.verb
    if verb is Verb.PROGRESS:
        return _progress(turn, ticket)
    if verb is Verb.WITHDRAW:
        return _withdraw(turn, ticket)
    if not is_responsible(turn, ticket):
        turn.staff_reply(texts.not_allowed())
        return texts.not_allowed()
    assert turn.staff is not None
    try:
        return _STAFF_ACTIONS[verb](turn, turn.staff, ticket, command.argument)
    except InvalidTransition:
        turn.staff_reply(texts.not_possible(ticket), ticket)
        return texts.not_possible(ticket)


def _acknowledge(turn: Turn, staff: Staff, ticket: Ticket, note: str) -> str:
    if not ticket.awaiting_acknowledgement and ticket.acknowledged_at is not None \
            and ticket.status is not Status.ESCALATED:
        if note:
            turn.record(ticket, ticket.note(staff.id, turn.now, "note", note))
        turn.staff_reply(texts.acknowledged_for_worker(ticket), ticket)
        return "已接单"
    if staff.role is Role.GRID_WORKER:
        ticket.assignee = staff.id
    turn.record(ticket, ticket.transition(Status.ACKNOWLEDGED, staff.id, turn.now, note))
    turn.staff_reply(texts.acknowledged_for_worker(ticket), ticket)
    turn.tell_ticket_chat(ticket, texts.acknowledged_for_group(ticket, staff.name))
    return "已接单"


def _resolve(turn: Turn, staff: Staff, ticket: Ticket, note: str) -> str:
    turn.record(ticket, ticket.transition(Status.RESOLVED, staff.id, turn.now, note))
    assert ticket.id is not None
    turn.tell_ticket_chat(ticket, texts.resolved_for_group(ticket, note))
    turn.tell_ticket_chat(ticket, texts.rating_request(ticket), rating_buttons(ticket.id))
    turn.staff_reply(texts.resolved_for_worker(ticket), ticket)
    return "已记为解决"


def progress_note(turn: Turn, staff: Staff, ticket: Ticket, note: str) -> str:
    """An update while not yet fixed; it also counts as taking the ticket on."""
    if ticket.awaiting_acknowledgement:
        return _acknowledge(turn, staff, ticket, note)
    return _note(turn, staff, ticket, note)


def dismiss(turn: Turn, staff: Staff, ticket: Ticket, not_a_request: bool) -> str:
    """误报 / 不是诉求: closed, the resident told politely, not counted as resolved."""
    turn.record(ticket, ticket.transition(Status.DISMISSED, staff.id, turn.now,
                                          "不是诉求" if not_a_request else "误报"))
    turn.tell_ticket_chat(ticket, texts.dismissed_for_group(ticket))
    turn.staff_reply(texts.dismissed_for_staff(ticket), ticket)
    if not_a_request:
        _keep(turn, ticket, labelled(False), "not_a_request")
    return texts.dismissed_for_staff(ticket)


def _correct(turn: Turn, staff: Staff, ticket: Ticket, argument: str) -> str:
    correction = parse_correction(argument)
    if correction is None:
        turn.staff_reply(texts.staff_private_help())
        return texts.staff_private_help()
    if correction.fix in (Fix.FALSE_ALARM, Fix.NOT_A_REQUEST):
        return dismiss(turn, staff, ticket, correction.fix is Fix.NOT_A_REQUEST)
    if correction.fix is Fix.FILE:
        turn.staff_reply(texts.card_already_done(ticket.label), ticket)
        return texts.card_already_done(ticket.label)
    if correction.fix is Fix.CATEGORY and correction.category is not None:
        turn.record(ticket, ticket.change_category(correction.category, staff.id, turn.now))
        what = f"类别 {CATEGORY_LABELS[correction.category]}"
    elif correction.fix is Fix.URGENCY and correction.urgency is not None:
        what = f"紧急程度 {URGENCY_LABELS[correction.urgency]}"
        if correction.urgency is Urgency.EMERGENCY and not ticket.is_emergency:
            raise_to_emergency(turn, ticket, None, staff.id)
        elif correction.urgency is not ticket.urgency:
            turn.store.append_event(ticket.change_urgency(correction.urgency, staff.id, turn.now))
            if turn.deadlines is not None:
                ack_due, resolve_due = turn.deadlines(correction.urgency, ticket.created_at)
                ticket.ack_due = ack_due if ticket.awaiting_acknowledgement else ticket.ack_due
                ticket.resolve_due = resolve_due
            turn.store.save_ticket(ticket)
            turn.replan(ticket)
    elif correction.fix is Fix.LOCATION and correction.location is not None:
        what = "位置 " + _relocate(turn, staff, ticket, correction.location)
    else:
        turn.staff_reply(texts.staff_private_help())
        return texts.staff_private_help()
    _keep(turn, ticket, labelled(True, ticket.category, ticket.urgency,
                                 Location(ticket.building, ticket.unit, ticket.room, ticket.landmark)),
          correction.fix.value)
    turn.staff_reply(texts.corrected_for_staff(ticket, what), ticket)
    return texts.corrected_for_staff(ticket, what)


def _relocate(turn: Turn, staff: Staff, ticket: Ticket, where: Location) -> str:
    building = where.building or ticket.building
    turn.record(ticket, ticket.relocate(building, where.unit, where.room, where.landmark, staff.id, turn.now))
    grid = turn.directory.grid_of(ticket.community, building)
    if grid is not None and grid != ticket.grid:
        ticket.grid = grid
        worker = route(turn.directory, ticket.community, grid)
        if worker is not None and worker.id != ticket.assignee:
            _transfer(turn, staff, ticket, worker.id)
        else:
            turn.store.save_ticket(ticket)
    return texts.place(ticket, private=True)


def _keep(turn: Turn, ticket: Ticket, labels: dict[str, object], fix: str) -> None:
    from handlers.cards import keep

    keep(turn, ticket.text, ticket.platform, ticket.chat_id, labels, fix, ticket.id)


def _transfer(turn: Turn, staff: Staff, ticket: Ticket, name: str) -> str:
    target = turn.directory.staff_by_name(name)
    if target is None:
        turn.staff_reply(texts.unknown_staff(name))
        return texts.unknown_staff(name)
    ticket.assignee = target.id
    turn.record(ticket, ticket.transition(Status.TRANSFERRED, staff.id, turn.now, target.id))
    assert ticket.id is not None
    turn.tell_staff(
        target,
        texts.transferred_for_new_assignee(ticket, staff.name, ticket.reporter.name, ticket.text),
        ticket,
        staff_buttons(ticket.id),
        prefer_platform=ticket.platform,
    )
    turn.staff_reply(texts.transferred_for_actor(ticket, target.name), ticket)
    return f"已转给{target.name}"


def escalate(turn: Turn, ticket: Ticket, actor: str, actor_name: str, reason: str) -> None:
    """Hand a ticket one level up: grid → community → street."""
    level = min(ticket.escalation_level + 1, 2)
    ticket.escalation_level = level
    turn.record(ticket, ticket.transition(Status.ESCALATED, actor, turn.now, reason))
    leaders = (
        turn.directory.community_leaders(ticket.community)
        if level == 1
        else turn.directory.street_leaders()
    )
    for leader in leaders:
        turn.tell_staff(
            leader,
            texts.escalated_for_leader(ticket, actor_name, reason, ESCALATION_LEVELS[level]),
            ticket,
            prefer_platform=ticket.platform,
        )
    turn.tell_ticket_chat(ticket, texts.escalated_for_group(ticket, ESCALATION_LEVELS[level]))


def _escalate(turn: Turn, staff: Staff, ticket: Ticket, reason: str) -> str:
    escalate(turn, ticket, staff.id, staff.name, reason)
    level_name = ESCALATION_LEVELS[ticket.escalation_level]
    turn.staff_reply(texts.escalated_for_actor(ticket, level_name), ticket)
    return f"已上报{level_name}"


def _note(turn: Turn, staff: Staff, ticket: Ticket, note: str) -> str:
    turn.record(ticket, ticket.note(staff.id, turn.now, "note", note))
    turn.staff_reply(texts.noted(ticket), ticket)
    return "已备注"


def _visit(turn: Turn, staff: Staff, ticket: Ticket, result: str) -> str:
    turn.record(ticket, ticket.note(staff.id, turn.now, "return_visit", result))
    turn.staff_reply(texts.visit_recorded(ticket), ticket)
    return "回访已记录"


def _merge(turn: Turn, staff: Staff, ticket: Ticket, argument: str) -> str:
    """"#43 合并 #42": the same problem reported twice becomes one ticket."""
    code = code_mentioned(argument) or (int(argument) if argument.strip().isdigit() else None)
    target = find_ticket(turn, code) if code is not None else None
    if target is None or target.id == ticket.id or target.community != ticket.community:
        turn.staff_reply(texts.merge_target_unknown())
        return texts.merge_target_unknown()
    if not target.is_open:
        turn.staff_reply(texts.not_possible(target), target)
        return texts.not_possible(target)
    assert ticket.id is not None and target.id is not None
    turn.record(ticket, ticket.transition(Status.MERGED, staff.id, turn.now, target.label))
    for reporter in turn.store.reporters(ticket.id):
        if turn.store.add_reporter(target.id, reporter):
            target.households += 1
    turn.record(target, target.note(staff.id, turn.now, "merged_in", ticket.label))
    turn.tell_ticket_chat(ticket, texts.merged_for_group(ticket, target))
    turn.staff_reply(texts.merged_for_staff(ticket, target), target)
    return texts.merged_for_staff(ticket, target)


_STAFF_ACTIONS = {
    Verb.ACKNOWLEDGE: _acknowledge,
    Verb.RESOLVE: _resolve,
    Verb.TRANSFER: _transfer,
    Verb.ESCALATE: _escalate,
    Verb.NOTE: _note,
    Verb.VISIT: _visit,
    Verb.MERGE: _merge,
    Verb.CORRECT: _correct,
}


def _progress(turn: Turn, ticket: Ticket) -> str:
    in_its_chat = turn.chat_id == ticket.chat_id and turn.platform == ticket.platform
    if not (in_its_chat or is_reporter(turn, ticket) or is_responsible(turn, ticket)):
        turn.reply(texts.not_allowed())
        return texts.not_allowed()
    assert ticket.id is not None
    events = turn.store.events(ticket.id)
    updated = (events[-1].at if events else ticket.created_at).astimezone(turn.now.tzinfo)
    holder = turn.directory.staff.get(ticket.assignee or "")
    extra = "".join(f"{label}。" for label in progress_flags(ticket, [e.action for e in events]))
    text = texts.progress(ticket, holder.name if holder else None, updated, extra)
    turn.reply(text, ticket)
    return text


def progress_flags(ticket: Ticket, actions: list[str]) -> list[str]:
    """Deadline history a resident or leader should see in "#42 进度"."""
    flags = []
    if "ack_overdue" in actions or "resolve_overdue" in actions:
        flags.append("已超时")
    if ticket.escalation_level >= 1:
        flags.append(f"已上报{ESCALATION_LEVELS[ticket.escalation_level]}")
    if "reassigned" in actions:
        flags.append("已改派")
    return flags


def _withdraw(turn: Turn, ticket: Ticket) -> str:
    if not (turn.sender_id == ticket.reporter.user_id and turn.platform == ticket.platform):
        turn.reply(texts.not_reporter())
        return texts.not_reporter()
    try:
        turn.record(ticket, ticket.transition(Status.WITHDRAWN, turn.actor, turn.now))
    except InvalidTransition:
        turn.reply(texts.not_possible(ticket), ticket)
        return texts.not_possible(ticket)
    turn.reply(texts.withdrawn(ticket), ticket)
    holder = turn.directory.staff.get(ticket.assignee or "")
    if holder is not None:
        turn.tell_staff(holder, texts.withdrawn_for_worker(ticket), ticket)
    return texts.withdrawn(ticket)


def rate(turn: Turn, ticket: Ticket, rating: str) -> str:
    """A reporter's 满意 / 基本满意 / 不满意, once per fix; 不满意 reopens and tells the
    grid leader. A later answer or button press changes nothing."""
    if not is_reporter(turn, ticket):
        turn.reply(texts.not_reporter_rating())
        return texts.not_reporter_rating()
    if not ticket.awaiting_rating:
        turn.reply(texts.already_rated(ticket), ticket)
        return texts.already_rated(ticket)
    turn.store.append_event(ticket.rate(rating, turn.actor, turn.now))
    if rating == "dissatisfied":
        if ticket.resolve_due is not None:  # a fresh resolution deadline of the same length
            ticket.resolve_due = turn.now + (ticket.resolve_due - ticket.created_at)
        turn.record(ticket, ticket.transition(Status.REOPENED, turn.actor, turn.now, "不满意"))
        turn.reply(texts.rating_reopened(ticket), ticket)
        people = [turn.directory.staff.get(ticket.assignee or "")]
        people += turn.directory.grid_leaders(ticket.grid) if ticket.grid else []
        for person in people:
            if person is not None:
                turn.tell_staff(person, texts.reopened_for_staff(ticket), ticket)
        return texts.rating_reopened(ticket)
    turn.record(ticket, ticket.transition(Status.CLOSED, turn.actor, turn.now, rating))
    turn.reply(texts.rating_thanks(ticket), ticket)
    return texts.rating_thanks(ticket)
