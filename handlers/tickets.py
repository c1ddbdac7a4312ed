"""Tickets and their life cycle: the allowed transitions live here and only here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from handlers.categories import Category, EmergencyKind, Urgency


class Status(StrEnum):
    NEW = "new"
    ASSIGNED = "assigned"
    ACKNOWLEDGED = "acknowledged"
    TRANSFERRED = "transferred"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    REOPENED = "reopened"
    CLOSED = "closed"
    MERGED = "merged"
    WITHDRAWN = "withdrawn"
    DISMISSED = "dismissed"
    """Staff found no problem or no request (误报 / 不是诉求): closed, never counted as resolved."""


STATUS_LABELS: dict[Status, str] = {
    Status.NEW: "新建",
    Status.ASSIGNED: "已派单,待接单",
    Status.ACKNOWLEDGED: "处理中",
    Status.TRANSFERRED: "已转派,待接单",
    Status.ESCALATED: "已上报",
    Status.RESOLVED: "已解决,待评价",
    Status.REOPENED: "重新处理中",
    Status.CLOSED: "已办结",
    Status.MERGED: "已合并",
    Status.WITHDRAWN: "已撤销",
    Status.DISMISSED: "经核实无需处理,已关闭",
}

_WORKING = {Status.ACKNOWLEDGED, Status.ESCALATED, Status.REOPENED}
_WAITING = {Status.ASSIGNED, Status.TRANSFERRED}

ALLOWED: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.ASSIGNED, Status.MERGED, Status.WITHDRAWN, Status.DISMISSED}),
    Status.ASSIGNED: frozenset(
        {Status.ACKNOWLEDGED, Status.TRANSFERRED, Status.ESCALATED, Status.RESOLVED,
         Status.MERGED, Status.WITHDRAWN, Status.DISMISSED}
    ),
    Status.TRANSFERRED: frozenset(
        {Status.ACKNOWLEDGED, Status.TRANSFERRED, Status.ESCALATED, Status.RESOLVED,
         Status.MERGED, Status.WITHDRAWN, Status.DISMISSED}
    ),
    Status.ACKNOWLEDGED: frozenset(
        {Status.TRANSFERRED, Status.ESCALATED, Status.RESOLVED, Status.MERGED, Status.WITHDRAWN,
         Status.DISMISSED}
    ),
    Status.ESCALATED: frozenset(
        {Status.ACKNOWLEDGED, Status.TRANSFERRED, Status.ESCALATED, Status.RESOLVED,
         Status.WITHDRAWN, Status.DISMISSED}
    ),
    Status.REOPENED: frozenset(
        {Status.ACKNOWLEDGED, Status.TRANSFERRED, Status.ESCALATED, Status.RESOLVED,
         Status.WITHDRAWN, Status.DISMISSED}
    ),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.REOPENED}),
    Status.CLOSED: frozenset({Status.REOPENED}),
    Status.MERGED: frozenset(),
    Status.WITHDRAWN: frozenset(),
    Status.DISMISSED: frozenset(),
}

OPEN_STATUSES = frozenset(_WORKING | _WAITING | {Status.NEW})


class InvalidTransition(Exception):
    def __init__(self, current: Status, target: Status) -> None:
        super().__init__(f"{current} → {target} is not allowed")
        self.current = current
        self.target = target


@dataclass(frozen=True)
class Reporter:
    platform: str
    user_id: str
    name: str
    chat_id: str
    unit: str | None = None
    room: str | None = None
    phone: str | None = None
    """A household's own place and phone, for the worker only (never a group)."""
    text: str = ""
    """The household's own words."""


@dataclass(frozen=True)
class TicketEvent:
    """One line of the append-only audit log."""

    ticket_id: int
    at: datetime
    actor: str
    """Staff id, "resident:<platform>:<user id>", or "system"."""
    action: str
    from_status: Status | None = None
    to_status: Status | None = None
    note: str = ""


