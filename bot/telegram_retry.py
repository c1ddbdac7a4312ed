"""How the Telegram platform retries a Bot API call: exponential backoff for network
trouble, Telegram's own ``retry_after`` for flood control, no retry for a request
Telegram refuses. The sleep is injected so tests never wait."""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TypeVar

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)

log = logging.getLogger(__name__)

T = TypeVar("T")
Sleep = Callable[[float], Awaitable[None]]


@dataclass
class Retrier:
    sleep: Sleep = field(default=asyncio.sleep)
    max_attempts: int = 5
    backoff: float = 0.5
    max_backoff: float = 30.0
    max_flood_wait: float = 60.0
    """A longer flood-control wait is not sat out in line: the send fails now and the
    outbox retries it later, so one throttled group does not hold up the others."""

    def delay(self, attempt: int) -> float:
        return float(min(self.backoff * 2 ** (attempt - 1), self.max_backoff))

    async def call(self, what: str, call: Callable[[], Awaitable[T]], *, attempts: int | None = None) -> T:
        limit = attempts or self.max_attempts
        attempt = 0
        while True:
            attempt += 1
            try:
                return await call()
            except RetryAfter as exc:
                delay = retry_after_seconds(exc)
                if attempt >= limit or delay > self.max_flood_wait:
                    raise
                log.warning("telegram: %s: flood control, waiting %.1fs", what, delay)
            except (BadRequest, ChatMigrated, Forbidden, InvalidToken):
                raise
            except NetworkError as exc:  # includes TimedOut
                if attempt >= limit:
                    raise
                delay = self.delay(attempt)
                log.warning("telegram: %s failed (%s); retry %d in %.1fs", what, exc, attempt, delay)
            await self.sleep(delay)


def retry_after_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 warns that the int form is going away
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
