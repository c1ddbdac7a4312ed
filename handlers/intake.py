"""Turning a recognised request into a ticket: route it, join the same problem, say so.

A report joins an open ticket only when it is the same problem (``duplicates``).
An emergency never hides in an ordinary ticket: when it is the same problem the
ticket is raised to an emergency, with the whole emergency path; otherwise it
opens its own ticket.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from handlers import texts
from handlers.categories import EmergencyKind, Urgency
from handlers.directory import Directory, Staff
from handlers.duplicates import compatible, same_problem
from handlers.messages import Button
from handlers.parsing import ParsedRequest
from handlers.tickets import Reporter, Status, Ticket
from handlers.turn import Turn

Deadlines = Callable[[Urgency, datetime], tuple[datetime | None, datetime | None]]
FOLLOW_UP_WINDOW = timedelta(hours=2)
"""A reporter who says more about their open problem soon after, naming no other
building ("有没有人啊 水越来越大了"), is adding to it, not reporting a new one."""


def staff_buttons(ticket_id: int) -> tuple[Button, ...]:
    return (
        Button("接单", f"ack:{ticket_id}"),
        Button("已解决", f"resolve:{ticket_id}"),
        Button("上报", f"escalate:{ticket_id}"),
    )


def route(directory: Directory, community: str, grid: str | None) -> Staff | None:
    """building → grid → its worker (or their backup); else the community's duty worker."""
    if grid is not None:
        for worker in directory.grid_workers(grid):
            person = directory.available(worker.id)
            if person is not None:
                return person
    duty = directory.communities.get(community)
    return directory.available(duty.duty_worker) if duty else None


def hotline_for(directory: Directory, kind: EmergencyKind | None) -> str:
    hotlines = directory.policy.hotlines
    if kind is not None and kind in hotlines:
        return hotlines[kind]
    return hotlines.get(EmergencyKind.OTHER, texts.DEFAULT_HOTLINE)


def community_for(turn: Turn, building: str | None) -> str:
    if turn.chat is not None and turn.chat.community:
        return turn.chat.community
    found = turn.directory.community_of_building(building) if building else None
    return found or next(iter(turn.directory.communities))


def household(turn: Turn, parsed: ParsedRequest, text: str, reporter: Reporter | None = None) -> Reporter:
    """The reporter with their own place, phone and words (for the worker only)."""
    who = reporter or turn.reporter
    return Reporter(who.platform, who.user_id, who.name, who.chat_id, parsed.location.unit,
                    parsed.location.room, parsed.phone, text[:500])


def submit_request(turn: Turn, parsed: ParsedRequest, text: str, reporter: Reporter | None = None,
                   source_message_id: str | None = None) -> Ticket:
    """A request from ``turn``'s message (or, for 立案, from someone else's message)."""
    store, now = turn.store, turn.now
    building = parsed.location.building
    community = community_for(turn, building)
    emergency = parsed.urgency is Urgency.EMERGENCY
    window = timedelta(hours=turn.directory.policy.duplicate_window_hours)
    if building is not None:
        for ticket in store.open_tickets_in_building(community, building, now - window):
            if not same_problem(ticket, parsed, text):
                continue
            if emergency and not ticket.is_emergency:
                raise_to_emergency(turn, ticket, parsed.emergency_kind, "system")
            add_co_reporter(turn, ticket, household(turn, parsed, text, reporter))
            return ticket
    elif reporter is None:
        earlier = store.latest_ticket_reported_by(turn.platform, turn.sender_id, turn.chat_id,
                                                  now - FOLLOW_UP_WINDOW)
        if earlier is not None and earlier.is_open and compatible(earlier.category, parsed.category):
            follow_up(turn, earlier, parsed, text)
            return earlier
    return open_ticket(turn, parsed, text, community, reporter, source_message_id)


def follow_up(turn: Turn, ticket: Ticket, parsed: ParsedRequest, text: str) -> None:
    """The reporter adds to their own open problem: the worker hears it, the ticket
    keeps it, an emergency raises it; no second ticket."""
    assert ticket.id is not None
    if parsed.urgency is Urgency.EMERGENCY and not ticket.is_emergency:
        raise_to_emergency(turn, ticket, parsed.emergency_kind, "system")
    if turn.message_id:
        turn.store.link_message(turn.platform, turn.chat_id, turn.message_id, ticket.id)
    turn.record(ticket, ticket.note(turn.actor, turn.now, "follow_up", text[:500]))
    holder = turn.directory.staff.get(ticket.assignee or "")
    if holder is not None:
        turn.tell_staff(holder, texts.follow_up_for_worker(ticket, text), ticket)
    turn.reply(texts.follow_up_receipt(ticket), ticket)


