"""The inbound journal: message ids a platform has received and not yet handed over.

WeChat's gateway pushes each event once and keeps no backlog; a process killed with
events in hand would forget them. Noting the ids first lets the next process read
those messages again from the gateway (which keeps payloads by id) and hand them over;
the store's redelivery key makes a second hand-over harmless."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlmodel import Session

from storage.database import insert_for
from storage.tables import InboundJournal


def note(session: Session, platform: str, message_ids: list[str], now: datetime) -> None:
    if message_ids:
        session.execute(
            insert_for(session, InboundJournal).on_conflict_do_nothing(
                index_elements=["platform", "message_id"]),
            [{"platform": platform, "message_id": m[:128], "received_at": now} for m in message_ids],
        )


def pending(session: Session, platform: str, limit: int = 10_000) -> list[str]:
    statement = (
        select(InboundJournal.message_id)
        .where(InboundJournal.platform == platform)
        .order_by(InboundJournal.received_at, InboundJournal.message_id)  # type: ignore[arg-type]
        .limit(limit)
    )
    return list(session.execute(statement).scalars())


def forget(session: Session, platform: str, message_ids: list[str]) -> None:
    if message_ids:
        session.execute(delete(InboundJournal).where(
            InboundJournal.platform == platform,  # type: ignore[arg-type]
            InboundJournal.message_id.in_([m[:128] for m in message_ids]),  # type: ignore[attr-defined]
        ))
