"""From ticket facts to the leaders' digest figures: which ticket counts where.

响应率: tickets created in the period, answered by their acknowledgement deadline:
        acknowledged, or fixed before anyone said 收到 (a fix is an answer too).
解决率: tickets resolved in the period, or whose resolution deadline passed in it
        unresolved (each ticket counted once), resolved by their deadline.
满意率: ratings given in the period, 满意 or 基本满意 among all ratings. A ticket
        carries the rating of its last fix: 不满意 reopens it, and the next fix is
        rated anew.
Dismissed tickets (误报 / 不是诉求), withdrawn and merged ones count nowhere.
Overdue: a deadline that passed in the period unmet. Escalated: escalated in it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from handlers.digest import CardCounts, Digest, GroupFigures, HotSpot, OverdueItem, RateCounts
from handlers.directory import Directory, Role, Staff
from handlers.tickets import Status

RATED = {"satisfied", "basically", "dissatisfied"}
NOT_COUNTED = {Status.WITHDRAWN.value, Status.MERGED.value, Status.DISMISSED.value}
HOT_SPOT_DAYS = 7
HOT_SPOT_THRESHOLD = 3


@dataclass(frozen=True)
class DigestScope:
    """What a leader sees: some grids, some communities, or everything (both None)."""

    name: str
    communities: tuple[str, ...] | None = None
    grids: tuple[str, ...] | None = None


@dataclass(frozen=True)
class TicketFacts:
    """What the digest needs of one ticket; no resident's name, phone or room."""

    id: int
    code: int
    community: str
    grid: str | None
    building: str | None
    category: str
    status: str
    assignee: str | None
    escalation_level: int
    rating: str | None
    created_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    rated_at: datetime | None
    ack_due: datetime | None
    resolve_due: datetime | None


@dataclass(frozen=True)
class DigestFacts:
    active: list[TicketFacts]
    """Every ticket with something in the period (created, acknowledged, resolved, rated, due)."""
    escalated: set[int] = field(default_factory=set)
    most_overdue: list[TicketFacts] = field(default_factory=list)
    hot_spots: list[tuple[str, str, str, int]] = field(default_factory=list)
    """(community, building, category, count) over the last HOT_SPOT_DAYS days."""
    cards: dict[str, int] = field(default_factory=dict)
    """Cards created in the period, by what became of them (pending, filed, ignored)."""


def scope_for(leader: Staff, directory: Directory) -> DigestScope | None:
    if leader.role is Role.STREET_LEADER:
        return DigestScope(directory.street_name)
    if leader.role is Role.COMMUNITY_LEADER:
        names = "、".join(directory.communities[c].name for c in leader.communities if c in directory.communities)
        return DigestScope(names, communities=tuple(leader.communities))
    if leader.role is Role.GRID_LEADER:
        names = "、".join(directory.grids[g].name for g in leader.grids if g in directory.grids)
        return DigestScope(names, grids=tuple(leader.grids))
    return None


def answered_at(f: TicketFacts) -> datetime | None:
    """When the resident first had an answer: acknowledged, or fixed straight away."""
    return min((t for t in (f.acknowledged_at, f.resolved_at) if t is not None), default=None)


def _within(t: datetime | None, start: datetime, end: datetime) -> bool:
    return t is not None and start <= t < end


def _on_time(done: datetime | None, due: datetime | None, end: datetime) -> bool:
    return done is not None and done < end and (due is None or done <= due)


