"""Builders for test payloads: ``group_message("3号楼电梯坏了")``."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.messages import ButtonPress, Inbound, MessageKind

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONDAY_9AM = datetime(2026, 11, 23, 9, 0, tzinfo=SHANGHAI)
_ids = itertools.count(1)


def group_message(
    text: str,
    chat_id: str = "jl-3",
    sender: str = "张阿姨",
    *,
    platform: str = "console",
    at: datetime = MONDAY_9AM,
    message_id: str | None = None,
    reply_to: str | None = None,
    quoted: str | None = None,
    kind: MessageKind = MessageKind.TEXT,
    edited: bool = False,
) -> Inbound:
    return Inbound(
        platform=platform,
        chat_id=chat_id,
        message_id=message_id or f"t{next(_ids)}",
        sender_id=sender,
        sender_name=sender,
        text=text,
        sent_at=at,
        kind=kind,
        reply_to_message_id=reply_to,
        quoted_text=quoted,
        extras={"edited": True} if edited else {},
    )


def private_message(text: str, sender: str, **kwargs) -> Inbound:  # type: ignore[no-untyped-def]
    """A one-to-one chat with the bot; on the console the chat id is the person's name."""
    return replace(group_message(text, chat_id=sender, sender=sender, **kwargs), is_private=True)


def button(action: str, sender: str, chat_id: str | None = None, at: datetime = MONDAY_9AM) -> ButtonPress:
    return ButtonPress("console", chat_id or sender, f"b{next(_ids)}", sender, sender, action, at)
