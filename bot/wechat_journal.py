"""The WeChat platform's side of the inbound journal (``bot.platform.InboundJournal``).

The gateway pushes each message event once and replays nothing, so the platform
notes every message id as it arrives and forgets it once the sink has stored the
message; ids still noted when the process died are read again from the gateway by
the next process.

Writes are batched into one transaction: ids that arrived are written within
``NOTE_DELAY`` (a process killed sooner forgets those), ids that were stored are
forgotten within ``FORGET_DELAY`` (a process killed sooner makes the next one read
them again, which the store's redelivery key makes harmless). If the database is
away the batch waits and is written later. Without a journalling sink this does nothing.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger(__name__)

NOTE_DELAY = 0.02
FORGET_DELAY = 1.0
RETRY_DELAY = 1.0


class Journal:
    def __init__(self, sink: Any, platform: str) -> None:
        methods = ("journal_update", "journal_pending")
        self._store = sink if all(hasattr(sink, m) for m in methods) else None
        self.platform = platform
        self._to_note: dict[str, None] = {}
        self._to_forget: dict[str, None] = {}
        self._timer: asyncio.TimerHandle | None = None
        self._due = 0.0
        self.known: set[str] = set()
        """Ids this process holds (in hand, or handed over and not yet forgotten)."""

    @property
    def enabled(self) -> bool:
        return self._store is not None

    def noted(self, message_id: str) -> None:
        if self._store is None or message_id in self.known:
            return
        self.known.add(message_id)
        self._to_note[message_id] = None
        self._flush_within(NOTE_DELAY)

    def done(self, message_id: str) -> None:
        if self._store is None:
            return
        self.known.discard(message_id)
        if message_id in self._to_note:
            del self._to_note[message_id]  # never written: nothing to forget
        else:
            self._to_forget[message_id] = None
            self._flush_within(FORGET_DELAY)

    def backlog(self) -> list[str]:
        """Ids a previous process noted and never handed over, oldest first."""
        if self._store is None:
            return []
        try:
            pending = self._store.journal_pending(self.platform)
        except Exception as exc:
            log.warning("wechat: could not read the inbound journal (%s)", exc)
            return []
        fresh = [m for m in pending if m not in self.known]
        self.known.update(fresh)
        return fresh

    def flush(self) -> bool:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._store is None or not (self._to_note or self._to_forget):
            return True
        noted, forgotten = list(self._to_note), list(self._to_forget)
        try:
            self._store.journal_update(self.platform, noted, forgotten)
        except Exception as exc:
            log.warning("wechat: could not write the inbound journal (%s); trying again", exc)
            self._flush_within(RETRY_DELAY)
            return False
        for message_id in noted:
            self._to_note.pop(message_id, None)
        for message_id in forgotten:
            self._to_forget.pop(message_id, None)
        return True

    def _flush_within(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        due = loop.time() + seconds
        if self._timer is not None and self._due <= due:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._due = due
        self._timer = loop.call_at(due, self.flush)
