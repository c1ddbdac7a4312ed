"""The WeChat platform's side of the inbound journal (``bot.platform.InboundJournal``).

The gateway pushes each message event once and replays nothing, so the platform
notes every message id as it arrives and forgets it once the sink has stored the
message; ids still noted when the process died are read again from the gateway by
the next process. Writes are batched (one transaction per turn of the event loop)
and retried if the database is away; without a journalling sink this does nothing.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

log = logging.getLogger(__name__)

RETRY_SECONDS = 1.0


class Journal:
    def __init__(self, sink: Any, platform: str) -> None:
        methods = ("journal_note", "journal_pending", "journal_forget")
        self._store = sink if all(hasattr(sink, m) for m in methods) else None
        self.platform = platform
        self._to_note: dict[str, None] = {}
        self._to_forget: dict[str, None] = {}
        self._scheduled = False
        self.known: set[str] = set()
        """Ids this process holds (in hand, or already handed over but not yet forgotten)."""

    @property
    def enabled(self) -> bool:
        return self._store is not None

    def noted(self, message_id: str) -> None:
        if self._store is None or message_id in self.known:
            return
        self.known.add(message_id)
        self._to_note[message_id] = None
        self._schedule()

    def done(self, message_id: str) -> None:
        if self._store is None:
            return
        self.known.discard(message_id)
        if message_id in self._to_note:
            del self._to_note[message_id]  # never written: nothing to forget
        else:
            self._to_forget[message_id] = None
        self._schedule()

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
        self._scheduled = False
        if self._store is None or not (self._to_note or self._to_forget):
            return True
        try:
            if self._to_note:
                self._store.journal_note(self.platform, list(self._to_note))
                self._to_note.clear()
            if self._to_forget:
                self._store.journal_forget(self.platform, list(self._to_forget))
                self._to_forget.clear()
        except Exception as exc:
            log.warning("wechat: could not write the inbound journal (%s); trying again", exc)
            self._scheduled = True
            asyncio.get_running_loop().call_later(RETRY_SECONDS, self.flush)
            return False
        return True

    def _schedule(self) -> None:
        if not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self.flush)