def open_ticket(turn: Turn, parsed: ParsedRequest, text: str, community: str,
                reporter: Reporter | None = None, source_message_id: str | None = None) -> Ticket:
    directory, store, now = turn.directory, turn.store, turn.now
    building = parsed.location.building
    grid = directory.grid_of(community, building) or (turn.chat.grid if turn.chat else None)
    assignee = route(directory, community, grid)
    who = household(turn, parsed, text, reporter)
    source = source_message_id or turn.message_id or ""
    ticket = Ticket(
        community=community,
        category=parsed.category,
        urgency=parsed.urgency,
        text=text,
        platform=turn.platform,
        chat_id=who.chat_id,
        source_message_id=source,
        reporter=who,
        created_at=now,
        building=building,
        unit=parsed.location.unit,
        room=parsed.location.room,
        landmark=parsed.location.landmark,
        phone=parsed.phone,
        emergency_kind=parsed.emergency_kind,
        grid=grid,
    )
    if turn.deadlines is not None:
        ticket.ack_due, ticket.resolve_due = turn.deadlines(parsed.urgency, now)
    store.add_ticket(ticket)
    assert ticket.id is not None
    store.add_reporter(ticket.id, who)
    if source:
        store.link_message(turn.platform, who.chat_id, source, ticket.id)
    store.append_event(ticket.note(turn.actor, now, "created", parsed.category.value))
    if assignee is not None:
        ticket.assignee = assignee.id
        turn.record(ticket, ticket.transition(Status.ASSIGNED, "system", now, assignee.id))
    else:
        turn.replan(ticket)
    receipt = texts.receipt(ticket, assignee.name if assignee else None, turn.expectation(ticket),
                            hotline_for(directory, ticket.emergency_kind) if ticket.is_emergency else None)
    turn.tell_ticket_chat(ticket, receipt)
    notification = texts.worker_notification(ticket, who.name, text)
    if assignee is not None:
        turn.tell_staff(assignee, notification, ticket, staff_buttons(ticket.id))
    if ticket.is_emergency or assignee is None:
        alert_leaders(turn, ticket, {assignee.id} if assignee else set(),
                      None if ticket.is_emergency else notification)
    return ticket


def alert_leaders(turn: Turn, ticket: Ticket, already: set[str], text: str | None = None) -> None:
    """The grid leader and the community leader, at once (quiet hours do not apply)."""
    assert ticket.id is not None
    directory = turn.directory
    leaders = directory.grid_leaders(ticket.grid) if ticket.grid else []
    leaders += directory.community_leaders(ticket.community)
    holder = directory.staff.get(ticket.assignee or "")
    hotline = hotline_for(directory, ticket.emergency_kind)
    for leader in leaders:
        if leader.id not in already:
            already.add(leader.id)
            alert = text or texts.emergency_alert(ticket, holder.name if holder else None, hotline)
            turn.tell_staff(leader, alert, ticket, staff_buttons(ticket.id))


def raise_to_emergency(turn: Turn, ticket: Ticket, kind: EmergencyKind | None, actor: str) -> None:
    """The whole emergency path for a ticket that turns out to be one: hotline advice
    in the group, the worker and leaders alerted, the clock restarted."""
    assert ticket.id is not None
    turn.store.append_event(ticket.change_urgency(Urgency.EMERGENCY, actor, turn.now))
    ticket.emergency_kind = kind or ticket.emergency_kind or EmergencyKind.OTHER
    if turn.deadlines is not None:
        ack_due, resolve_due = turn.deadlines(Urgency.EMERGENCY, turn.now)
        if ticket.awaiting_acknowledgement:
            ticket.ack_due = ack_due
        ticket.resolve_due = resolve_due
    turn.store.save_ticket(ticket)
    turn.replan(ticket)
    directory = turn.directory
    holder = directory.staff.get(ticket.assignee or "")
    hotline = hotline_for(directory, ticket.emergency_kind)
    turn.tell_ticket_chat(ticket, texts.raised_for_group(ticket, holder.name if holder else None, hotline),
                          reply_to=turn.message_id if turn.chat_id == ticket.chat_id else None)
    if holder is not None:
        turn.tell_staff(holder, texts.emergency_alert(ticket, holder.name, hotline), ticket,
                        staff_buttons(ticket.id))
    alert_leaders(turn, ticket, {holder.id} if holder else set())


def add_co_reporter(turn: Turn, ticket: Ticket, who: Reporter | None = None) -> None:
    """Another household reports the same problem: count it, tell the worker privately
    who and where (their own words, room and phone), don't open a new ticket."""
    assert ticket.id is not None
    who = who or turn.reporter
    if turn.message_id:
        turn.store.link_message(turn.platform, turn.chat_id, turn.message_id, ticket.id)
    if turn.store.add_reporter(ticket.id, who):
        ticket.households += 1
        turn.record(ticket, ticket.note(turn.actor, turn.now, "co_reported"))
        holder = turn.directory.staff.get(ticket.assignee or "")
        if holder is not None:
            turn.tell_staff(holder, texts.households_update(ticket, who), ticket)
    receipt = texts.co_report_receipt(ticket)
    if ticket.is_emergency:
        receipt = f"⚠️ {hotline_for(turn.directory, ticket.emergency_kind)}\n{receipt}"
    turn.reply(receipt, ticket)
