"""The neutral messages that cross the edge between a chat platform and the core.

Every platform module in ``bot/`` translates its native events into ``Inbound`` or
``ButtonPress`` and turns each ``Outbound`` back into a native send. Platform ids
are kept as strings; anything else a platform needs travels in ``extras``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class MessageKind(StrEnum):
    TEXT = "text"
    IMAGE = "image"
    VOICE = "voice"
    OTHER = "other"


@dataclass(frozen=True)
class Inbound:
    """One message somebody posted, as the core sees it."""

    platform: str
    chat_id: str
    message_id: str
    sender_id: str
    sender_name: str
    text: str
    sent_at: datetime
    is_private: bool = False
    kind: MessageKind = MessageKind.TEXT
    reply_to_message_id: str | None = None
    """Platform id of the message this one answers (Telegram reply, WeChat quote)."""
    quoted_text: str | None = None
    """Text of the quoted message where the platform only gives text (WeChat 引用)."""
    from_bot: bool = False
    extras: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Button:
    label: str
    action: str
    """Opaque to platforms: "<verb>:<ticket id>", e.g. "ack:17" or "rate:17:1"."""


@dataclass(frozen=True)
class ButtonPress:
    platform: str
    chat_id: str
    message_id: str
    sender_id: str
    sender_name: str
    action: str
    pressed_at: datetime
    extras: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Outbound:
    """Something the core wants said. ``private`` means chat_id is a person, not a group."""

    platform: str
    chat_id: str
    text: str
    private: bool = False
    buttons: tuple[Button, ...] = ()
    reply_to_message_id: str | None = None
    ticket_id: int | None = None
    """Set when replies to this message should be understood as about that ticket."""
    card_id: int | None = None
    """Likewise for a "可能的诉求" card sent to a worker."""
    image_png: bytes | None = None
    not_before: datetime | None = None
    """Hold until then (quiet hours); None means at once."""
    edit_buttons_of: str | None = None
    """Not a new message: replace the buttons of this earlier one with ``buttons``
    (none left: remove them), once a button was used. Platforms without buttons skip it."""
    urgent: bool = False
    """About an emergency: the outbox retries it within seconds and sends it first
    after a restart."""
