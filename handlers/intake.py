"""Turning a recognised request into a ticket: route it, dedupe it, say so."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from handlers import texts
from handlers.categories import EmergencyKind, Urgency
from handlers.directory import Directory, Staff
from handlers.messages import Button
from handlers.parsing import ParsedRequest
from handlers.tickets import Status, Ticket
from handlers.turn import Turn

Deadlines = Callable[[Urgency, datetime], tuple[datetime | None, datetime | None]]



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


def community_for(turn: Turn, parsed: ParsedRequest) -> str:
    if turn.chat is not None and turn.chat.community:
        return turn.chat.community
    building = parsed.location.building
    found = turn.directory.community_of_building(building) if building else None
    return found or next(iter(turn.directory.communities))


def submit_request(
    turn: Turn, parsed: ParsedRequest, text: str, deadlines: Deadlines | None
) -> None:
    directory, store, now = turn.directory, turn.store, turn.now
    community = community_for(turn, parsed)
    building = parsed.location.building
    emergency = parsed.urgency is Urgency.EMERGENCY
    window = timedelta(hours=directory.policy.duplicate_window_hours)
    if building is not None:
        similar = store.find_open_similar(community, building, parsed.category, now - window)
        if similar is not None:
            add_co_reporter(turn, similar)
            return

    grid = directory.grid_of(community, building) or (turn.chat.grid if turn.chat else None)
    assignee = route(directory, community, grid)
    ticket = Ticket(
        community=community,
        category=parsed.category,
        urgency=parsed.urgency,
        text=text,
        platform=turn.platform,
        chat_id=turn.chat_id,
        source_message_id=turn.message_id or "",
        reporter=turn.reporter,
        created_at=now,
        building=building,
        unit=parsed.location.unit,
        room=parsed.location.room,
        landmark=parsed.location.landmark,
        phone=parsed.phone,
        emergency_kind=parsed.emergency_kind,
        grid=grid,
    )
    if deadlines is not None:
        ticket.ack_due, ticket.resolve_due = deadlines(parsed.urgency, now)
    store.add_ticket(ticket)
    assert ticket.id is not None
    store.add_reporter(ticket.id, turn.reporter)
    if turn.message_id:
        store.link_message(turn.platform, turn.chat_id, turn.message_id, ticket.id)
    store.append_event(ticket.note(turn.actor, now, "created", parsed.category.value))
    if assignee is not None:
        ticket.assignee = assignee.id
        turn.record(ticket, ticket.transition(Status.ASSIGNED, "system", now, assignee.id))
    else:
        turn.replan(ticket)

    hotline = hotline_for(directory, parsed.emergency_kind) if emergency else None
    expectation = directory.policy.ack_expectation.get(
        parsed.urgency.value, texts.DEFAULT_EXPECTATION[parsed.urgency]
    )
    turn.reply(texts.receipt(ticket, assignee.name if assignee else None, expectation, hotline), ticket)
    notification = texts.worker_notification(ticket, turn.sender_name, text)
    if assignee is not None:
        turn.tell_staff(assignee, notification, ticket, staff_buttons(ticket.id))
    alerted = {assignee.id} if assignee else set()
    if emergency or assignee is None:
        leaders = directory.grid_leaders(grid) if grid else []
        leaders += directory.community_leaders(community)
        for leader in leaders:
            if leader.id not in alerted:
                alerted.add(leader.id)
                alert = texts.emergency_alert(ticket, assignee.name if assignee else None, hotline)
                turn.tell_staff(leader, alert if emergency else notification, ticket, staff_buttons(ticket.id))


def add_co_reporter(turn: Turn, ticket: Ticket) -> None:
    """Another household reports the same problem: count it, don't open a new ticket."""
    assert ticket.id is not None
    if turn.message_id:
        turn.store.link_message(turn.platform, turn.chat_id, turn.message_id, ticket.id)
    if turn.store.add_reporter(ticket.id, turn.reporter):
        ticket.households += 1
        turn.record(ticket, ticket.note(turn.actor, turn.now, "co_reported"))
        holder = turn.directory.staff.get(ticket.assignee or "")
        if holder is not None:
            turn.tell_staff(holder, texts.households_update(ticket), ticket)
    receipt = texts.co_report_receipt(ticket)
    if ticket.urgency is Urgency.EMERGENCY:
        receipt = f"⚠️ {hotline_for(turn.directory, ticket.emergency_kind)}\n{receipt}"
    turn.reply(receipt, ticket)
