"""The sweep: carry out every timer that is due, exactly once.

Each batch is one transaction: timers are claimed (row-locked with SKIP LOCKED on
PostgreSQL), marked done, carried out, and their messages written to the outbox,
all committed together. A crash before the commit leaves them due for the next
sweep; after it, they are never done again.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.engine import Engine

from handlers.desk import Desk
from handlers.timers import DueKind
from storage import due, outbox
from storage.database import session_scope
from storage.repository import SqlTicketStore

log = logging.getLogger(__name__)


def sweep(engine: Engine, desk: Desk, now: datetime, batch: int = 500) -> list[int]:
    """Carry out what is due at ``now``; returns the outbox rows to deliver at once."""
    ready: list[outbox.OutboxRow] = []
    while True:
        with session_scope(engine) as session:
            store = SqlTicketStore(session)
            items = due.claim(session, now, batch)
            due.mark_done(session, items, now)
            store.preload_tickets(sorted({item.ticket_id for item in items}))
            replies = []
            for item in items:
                replies += desk.handle_due(store, item.ticket_id, DueKind(item.kind), now)
            ready += outbox.enqueue(session, replies, now)
        if len(items) < batch:
            return ready
