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


class InboundSink(Protocol):
    async def on_message(self, message: Inbound) -> None:
        """Store and handle one inbound message; replies go out through ``Platform.send``."""

    async def on_button(self, press: ButtonPress) -> str | None:
        """Handle a button press; returns a short notice to show the presser, if any."""


class Platform(Protocol):
    name: str
    """"console", "telegram" or "wechat": the ``platform`` field of messages."""

    async def start(self, sink: InboundSink) -> None:
        """Connect and begin delivering events to ``sink``; returns once running."""

    async def stop(self) -> None: ...

    async def send(self, message: Outbound) -> str:
        """Deliver one message; returns the platform's message id or raises DeliveryError."""