class _Tally:
    """Mutable counts for one group while the facts are read; frozen at the end."""

    __slots__ = ("name", "new", "acknowledged", "resolved", "overdue", "escalated", "rates")

    def __init__(self, name: str) -> None:
        self.name = name
        self.new = self.acknowledged = self.resolved = self.overdue = self.escalated = 0
        self.rates = [0, 0, 0, 0, 0, 0]  # response, resolution, satisfaction: (total, ok)

    def add(self, f: TicketFacts, start: datetime, end: datetime, escalated: bool) -> None:
        counted = f.status not in NOT_COUNTED
        created = _within(f.created_at, start, end)
        self.new += created
        self.acknowledged += _within(f.acknowledged_at, start, end)
        self.resolved += _within(f.resolved_at, start, end)
        self.escalated += escalated
        answered = answered_at(f)
        ack_missed = _within(f.ack_due, start, end) and (
            answered is None or answered > f.ack_due)  # type: ignore[operator]
        resolve_missed = _within(f.resolve_due, start, end) and (
            f.resolved_at is None or f.resolved_at > f.resolve_due)  # type: ignore[operator]
        self.overdue += counted and (ack_missed or resolve_missed)
        still_in_time = (answered is None or answered >= end) and f.ack_due is not None and f.ack_due >= end
        if created and counted and not still_in_time:  # not yet answered, not yet late: judged later
            self.rates[0] += 1
            self.rates[1] += _on_time(answered, f.ack_due, end)
        resolved_here = _within(f.resolved_at, start, end) and (
            f.resolve_due is None or f.resolve_due >= start)
        if counted and (resolved_here or resolve_missed):
            self.rates[2] += 1
            self.rates[3] += _on_time(f.resolved_at, f.resolve_due, end)
        if f.rating in RATED and _within(f.rated_at, start, end):
            self.rates[4] += 1
            self.rates[5] += f.rating != "dissatisfied"

    def figures(self) -> GroupFigures:
        r = self.rates
        return GroupFigures(
            name=self.name, new=self.new, acknowledged=self.acknowledged, resolved=self.resolved,
            overdue=self.overdue, escalated=self.escalated, response=RateCounts(r[0], r[1]),
            resolution=RateCounts(r[2], r[3]), satisfaction=RateCounts(r[4], r[5]),
        )


def _grouped(
    facts: Iterable[TicketFacts], key: Callable[[TicketFacts], str], start: datetime, end: datetime,
    escalated: set[int],
) -> list[GroupFigures]:
    groups: dict[str, _Tally] = {}
    for f in facts:
        name = key(f)
        tally = groups.get(name)
        if tally is None:
            tally = groups[name] = _Tally(name)
        tally.add(f, start, end, f.id in escalated)
    return [groups[k].figures() for k in sorted(groups)]


AWAITING_ACK = {Status.NEW.value, Status.ASSIGNED.value, Status.TRANSFERRED.value}


def overdue_since(fact: TicketFacts, now: datetime) -> datetime:
    """The earliest deadline the ticket has missed (acknowledgement only while awaited)."""
    dues = [fact.resolve_due, fact.ack_due if fact.status in AWAITING_ACK else None]
    return min(d for d in dues if d is not None and d < now)


def build_digest(
    facts: DigestFacts, scope: DigestScope, start: datetime, end: datetime, now: datetime,
    directory: Directory,
) -> Digest:
    def grid_name(f: TicketFacts) -> str:
        grid = directory.grids.get(f.grid or "")
        return grid.name if grid else "未分网格"

    [totals] = _grouped(facts.active, lambda f: scope.name, start, end, facts.escalated) or [
        GroupFigures(scope.name)]
    overdue = [
        OverdueItem(
            code=f.code,
            category=f.category,
            grid=grid_name(f),
            holder_name=directory.staff[f.assignee].name if f.assignee in directory.staff else "未指定",
            overdue_by=now - overdue_since(f, now),
        )
        for f in facts.most_overdue
    ]
    multi_community = len(directory.communities) > 1 and scope.grids is None and (
        scope.communities is None or len(scope.communities) > 1)
    hot = [
        HotSpot(
            building=(directory.communities[c].name if multi_community and c in directory.communities else "")
            + f"{b}号楼",
            category=cat,
            count=n,
        )
        for c, b, cat, n in facts.hot_spots
    ]
    return Digest(
        scope_name=scope.name,
        period_start=start,
        period_end=end,
        totals=totals,
        by_grid=_grouped(facts.active, grid_name, start, end, facts.escalated),
        by_category=_grouped(facts.active, lambda f: f.category, start, end, facts.escalated),
        most_overdue=overdue,
        hot_spots=hot,
        hot_spot_days=HOT_SPOT_DAYS,
        cards=CardCounts(facts.cards.get("filed", 0), facts.cards.get("ignored", 0), facts.cards.get("pending", 0)),
    )


def period(now: datetime, weekly: bool) -> tuple[datetime, datetime]:
    """Yesterday (local midnight to midnight), or the seven days before today for the weekly."""
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return (today - timedelta(days=7 if weekly else 1)), today
