"""The queries behind the leaders' digest. Each reads only a time range or the
open tickets through an index, so it stays fast on millions of tickets."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select, union_all
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from handlers.digest_build import (
    AWAITING_ACK,
    HOT_SPOT_DAYS,
    HOT_SPOT_THRESHOLD,
    DigestFacts,
    DigestScope,
    TicketFacts,
    overdue_since,
)
from handlers.tickets import OPEN_STATUSES, Status
from storage.database import insert_for
from storage.tables import CardRow, SentDigest, TicketEventRow, TicketRow


def _scope(scope: DigestScope) -> ColumnElement[bool]:
    parts: list[ColumnElement[bool]] = []
    if scope.communities is not None:
        parts.append(TicketRow.community.in_(scope.communities))  # type: ignore[attr-defined]
    if scope.grids is not None:
        parts.append(TicketRow.grid.in_(scope.grids))  # type: ignore[union-attr]
    return and_(True, *parts)


_FACT_COLUMNS = (
    TicketRow.id, TicketRow.code, TicketRow.community, TicketRow.grid, TicketRow.building,
    TicketRow.category, TicketRow.status, TicketRow.assignee, TicketRow.escalation_level,
    TicketRow.rating, TicketRow.created_at, TicketRow.acknowledged_at, TicketRow.resolved_at,
    TicketRow.rated_at, TicketRow.ack_due, TicketRow.resolve_due,
)


def _facts(rows: Sequence[tuple]) -> list[TicketFacts]:  # type: ignore[type-arg]
    return [TicketFacts(*row) for row in rows]


def _in(column: object, start: datetime, end: datetime) -> ColumnElement[bool]:
    return and_(column >= start, column < end)  # type: ignore[operator]


_BUILT: dict[tuple[str, bool, bool], Any] = {}


def _prepared(name: str, scope: DigestScope, build: Callable[[ColumnElement[bool]], Any]) -> Any:
    """A statement built once per scope shape, its scope and times bound at execution:
    a street's digests run one after another, and building them was most of their time."""
    key = (name, scope.communities is not None, scope.grids is not None)
    statement = _BUILT.get(key)
    if statement is None:
        parts: list[ColumnElement[bool]] = []
        if scope.communities is not None:
            parts.append(TicketRow.community.in_(bindparam("communities", expanding=True)))  # type: ignore[attr-defined]
        if scope.grids is not None:
            parts.append(TicketRow.grid.in_(bindparam("grids", expanding=True)))  # type: ignore[union-attr]
        statement = _BUILT[key] = build(and_(True, *parts))
    return statement


def _bound(scope: DigestScope, **values: Any) -> dict[str, Any]:
    if scope.communities is not None:
        values["communities"] = list(scope.communities)
    if scope.grids is not None:
        values["grids"] = list(scope.grids)
    return values


def active_in(session: Session, scope: DigestScope, start: datetime, end: datetime) -> list[TicketFacts]:
    """Tickets with anything in [start, end): created, acknowledged, resolved, rated, or due."""
    def build(scoped: ColumnElement[bool]) -> Any:
        start_at, end_at = bindparam("start"), bindparam("end")
        touched = or_(*(and_(column >= start_at, column < end_at) for column in (  # type: ignore[operator]
            TicketRow.created_at, TicketRow.acknowledged_at, TicketRow.resolved_at, TicketRow.rated_at,
            TicketRow.ack_due, TicketRow.resolve_due)))
        return select(*_FACT_COLUMNS).where(touched, scoped)

    statement = _prepared("active", scope, build)
    return _facts(session.execute(statement, _bound(scope, start=start, end=end)).all())


def escalated_in(session: Session, scope: DigestScope, start: datetime, end: datetime) -> set[int]:
    statement = (
        select(TicketEventRow.ticket_id)
        .join(TicketRow, TicketRow.id == TicketEventRow.ticket_id)  # type: ignore[arg-type]
        .where(TicketEventRow.action == Status.ESCALATED.value, _in(TicketEventRow.at, start, end),
               _scope(scope))
        .distinct()
    )
    return set(session.execute(statement).scalars())


def most_overdue(session: Session, scope: DigestScope, now: datetime, limit: int = 5) -> list[TicketFacts]:
    """Open tickets furthest past a deadline, found through (status, due) indexes: one
    small ordered query per status and deadline, sent as one statement."""
    def build(scoped: ColumnElement[bool]) -> Any:
        parts = []
        for status in sorted(s.value for s in OPEN_STATUSES):
            for due_column in (TicketRow.resolve_due, TicketRow.ack_due):
                if due_column is TicketRow.ack_due and status not in AWAITING_ACK:
                    continue
                part = (
                    select(*_FACT_COLUMNS)
                    .where(TicketRow.status == status, due_column < bindparam("now"), scoped)  # type: ignore[operator]
                    .order_by(due_column)
                    .limit(bindparam("limit"))
                    .subquery()
                )
                parts.append(select(part))
        return union_all(*parts)

    statement = _prepared("overdue", scope, build)
    rows = session.execute(statement, _bound(scope, now=now, limit=limit)).all()
    found = {fact.id: fact for fact in _facts(rows)}
    return sorted(found.values(), key=lambda f: overdue_since(f, now))[:limit]


def hot_spots(
    session: Session, scope: DigestScope, since: datetime, until: datetime, threshold: int = 3
) -> list[tuple[str, str, str, int]]:
    """(community, building, category, count) with ≥ threshold tickets in the window."""
    count = func.count()
    statement = (
        select(TicketRow.community, TicketRow.building, TicketRow.category, count)
        .where(_in(TicketRow.created_at, since, until), TicketRow.building.is_not(None),  # type: ignore[union-attr]
               _scope(scope))
        .group_by(TicketRow.community, TicketRow.building, TicketRow.category)
        .having(count >= threshold)
        .order_by(count.desc())
    )
    return [(c, b, cat, int(n)) for c, b, cat, n in session.execute(statement).all()]


def cards_in(session: Session, scope: DigestScope, start: datetime, end: datetime) -> dict[str, int]:
    conditions = [_in(CardRow.created_at, start, end)]
    if scope.communities is not None:
        conditions.append(CardRow.community.in_(scope.communities))  # type: ignore[attr-defined]
    if scope.grids is not None:
        conditions.append(CardRow.grid.in_(scope.grids))  # type: ignore[union-attr]
    statement = select(CardRow.status, func.count()).where(*conditions).group_by(CardRow.status)
    return {status: int(n) for status, n in session.execute(statement).all()}


def digest_facts(session: Session, scope: DigestScope, start: datetime, end: datetime,
                 now: datetime) -> DigestFacts:
    return DigestFacts(
        cards=cards_in(session, scope, start, end),
        active=active_in(session, scope, start, end),
        escalated=escalated_in(session, scope, start, end),
        most_overdue=most_overdue(session, scope, now),
        hot_spots=hot_spots(session, scope, end - timedelta(days=HOT_SPOT_DAYS), end,
                            HOT_SPOT_THRESHOLD),
    )


def claim_digest(session: Session, staff_id: str, kind: str, period_start: datetime,
                 now: datetime) -> bool:
    """True for the one process that gets to send this leader this digest."""
    statement = (
        insert_for(session, SentDigest)
        .values(staff_id=staff_id, kind=kind, period_start=period_start, sent_at=now)
        .on_conflict_do_nothing(index_elements=["staff_id", "kind", "period_start"])
        .returning(SentDigest.staff_id)
    )
    return session.execute(statement).scalar_one_or_none() is not None
