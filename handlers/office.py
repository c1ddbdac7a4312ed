"""Who sees what at the office (the web desk and the handover sheet).

A grid worker sees their grids and the tickets handed to them (or to a
colleague on leave they stand in for); a grid leader their grids; a community leader
the community; the street leader everything. Residents' names, phone numbers
and rooms are shown only to staff who may act on the ticket *and* whose role
has the right (config ``web.personal_data_roles``; by default everyone but the
street leader, who oversees thirty communities and calls no resident).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from handlers.directory import Directory, Role, Staff
from handlers.tickets import OPEN_STATUSES, Status

DEFAULT_PERSONAL_DATA_ROLES = frozenset(
    {Role.GRID_WORKER, Role.GRID_LEADER, Role.COMMUNITY_LEADER})
AWAITING_ACK = frozenset({Status.NEW, Status.ASSIGNED, Status.TRANSFERRED})


@dataclass(frozen=True)
class TicketScope:
    """The tickets one person sees: any match counts; ``everything`` sees all."""

    everything: bool = False
    communities: tuple[str, ...] = ()
    grids: tuple[str, ...] = ()
    gridless_in: tuple[str, ...] = ()
    """Communities whose tickets without a grid they hold as the duty worker."""
    assignees: tuple[str, ...] = ()


def scope_of(person: Staff, directory: Directory) -> TicketScope:
    if person.role is Role.STREET_LEADER:
        return TicketScope(everything=True)
    if person.role is Role.COMMUNITY_LEADER:
        return TicketScope(communities=tuple(person.communities), assignees=(person.id,))
    stand_in_for = tuple(s.id for s in directory.staff.values()
                         if s.backup == person.id and s.on_leave)
    duty = tuple(c.code for c in directory.communities.values() if c.duty_worker == person.id)
    return TicketScope(grids=tuple(person.grids), gridless_in=duty,
                       assignees=(person.id, *stand_in_for))


def in_scope(scope: TicketScope, community: str, grid: str | None, assignee: str | None) -> bool:
    return (
        scope.everything
        or community in scope.communities
        or (grid is not None and grid in scope.grids)
        or (grid is None and community in scope.gridless_in)
        or (assignee is not None and assignee in scope.assignees)
    )


def may_act(person: Staff, directory: Directory, community: str, grid: str | None,
            assignee: str | None) -> bool:
    """The core's rule (handlers.actions.is_responsible) without a turn."""
    if person.id == assignee:
        return True
    holder = directory.staff.get(assignee or "")
    if holder is not None and holder.backup == person.id:
        return True
    return directory.covers(person, community, grid)


def may_see_personal(person: Staff, directory: Directory, community: str, grid: str | None,
                     assignee: str | None, roles: frozenset[Role] = DEFAULT_PERSONAL_DATA_ROLES,
                     ) -> bool:
    return person.role in roles and may_act(person, directory, community, grid, assignee)


def can_manage(admin: Staff, person: Staff, directory: Directory) -> bool:
    """Who may issue binding codes for (and unbind) whom: oneself, and those one leads."""
    if admin.id == person.id or admin.role is Role.STREET_LEADER:
        return True
    if admin.role is Role.COMMUNITY_LEADER:
        return person.role is not Role.STREET_LEADER and bool(
            set(directory.communities_in_scope(person)) & set(admin.communities))
    if admin.role is Role.GRID_LEADER:
        return person.role is Role.GRID_WORKER and bool(set(person.grids) & set(admin.grids))
    return False


# --- masking ------------------------------------------------------------------
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(0\d{2,3})[\s-]?(\d{7,8})(?!\d)|(?<![\d-])(\d{7,8})(?![\d-])")
_ROOM = re.compile(r"(?<!\d)(\d{1,3})\s*[-－—]\s*(\d{1,2})\s*[-－—]\s*(\d{3,4})(?!\d)"
                   r"|(?<!\d)\d{3,4}\s*(?=室|房|户)")


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    digits = re.sub(r"\D", "", phone)
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 11 else "****"


def mask_name(name: str | None) -> str:
    name = (name or "").strip()
    return f"{name[0]}**" if name else "居民"


def redact(text: str) -> str:
    """A resident's words without phone numbers or rooms, for staff without the right."""
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    text = _LANDLINE.sub("****", text)
    return _ROOM.sub(lambda m: f"{m.group(1)}-{m.group(2)}-***" if m.group(1) else "***", text)


# --- deadlines ---------------------------------------------------------------
def next_deadline(status: Status, ack_due: datetime | None, resolve_due: datetime | None,
                  ) -> datetime | None:
    if status not in OPEN_STATUSES:
        return None
    return ack_due if status in AWAITING_ACK and ack_due is not None else resolve_due


def is_overdue(status: Status, ack_due: datetime | None, resolve_due: datetime | None,
               now: datetime) -> bool:
    due = next_deadline(status, ack_due, resolve_due)
    late_resolve = status in OPEN_STATUSES and resolve_due is not None and resolve_due < now
    return (due is not None and due < now) or late_resolve
