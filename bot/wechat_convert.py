"""WeChat (Wechaty puppet service) ⇄ neutral messages: pure functions, no network.

``WeChatPlatform`` (bot/wechat.py) fetches the payloads; everything here works on
plain values, so it is tested without a gateway and imports no Wechaty package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from handlers import texts
from handlers.messages import Button, Inbound, MessageKind

PLATFORM = "wechat"
IMAGE_FALLBACK = texts.IMAGE_NOT_SENT
"""Said instead of a picture (a digest chart) when the gateway cannot send files."""

# wechaty-puppet's MessageType as the Python client hands it over (wechaty-grpc names).
_KINDS = {
    "MESSAGE_TYPE_TEXT": MessageKind.TEXT,
    "MESSAGE_TYPE_IMAGE": MessageKind.IMAGE,
    "MESSAGE_TYPE_EMOTICON": MessageKind.IMAGE,
    "MESSAGE_TYPE_AUDIO": MessageKind.VOICE,
}

# WeChat's 引用 reply, as puppets render it:
#   「王芳：原来的话」
#   - - - - - - - - - - - - - - -
#   收到
_QUOTE = re.compile(
    r"\A「(?P<name>[^「」:：\n]{1,40})[:：](?P<quoted>.*)」\r?\n(?:- ?){5,}\r?\n(?P<reply>.*)\Z",
    re.DOTALL,
)
_SPACES = "\u2005\u2009\u00a0 \t"


@dataclass(frozen=True)
class Quote:
    name: str
    quoted: str
    reply: str


def split_quote(text: str) -> Quote | None:
    """The quoted name and text and the reply, when ``text`` is a WeChat quote."""
    found = _QUOTE.match(text)
    if found is None:
        return None
    return Quote(found["name"].strip(), found["quoted"].strip(), found["reply"].strip())


def strip_self_mention(text: str, self_name: str | None) -> str:
    """Drop "@<bot name>" (WeChat follows a mention with U+2005) wherever it stands."""
    if not self_name:
        return text
    pattern = re.compile("@" + re.escape(self_name) + f"(?:[{_SPACES}]+|$)")
    return pattern.sub("", text).strip(_SPACES + "\n")


def message_kind(type_name: str | None) -> MessageKind:
    return _KINDS.get(type_name or "", MessageKind.OTHER)


def sent_at(timestamp: int | float | None, now: datetime) -> datetime:
    """Puppets give seconds or milliseconds since the epoch, or nothing."""
    if not timestamp or timestamp < 0:
        return now
    seconds = timestamp / 1000 if timestamp > 100_000_000_000 else timestamp
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return now


@dataclass(frozen=True)
class Payload:
    """The few fields of a Wechaty message payload we use, already fetched."""

    message_id: str
    talker_id: str
    text: str
    type_name: str | None
    timestamp: int | float | None
    room_id: str | None = None
    room_topic: str | None = None
    talker_name: str | None = None
    mention_ids: tuple[str, ...] = ()
    filename: str | None = None


def inbound_from_payload(p: Payload, self_id: str | None, self_name: str | None,
                         now: datetime) -> Inbound | None:
    """One room or private message as the core sees it; None for the bot's own."""
    if not p.talker_id or (self_id is not None and p.talker_id == self_id):
        return None
    kind = message_kind(p.type_name)
    text = p.text if kind is MessageKind.TEXT else ""
    extras: dict[str, Any] = {}
    quoted_text: str | None = None
    if kind is MessageKind.TEXT:
        quote = split_quote(text)
        if quote is not None:
            text, quoted_text = quote.reply, quote.quoted
            extras["quoted_name"] = quote.name
        if p.room_id:
            if self_id is not None and self_id in p.mention_ids:
                extras["mentions_bot"] = True
            text = strip_self_mention(text, self_name)
    if p.room_id:
        extras["room_topic"] = p.room_topic
    if p.filename:
        extras["filename"] = p.filename
    if kind is MessageKind.OTHER:
        extras["wechat_type"] = p.type_name
    return Inbound(
        platform=PLATFORM,
        chat_id=p.room_id or p.talker_id,
        message_id=p.message_id,
        sender_id=p.talker_id,
        sender_name=p.talker_name or p.talker_id,
        text=text,
        sent_at=sent_at(p.timestamp, now),
        is_private=not p.room_id,
        kind=kind,
        quoted_text=quoted_text,
        extras=extras,
    )


def with_button_hints(text: str, buttons: tuple[Button, ...]) -> str:
    """WeChat has no buttons: name the replies, unless the text already says what to reply."""
    labels = [b.label for b in buttons if b.label]
    if not labels or "回复" in text or all(label in text for label in labels):
        return text
    return f"{text}\n可回复:" + " / ".join(labels)
