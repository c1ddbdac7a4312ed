"""The outbox: replies are stored in the same transaction as the change that caused
them, then delivered; a failed send stays pending and is retried, never lost."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session

from handlers.messages import Button, Outbound
from storage.database import insert_for
from storage.processes import PROCESS_TIMEOUT
from storage.tables import BotProcess, CardLink, MessageLink, OutboxRow

MAX_BACKOFF = timedelta(minutes=10)
PATIENT_ATTEMPTS = 20
SLOW_RETRY = timedelta(hours=6)
log = logging.getLogger(__name__)


SEND_LEASE = timedelta(seconds=60)
"""How long a live process holds rows it is sending: a backstop for a process that
beats but hangs. A process that stopped beating loses its rows at once."""
URGENT_MAX_BACKOFF = timedelta(seconds=10)


def enqueue(
    session: Session,
    messages: list[Outbound],
    now: datetime,
    owner: str | None = None,
    platforms: Iterable[str] | None = None,
) -> list[OutboxRow]:
    """Store replies; returns the rows to send now. With an ``owner`` (a bot process)
    those rows are claimed for it — for the platforms it runs — so no one else sends
    them while it does. Held messages (quiet hours) wait for the flush once their
    time comes."""
    mine = set(platforms) if platforms is not None else None
    rows = []
    for m in messages:
        claimed = owner is not None and not _held(m, now) and (mine is None or m.platform in mine)
        rows.append(OutboxRow(
            platform=m.platform,
            chat_id=m.chat_id,
            text=m.text,
            private=m.private,
            buttons=json.dumps([[b.label, b.action] for b in m.buttons], ensure_ascii=False),
            reply_to_message_id=m.reply_to_message_id,
            ticket_id=m.ticket_id,
            card_id=m.card_id,
            edit_buttons_of=m.edit_buttons_of,
            image_png=m.image_png,
            created_at=now,
            deliver_after=m.not_before if _held(m, now) else now,
            claimed_by=owner if claimed else None,
            claimed_until=now + SEND_LEASE if claimed else None,
            urgent=m.urgent,
        ))
    session.add_all(rows)
    session.flush()
    return [r for r, m in zip(rows, messages, strict=True) if not _held(m, now)]


def _held(message: Outbound, now: datetime) -> bool:
    return message.not_before is not None and message.not_before > now


def to_outbound(row: OutboxRow) -> Outbound:
    return Outbound(
        platform=row.platform,
        chat_id=row.chat_id,
        text=row.text,
        private=row.private,
        buttons=tuple(Button(label, action) for label, action in json.loads(row.buttons)),
        reply_to_message_id=row.reply_to_message_id,
        ticket_id=row.ticket_id,
        card_id=row.card_id,
        image_png=row.image_png,
        edit_buttons_of=row.edit_buttons_of,
        urgent=row.urgent,
    )


def _free_for(owner: str | None, now: datetime) -> ColumnElement[bool]:
    """Not held by a live process other than ``owner``."""
    alive = select(BotProcess.id).where(BotProcess.heartbeat_at >= now - PROCESS_TIMEOUT)  # type: ignore[operator]
    return or_(
        OutboxRow.claimed_by.is_(None),  # type: ignore[union-attr]
        OutboxRow.claimed_by == owner,
        OutboxRow.claimed_until <= now,  # type: ignore[operator]
        OutboxRow.claimed_by.not_in(alive),  # type: ignore[union-attr]
    )


def claim_due(
    session: Session,
    platforms: Iterable[str],
    now: datetime,
    limit: int = 100,
    lease: timedelta = SEND_LEASE,
    owner: str | None = None,
) -> list[OutboxRow]:
    """Pending rows due now that no other live process holds, urgent ones first,
    claimed for ``owner`` (rows are locked with SKIP LOCKED while claiming on
    PostgreSQL, so two processes never take the same row)."""
    statement = (
        select(OutboxRow)
        .where(
            OutboxRow.sent_at.is_(None),  # type: ignore[union-attr]
            OutboxRow.platform.in_(list(platforms)),  # type: ignore[attr-defined]
            OutboxRow.deliver_after <= now,  # type: ignore[operator]
            _free_for(owner, now),
        )
        .order_by(OutboxRow.urgent.desc(), OutboxRow.id)  # type: ignore[attr-defined,arg-type]
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update(skip_locked=True, of=OutboxRow)  # type: ignore[arg-type]
    rows = list(session.execute(statement).scalars())
    if rows:
        session.execute(
            update(OutboxRow)
            .where(OutboxRow.id.in_([r.id for r in rows]))  # type: ignore[union-attr]
            .values(claimed_by=owner, claimed_until=now + lease)
        )
    return rows


def release(session: Session, owner: str) -> None:
    """A process going down leaves what it had not sent to whoever is still up."""
    session.execute(
        update(OutboxRow)
        .where(OutboxRow.claimed_by == owner, OutboxRow.sent_at.is_(None))  # type: ignore[union-attr]
        .values(claimed_by=None, claimed_until=None)
    )


def expedite_urgent(session: Session, now: datetime) -> int:
    """After a restart, emergency messages waiting out a backoff are tried at once."""
    result = session.execute(
        update(OutboxRow)
        .where(OutboxRow.sent_at.is_(None), OutboxRow.urgent.is_(True),  # type: ignore[union-attr,attr-defined]
               OutboxRow.deliver_after > now)  # type: ignore[operator]
        .values(deliver_after=now)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


_MARK_SENT = (
    update(OutboxRow.__table__)  # type: ignore[arg-type]
    .where(OutboxRow.__table__.c.id == bindparam("row_id"))  # type: ignore[attr-defined]
    .values(sent_at=bindparam("sent_at"), platform_message_id=bindparam("message_id"),
            attempts=bindparam("attempts"))
)


def mark_sent(session: Session, sent: list[tuple[OutboxRow, str]], now: datetime) -> None:
    """Record deliveries, and which platform messages are about which ticket."""
    if not sent:
        return
    session.connection().execute(
        _MARK_SENT,
        [{"row_id": row.id, "sent_at": now, "message_id": message_id, "attempts": row.attempts + 1}
         for row, message_id in sent],
    )
    _link(session, MessageLink, "ticket_id", sent)
    _link(session, CardLink, "card_id", sent)


def _link(session: Session, table: Any, key: str, sent: list[tuple[OutboxRow, str]]) -> None:
    """Remember which delivered messages are about a ticket (or a card), so a reply to
    one of them is understood."""
    rows = [
        {"platform": row.platform, "chat_id": row.chat_id, "message_id": message_id, key: getattr(row, key)}
        for row, message_id in sent
        if getattr(row, key) is not None and message_id
    ]
    if rows:
        session.execute(
            insert_for(session, table).on_conflict_do_nothing(index_elements=["platform", "chat_id", "message_id"]),
            rows,
        )


def mark_failed(session: Session, row: OutboxRow, error: str, now: datetime) -> None:
    """Try again later: exponential backoff up to 10 minutes (10 seconds for an
    emergency); after PATIENT_ATTEMPTS (e.g. a Telegram user who never opened a chat
    with the bot) only every 6 hours, so the message is kept, not hammered."""
    attempts = row.attempts + 1
    backoff = min(timedelta(seconds=2**attempts), URGENT_MAX_BACKOFF if row.urgent else MAX_BACKOFF)
    if attempts >= PATIENT_ATTEMPTS:
        backoff = MAX_BACKOFF if row.urgent else SLOW_RETRY
        log.error("outbox %s to %s/%s still undelivered after %d attempts: %s",
                  row.id, row.platform, row.chat_id, attempts, error[:200])
    session.execute(
        update(OutboxRow)
        .where(OutboxRow.id == row.id)  # type: ignore[arg-type]
        .values(attempts=attempts, last_error=error[:500], deliver_after=now + backoff,
                claimed_by=None, claimed_until=None)
    )


def pending_count(session: Session) -> int:
    return int(
        session.execute(
            select(func.count()).select_from(OutboxRow).where(OutboxRow.sent_at.is_(None))  # type: ignore[union-attr]
        ).scalar_one()
    )
