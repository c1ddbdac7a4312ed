"""The one narrow port every chat platform implements, and the sink it feeds.

A platform translates native events into ``Inbound``/``ButtonPress`` and hands them
to the sink; it turns ``Outbound`` into a native send. No conversation logic lives
in a platform module.
"""

from __future__ import annotations

from typing import Protocol

from handlers.messages import ButtonPress, Inbound, Outbound


class DeliveryError(Exception):
    """A send that did not reach the platform; the outbox keeps it and retries."""


class NotStored(Exception):
    """The sink could not store what it was given (the database is unreachable). The
    platform must not confirm it: Telegram keeps the update (the offset does not move
    past it), WeChat holds the message; both offer it again after a pause."""


class InboundSink(Protocol):
    async def on_message(self, message: Inbound) -> None:
        """Store and handle one inbound message; replies go out through ``Platform.send``.
        Returns once the message is stored (handled, or kept as a dead letter); raises
        ``NotStored`` (or anything else) when it is not, and then it must be offered again."""

    async def on_button(self, press: ButtonPress) -> str | None:
        """Handle a button press; returns a short notice to show the presser, if any.
        Raises like ``on_message`` when the press was not stored."""


class InboundJournal(Protocol):
    """What a platform that is pushed each event only once (WeChat) notes as soon as
    an event arrives, so a process that dies before storing it does not forget it."""

    def journal_update(self, platform: str, noted: list[str], forgotten: list[str]) -> None:
        """Note ids that arrived and forget ids that were stored, in one transaction."""

    def journal_pending(self, platform: str) -> list[str]: ...


class Platform(Protocol):
    name: str
    """"console", "telegram" or "wechat": the ``platform`` field of messages."""

    async def start(self, sink: InboundSink) -> None:
        """Connect and begin delivering events to ``sink``; returns once running."""

    async def stop(self) -> None: ...

    async def send(self, message: Outbound) -> str:
        """Deliver one message; returns the platform's message id or raises DeliveryError."""
