"""What ``griddesk doctor`` reports: dead letters, the outbox backlog, the last
message per platform, timers behind schedule, running bot processes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from storage import dead_letters, processes
from storage.tables import (
    BotProcess,
    DeadLetter,
    DueItemRow,
    InboundJournal,
    InboundMessage,
    OutboxRow,
)


@dataclass(frozen=True)
class OutboxHealth:
    waiting: int
    """Due now and not sent."""
    oldest_waiting: datetime | None
    failing: int
    """Tried at least once and not sent."""
    last_error: str
    held: int
    """Waiting for their time (quiet hours) or a retry."""


@dataclass(frozen=True)
class Health:
    now: datetime
    dead_letters: list[DeadLetter]
    outbox: OutboxHealth
    last_message: dict[str, datetime]
    timers_behind: int
    oldest_timer_behind: datetime | None
    journal_backlog: int
    processes: list[BotProcess]


def _scalar(session: Session, statement: object) -> object:
    return session.execute(statement).scalar_one()  # type: ignore[call-overload]


def outbox_health(session: Session, now: datetime) -> OutboxHealth:
    unsent = OutboxRow.sent_at.is_(None)  # type: ignore[union-attr]
    due = OutboxRow.deliver_after <= now  # type: ignore[operator]
    waiting, oldest = session.execute(
        select(func.count(), func.min(OutboxRow.created_at)).where(unsent, due)).one()
    failing = int(_scalar(session, select(func.count()).select_from(OutboxRow)  # type: ignore[arg-type]
                          .where(unsent, OutboxRow.attempts > 0)))  # type: ignore[operator]
    last_error = session.execute(
        select(OutboxRow.last_error).where(unsent, OutboxRow.attempts > 0)  # type: ignore[operator]
        .order_by(OutboxRow.id.desc()).limit(1)).scalar_one_or_none()  # type: ignore[union-attr]
    held = int(_scalar(session, select(func.count()).select_from(OutboxRow)  # type: ignore[arg-type]
                       .where(unsent, OutboxRow.deliver_after > now)))  # type: ignore[operator]
    return OutboxHealth(int(waiting), _aware(oldest) if oldest else None, failing, last_error or "", held)


def check(session: Session, now: datetime, timer_slack: timedelta) -> Health:
    last = {
        platform: when
        for platform, when in session.execute(
            select(InboundMessage.platform,
                   func.max(func.coalesce(InboundMessage.received_at, InboundMessage.sent_at)))
            .group_by(InboundMessage.platform)
        ).all()
        if when is not None
    }
    late = (DueItemRow.done_at.is_(None), DueItemRow.due_at < now - timer_slack)  # type: ignore[union-attr,operator]
    behind, oldest_behind = session.execute(select(func.count(), func.min(DueItemRow.due_at)).where(*late)).one()
    backlog = int(_scalar(session, select(func.count()).select_from(InboundJournal)))  # type: ignore[arg-type]
    return Health(
        now=now,
        dead_letters=dead_letters.waiting(session),
        outbox=outbox_health(session, now),
        last_message={p: _aware(w) for p, w in last.items()},
        timers_behind=int(behind),
        oldest_timer_behind=_aware(oldest_behind) if oldest_behind else None,
        journal_backlog=backlog,
        processes=processes.all_processes(session),
    )


def _aware(value: datetime | str) -> datetime:
    """Aggregates skip the column type: SQLite hands back naive UTC (or text)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
