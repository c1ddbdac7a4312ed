"""Dead letters: what could not be handled after every retry, kept whole with its
error until ``griddesk replay-dead`` handles it."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session

from handlers.messages import ButtonPress, Inbound, MessageKind
from storage.database import insert_for
from storage.tables import DeadLetter

MESSAGE = "message"
BUTTON = "button"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _revive(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__datetime__"}:
            return datetime.fromisoformat(value["__datetime__"])
        return {k: _revive(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_revive(v) for v in value]
    return value


def encode(item: Inbound | ButtonPress) -> str:
    return json.dumps(_plain(asdict(item)), ensure_ascii=False)


def decode(kind: str, payload: str) -> Inbound | ButtonPress:
    data = _revive(json.loads(payload))
    if kind == BUTTON:
        return ButtonPress(**{f.name: data[f.name] for f in fields(ButtonPress) if f.name in data})
    data["kind"] = MessageKind(data.get("kind", "text"))
    return Inbound(**{f.name: data[f.name] for f in fields(Inbound) if f.name in data})


def keep(session: Session, item: Inbound | ButtonPress, error: str, attempts: int,
         now: datetime) -> None:
    """Store (or refresh) the dead letter for ``item``."""
    kind = BUTTON if isinstance(item, ButtonPress) else MESSAGE
    values = {
        "platform": item.platform, "chat_id": item.chat_id[:128], "message_id": item.message_id[:128],
        "kind": kind, "payload": encode(item), "error": error[:2000], "attempts": attempts,
        "failed_at": now, "replayed_at": None,
    }
    statement = insert_for(session, DeadLetter).values(**values)
    session.execute(statement.on_conflict_do_update(
        index_elements=["platform", "chat_id", "message_id", "kind"],
        set_={"payload": statement.excluded.payload, "error": statement.excluded.error,
              "attempts": DeadLetter.attempts + statement.excluded.attempts,
              "failed_at": statement.excluded.failed_at, "replayed_at": None},
    ))


def waiting(session: Session, ids: list[int] | None = None) -> list[DeadLetter]:
    statement = select(DeadLetter).where(DeadLetter.replayed_at.is_(None))  # type: ignore[union-attr]
    if ids:
        statement = statement.where(DeadLetter.id.in_(ids))  # type: ignore[union-attr]
    return list(session.execute(statement.order_by(DeadLetter.id)).scalars())  # type: ignore[arg-type]


def replayed(session: Session, letter_id: int, now: datetime) -> None:
    session.execute(update(DeadLetter).where(DeadLetter.id == letter_id)  # type: ignore[arg-type]
                    .values(replayed_at=now))


def failed_again(session: Session, letter_id: int, error: str, now: datetime) -> None:
    session.execute(update(DeadLetter).where(DeadLetter.id == letter_id)  # type: ignore[arg-type]
                    .values(error=error[:2000], failed_at=now, attempts=DeadLetter.attempts + 1))
