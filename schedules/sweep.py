"""The sweep: carry out every timer that is due, exactly once.

Each batch is one transaction: timers are claimed (row-locked with SKIP LOCKED on
PostgreSQL), marked done, carried out, and their messages written to the outbox,
all committed together. A crash before the commit leaves them due for the next
sweep; after it, they are never done again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.engine import Engine

from handlers.desk import Desk
from handlers.timers import DueKind
from storage.tables import OutboxRow
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def sweep(engine: Engine, desk: Desk, now: datetime, batch: int = 500, *,
          owner: str | None = None, platforms: Iterable[str] | None = None) -> list[OutboxRow]:
    """Carry out what is due at ``now``; returns the outbox rows to deliver at once
    (claimed for ``owner``, the bot process that will send them)."""
    ready: list[OutboxRow] = []
    while True:
        with UnitOfWork(engine, now, owner=owner, platforms=platforms) as uow:
            items = uow.take_due_timers(batch)
            uow.store.preload_tickets(sorted({item.ticket_id for item in items}))
            for item in items:
                uow.say(desk.handle_due(uow.store, item.ticket_id, DueKind(item.kind), now))
        ready += uow.ready
        if len(items) < batch:
            return ready
