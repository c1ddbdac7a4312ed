"""Telegram ⇄ neutral messages: pure functions, no network.

``TelegramPlatform`` (bot/telegram.py) does the I/O; everything here can be tested
with PTB objects built in memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from telegram import (
    CallbackQuery,
    Chat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from handlers.messages import Button, ButtonPress, Inbound, MessageKind

PLATFORM = "telegram"
TEXT_LIMIT = 4096
"""Bot API limit for a message text, counted in UTF-16 code units."""
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64
"""Bot API limit for callback_data, in bytes."""
NOTICE_LIMIT = 200
BUTTONS_PER_ROW = 3
LONG_ACTION_PREFIX = "~"

_SERVICE_FIELDS = (
    "new_chat_members", "left_chat_member", "new_chat_title", "new_chat_photo",
    "delete_chat_photo", "group_chat_created", "supergroup_chat_created", "pinned_message",
    "migrate_from_chat_id", "migrate_to_chat_id",
)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def inbound_from_message(message: Message, *, edited: bool = False, update_id: int | None = None) -> Inbound | None:
    """One group or private message as the core sees it; None for what is not a
    person's message in a group or private chat (channel posts, anonymous senders)."""
    user = message.from_user
    if user is None or message.chat.type == Chat.CHANNEL:
        return None
    kind, text = _kind_and_text(message)
    extras: dict[str, Any] = {"chat_type": message.chat.type}
    if update_id is not None:
        extras["update_id"] = update_id
    if message.chat.title:
        extras["chat_title"] = message.chat.title
    if user.username:
        extras["username"] = user.username
    if message.sender_chat is not None:
        extras["sender_chat_id"] = str(message.sender_chat.id)
    if message.is_topic_message and message.message_thread_id is not None:
        extras["thread_id"] = message.message_thread_id
    file_id = _file_id(message)
    if file_id:
        extras["file_id"] = file_id
    service = next((f for f in _SERVICE_FIELDS if getattr(message, f, None)), None)
    if service:
        extras["service"] = service
    if edited:
        extras["edited"] = True
        if message.edit_date is not None:
            extras["edited_at"] = message.edit_date
    return Inbound(
        platform=PLATFORM,
        chat_id=str(message.chat.id),
        message_id=str(message.message_id),
        sender_id=str(user.id),
        sender_name=user.full_name,
        text=text,
        sent_at=message.date,
        is_private=message.chat.type == Chat.PRIVATE,
        kind=kind,
        reply_to_message_id=_replied_id(message),
        from_bot=user.is_bot,
        extras=extras,
    )


def _kind_and_text(message: Message) -> tuple[MessageKind, str]:
    caption = message.caption or ""
    if message.text is not None:
        return MessageKind.TEXT, message.text
    if message.photo or (
        message.document is not None and (message.document.mime_type or "").startswith("image/")
    ):
        return MessageKind.IMAGE, caption
    if message.voice is not None or message.audio is not None:
        return MessageKind.VOICE, caption
    return MessageKind.OTHER, caption


def _file_id(message: Message) -> str | None:
    if message.photo:
        return message.photo[-1].file_id
    for media in (message.document, message.voice, message.audio, message.video):
        if media is not None:
            return media.file_id
    return None


def _replied_id(message: Message) -> str | None:
    replied = message.reply_to_message
    if replied is None:
        return None
    # In a forum topic every message "replies" to the topic's first message.
    if message.is_topic_message and replied.message_id == message.message_thread_id:
        return None
    return str(replied.message_id)


def press_from_query(
    query: CallbackQuery, pressed_at: datetime, actions: dict[str, str] | None = None,
    *, update_id: int | None = None,
) -> ButtonPress:
    data = query.data or ""
    action = (actions or {}).get(data, data)
    message = query.message
    extras: dict[str, Any] = {"query_id": query.id}
    if update_id is not None:
        extras["update_id"] = update_id
    if query.from_user.username:
        extras["username"] = query.from_user.username
    if query.inline_message_id:
        extras["inline_message_id"] = query.inline_message_id
    return ButtonPress(
        platform=PLATFORM,
        chat_id=str(message.chat.id) if message is not None else "",
        message_id=str(message.message_id) if message is not None else (query.inline_message_id or ""),
        sender_id=str(query.from_user.id),
        sender_name=query.from_user.full_name,
        action=action,
        pressed_at=pressed_at,
        extras=extras,
    )


def callback_data(action: str) -> str:
    """The action itself when it fits in 64 bytes, else a stable short digest of it."""
    if len(action.encode("utf-8")) <= CALLBACK_DATA_LIMIT:
        return action
    return LONG_ACTION_PREFIX + hashlib.sha256(action.encode("utf-8")).hexdigest()[:40]


def keyboard(buttons: Sequence[Button]) -> tuple[InlineKeyboardMarkup | None, dict[str, str]]:
    """The inline keyboard, and the digests that stand for actions too long for callback_data."""
    if not buttons:
        return None, {}
    long_actions: dict[str, str] = {}
    row: list[InlineKeyboardButton] = []
    rows: list[list[InlineKeyboardButton]] = []
    for button in buttons:
        data = callback_data(button.action)
        if data != button.action:
            long_actions[data] = button.action
        row.append(InlineKeyboardButton(button.label, callback_data=data))
        if len(row) == BUTTONS_PER_ROW:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    return InlineKeyboardMarkup(rows), long_actions


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Parts of at most ``limit`` UTF-16 units, cut at line ends where a line allows it."""
    if utf16_len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for line in text.splitlines(keepends=True):
        while utf16_len(line) > limit:
            if current:
                parts.append(current)
                current = ""
            head = _cut(line, limit)
            parts.append(head)
            line = line[len(head):]
        if utf16_len(current) + utf16_len(line) > limit:
            parts.append(current)
            current = ""
        current += line
    if current:
        parts.append(current)
    cleaned = [p.rstrip("\n") for p in parts]
    return [p for p in cleaned if p.strip()] or [text[:limit]]


def _cut(line: str, limit: int) -> str:
    """The longest prefix of ``line`` within ``limit`` UTF-16 units (never half a surrogate pair)."""
    units = 0
    for i, ch in enumerate(line):
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit:
            return line[:i]
    return line


def chat_ref(chat_id: str) -> int | str:
    """Numeric chat ids as ints; ``@channelname`` stays a string."""
    stripped = chat_id.lstrip("-")
    return int(chat_id) if stripped.isdigit() else chat_id
