"""Ticket timers in the database: planned by the core, claimed by the sweep."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlmodel import Session

from storage.tables import DueItemRow

CLAIM_LEASE = timedelta(minutes=5)


def claim(session: Session, now: datetime, limit: int = 500) -> list[DueItemRow]:
    """Pending timers that are due, oldest first. On PostgreSQL the rows stay locked
    (SKIP LOCKED) until this transaction ends, so two bots never take the same one."""
    statement = (
        select(DueItemRow)
        .where(DueItemRow.done_at.is_(None), DueItemRow.due_at <= now)  # type: ignore[union-attr,operator]
        .order_by(DueItemRow.due_at, DueItemRow.id)  # type: ignore[arg-type]
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True, of=DueItemRow)  # type: ignore[arg-type]
    return list(session.execute(statement).scalars())


def mark_done(session: Session, items: list[DueItemRow], now: datetime) -> None:
    if items:
        table = DueItemRow.__table__  # type: ignore[attr-defined]
        session.connection().execute(
            update(table).where(table.c.id.in_([i.id for i in items])).values(done_at=now)
        )


def pending(session: Session, ticket_id: int) -> list[DueItemRow]:
    return list(
        session.execute(
            select(DueItemRow)
            .where(DueItemRow.ticket_id == ticket_id, DueItemRow.done_at.is_(None))  # type: ignore[arg-type,union-attr]
            .order_by(DueItemRow.due_at)  # type: ignore[arg-type]
        ).scalars()
    )


_TABLE = DueItemRow.__table__  # type: ignore[attr-defined]
_PENDING_OF = select(_TABLE.c.id, _TABLE.c.kind, _TABLE.c.due_at).where(
    _TABLE.c.ticket_id == bindparam("ticket_id"), _TABLE.c.done_at.is_(None))


def drop_pending_except(session: Session, ticket_id: int, keep: set[tuple[str, datetime]]) -> None:
    """One read and at most one delete per re-plan (it runs on every change of state)."""
    connection = session.connection()
    stale = [row.id for row in connection.execute(_PENDING_OF, {"ticket_id": ticket_id})
             if (row.kind, row.due_at) not in keep]
    if stale:
        connection.execute(delete(_TABLE).where(_TABLE.c.id.in_(stale)))