@dataclass
class Ticket:
    community: str
    category: Category
    urgency: Urgency
    text: str
    platform: str
    chat_id: str
    source_message_id: str
    reporter: Reporter
    created_at: datetime
    building: str | None = None
    unit: str | None = None
    room: str | None = None
    landmark: str | None = None
    phone: str | None = None
    emergency_kind: EmergencyKind | None = None
    grid: str | None = None
    assignee: str | None = None
    status: Status = Status.NEW
    escalation_level: int = 0
    """0 grid, 1 community, 2 street."""
    households: int = 1
    acknowledged_at: datetime | None = None
    resolved_at: datetime | None = None
    closed_at: datetime | None = None
    ack_due: datetime | None = None
    resolve_due: datetime | None = None
    resolution: str = ""
    rating: str | None = None
    rated_at: datetime | None = None
    id: int | None = None
    code: int | None = None
    extras: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"#{self.code:04d}" if self.code is not None else "#----"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def awaiting_acknowledgement(self) -> bool:
        return self.status in _WAITING

    @property
    def awaiting_rating(self) -> bool:
        """Resolved and not yet rated: each fix is rated once (a new fix after 不满意
        asks again)."""
        return self.status is Status.RESOLVED and self.rating is None

    @property
    def is_emergency(self) -> bool:
        return self.urgency is Urgency.EMERGENCY

    def change_urgency(self, urgency: Urgency, actor: str, now: datetime) -> TicketEvent:
        """A staff correction (紧急 / 加急 / 一般) or a graver report of the same problem."""
        previous = self.urgency
        self.urgency = urgency
        if urgency is not Urgency.EMERGENCY:
            self.emergency_kind = None
        return self.note(actor, now, "urgency", f"{previous.value}→{urgency.value}")

    def change_category(self, category: Category, actor: str, now: datetime) -> TicketEvent:
        previous = self.category
        self.category = category
        return self.note(actor, now, "category", f"{previous.value}→{category.value}")

    def relocate(self, building: str | None, unit: str | None, room: str | None,
                 landmark: str | None, actor: str, now: datetime) -> TicketEvent:
        before = self.place_key()
        self.building, self.unit, self.room, self.landmark = building, unit, room, landmark
        return self.note(actor, now, "location", f"{before}→{self.place_key()}")

    def place_key(self) -> str:
        return "/".join(p or "-" for p in (self.building, self.unit, self.room, self.landmark))

    def rate(self, rating: str, actor: str, now: datetime) -> TicketEvent:
        """Record a rating; only a ticket awaiting one takes it (asked for, given once)."""
        assert self.awaiting_rating, "rate only a ticket that awaits a rating"
        self.rating = rating
        self.rated_at = now
        return self.note(actor, now, "rated", rating)

    def transition(
        self, target: Status, actor: str, now: datetime, note: str = "", action: str | None = None
    ) -> TicketEvent:
        """Move to ``target`` if the life cycle allows it; returns the audit event."""
        if target not in ALLOWED[self.status]:
            raise InvalidTransition(self.status, target)
        previous = self.status
        self.status = target
        if target is Status.ACKNOWLEDGED and self.acknowledged_at is None:
            self.acknowledged_at = now
        elif target is Status.RESOLVED:
            self.resolved_at = now
            self.resolution = note
            self.rating = self.rated_at = None  # the rating of the last fix is the one that counts
        elif target is Status.CLOSED:
            self.closed_at = now
        elif target is Status.REOPENED:
            self.resolved_at = None
            self.closed_at = None
        assert self.id is not None, "a ticket is stored before it changes state"
        return TicketEvent(
            ticket_id=self.id,
            at=now,
            actor=actor,
            action=action or target.value,
            from_status=previous,
            to_status=target,
            note=note,
        )

    def note(self, actor: str, now: datetime, action: str, note: str = "") -> TicketEvent:
        """An audited event that does not change the state (备注, co-reporter, edit)."""
        assert self.id is not None
        return TicketEvent(ticket_id=self.id, at=now, actor=actor, action=action, note=note)
