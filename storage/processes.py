"""Bot processes and their heartbeats: who holds outbox rows, and who is gone.

A process registers at start and beats every ``HEARTBEAT``; rows it claimed are free
for others once it has not beaten for ``PROCESS_TIMEOUT`` — or at once when it is
known to be dead (a previous incarnation on the same host, see ``bot/runtime.py``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlmodel import Session

from storage.tables import BotProcess

HEARTBEAT = timedelta(seconds=1)
PROCESS_TIMEOUT = timedelta(seconds=5)


def register(session: Session, process_id: str, host: str, pid: int, incarnation: str,
             platforms: list[str], now: datetime) -> None:
    session.merge(BotProcess(id=process_id, host=host[:128], pid=pid, incarnation=incarnation[:64],
                             platforms=",".join(platforms)[:128], started_at=now, heartbeat_at=now))


def beat(session: Session, process_id: str, now: datetime) -> bool:
    """False if the row was gone (someone took us for dead): the caller registers again."""
    result = session.execute(
        update(BotProcess).where(BotProcess.id == process_id).values(heartbeat_at=now)  # type: ignore[arg-type]
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def retire(session: Session, process_ids: list[str]) -> None:
    if process_ids:
        session.execute(delete(BotProcess).where(BotProcess.id.in_(process_ids)))  # type: ignore[attr-defined]


def on_host(session: Session, host: str) -> list[BotProcess]:
    return list(session.execute(select(BotProcess).where(BotProcess.host == host)).scalars())


def all_processes(session: Session) -> list[BotProcess]:
    return list(session.execute(select(BotProcess).order_by(BotProcess.started_at)).scalars())  # type: ignore[arg-type]
