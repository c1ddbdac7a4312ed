"""One unit of work per message, button press, timer batch or digest.

It opens the session, hands the core its store, collects what the core wants said,
writes that to the outbox and commits once; ``ready`` then holds the outbox rows to
send at once (claimed for the process that did the work). Nothing is confirmed to a
platform before ``__exit__`` returned.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from types import TracebackType

from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from handlers.messages import ButtonPress, Inbound, Outbound
from storage import dead_letters, digest, due, journal, outbox, processes, retention
from storage.repository import SqlTicketStore
from storage.tables import BotProcess, ChatAlias, DeadLetter, DueItemRow, OutboxRow


class UnitOfWork:
    def __init__(self, engine: Engine, now: datetime, *, owner: str | None = None,
                 platforms: Iterable[str] | None = None, durable: bool = True) -> None:
        self.engine = engine
        self.now = now
        self.durable = durable
        """False for bookkeeping whose loss in a database crash costs at most a repeat
        (a send recorded, a heartbeat): PostgreSQL then commits without waiting for
        the disk. What is confirmed to a platform is always durable."""
        self.owner = owner
        """The bot process that will send what is ready."""
        self.platforms = list(platforms) if platforms is not None else None
        self.ready: list[OutboxRow] = []
        self._replies: list[Outbound] = []

    def __enter__(self) -> UnitOfWork:
        self.session = Session(self.engine, expire_on_commit=False)
        self.store = SqlTicketStore(self.session, self.now)
        if not self.durable and self.engine.dialect.name == "postgresql":
            self.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            if exc_type is None:
                rows = outbox.enqueue(self.session, self._replies, self.now, self.owner, self.platforms)
                self.session.commit()
                self.ready = rows
            else:
                self.session.rollback()
        finally:
            self.session.close()

    def say(self, replies: Iterable[Outbound]) -> None:
        """Replies to write to the outbox with this transaction."""
        self._replies.extend(replies)

    # --- what the runtime, the sweep and the digest job need besides the store ---------
    def record_key_only(self, message: Inbound, disposition: str) -> bool:
        return self.store.record_key_only(message, disposition)

    def record_held(self, message: Inbound, disposition: str) -> bool:
        """Stored whole, not handled (e.g. a sender who is throttled)."""
        return self.store.record_inbound(message, disposition)

    def keep_dead_letter(self, item: Inbound | ButtonPress, error: str, attempts: int) -> None:
        dead_letters.keep(self.session, item, error, attempts, self.now)

    def dead_letters(self, ids: list[int] | None = None) -> list[DeadLetter]:
        """Dead letters not yet replayed (those of ``ids`` only, if given)."""
        return dead_letters.waiting(self.session, ids)

    def dead_letter_replayed(self, letter_id: int) -> None:
        dead_letters.replayed(self.session, letter_id, self.now)

    def dead_letter_failed_again(self, letter_id: int, error: str) -> None:
        dead_letters.failed_again(self.session, letter_id, error, self.now)

    def take_due_timers(self, limit: int) -> list[DueItemRow]:
        """Claim due timers and mark them done, all in this transaction."""
        items = due.claim(self.session, self.now, limit)
        due.mark_done(self.session, items, self.now)
        return items

    def claim_digest(self, staff_id: str, kind: str, period_start: datetime) -> bool:
        return digest.claim_digest(self.session, staff_id, kind, period_start, self.now)

    def alias_chat(self, platform: str, chat_id: str, configured_chat_id: str) -> None:
        self.session.merge(ChatAlias(platform=platform, chat_id=chat_id,
                                     configured_chat_id=configured_chat_id))

    def chat_aliases(self) -> list[ChatAlias]:
        return list(self.session.execute(select(ChatAlias)).scalars())

    def purge_older_than(self, cutoff: datetime) -> retention.Purged:
        return retention.purge(self.session, cutoff)

    # --- the outbox's bookkeeping ------------------------------------------------------
    def claim_outbox(self, limit: int) -> list[OutboxRow]:
        """Rows due now that no other live process holds, claimed for ``owner``."""
        return outbox.claim_due(self.session, self.platforms or [], self.now, limit, owner=self.owner)

    def record_sent(self, sent: list[tuple[OutboxRow, str]]) -> None:
        outbox.mark_sent(self.session, sent, self.now)

    def record_failed(self, row: OutboxRow, error: str) -> None:
        outbox.mark_failed(self.session, row, error, self.now)

    def expedite_urgent(self) -> int:
        return outbox.expedite_urgent(self.session, self.now)

    # --- bot processes ---------------------------------------------------------------
    def register_process(self, host: str, pid: int, incarnation: str) -> None:
        assert self.owner is not None
        processes.register(self.session, self.owner, host, pid, incarnation, self.platforms or [],
                           self.now)

    def heartbeat(self) -> bool:
        assert self.owner is not None
        return processes.beat(self.session, self.owner, self.now)

    def processes_on(self, host: str) -> list[BotProcess]:
        return processes.on_host(self.session, host)

    def retire_processes(self, process_ids: list[str]) -> None:
        """Forget processes known to be gone; what they held is free at once."""
        processes.retire(self.session, process_ids)

    def stop_process(self) -> None:
        assert self.owner is not None
        outbox.release(self.session, self.owner)
        processes.retire(self.session, [self.owner])

    # --- the inbound journal -----------------------------------------------------------
    def note_journal(self, platform: str, message_ids: list[str]) -> None:
        journal.note(self.session, platform, message_ids, self.now)

    def journal_pending(self, platform: str) -> list[str]:
        return journal.pending(self.session, platform)

    def forget_journal(self, platform: str, message_ids: list[str]) -> None:
        journal.forget(self.session, platform, message_ids)
