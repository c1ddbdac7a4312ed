"""Reading a chat history for `griddesk replay`: one JSON object per line.

    {"at": "2026-11-02T08:15:00+08:00", "platform": "console", "chat": "jl-3",
     "from": "张阿姨", "text": "3号楼楼道灯坏了", "id": "a1", "reply_to": null,
     "private": false}

``from`` is a display name or a staff id: staff are recognised by either and speak
with their identity on that platform; everyone else is a resident, known by the
name. ``chat`` is a configured chat's id (or, on WeChat, its topic; its name works
too); a private line is a one-to-one chat with the bot and needs no chat. A line
that cannot be replayed as written is reported with its number and skipped;
nothing else stops the replay. Keys not listed here (a comment, ``expect``) are
left alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from handlers.directory import Chat, Directory
from handlers.messages import MessageKind
from handlers.turn import TOPIC_PREFIX

PLATFORMS = ("console", "telegram", "wechat")
_KINDS = {k.value: k for k in (MessageKind.TEXT, MessageKind.IMAGE, MessageKind.VOICE)}
MAX_TEXT = 4000


@dataclass(frozen=True)
class ReplayLine:
    """One line of the history, resolved against the config."""

    number: int
    at: datetime
    platform: str
    chat_id: str
    """The chat as the bot knows it; for a private line, the speaker's own id."""
    sender_id: str
    sender_name: str
    text: str
    private: bool = False
    kind: MessageKind = MessageKind.TEXT
    topic: str | None = None
    """A WeChat room configured only by its topic (群名)."""
    reply_to: int | None = None
    """The number of the earlier line this one answers."""
    staff_id: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def message_id(self) -> str:
        return f"L{self.number}"


@dataclass(frozen=True)
class Skipped:
    number: int
    reason: str


@dataclass
class History:
    lines: list[ReplayLine] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    blank: int = 0


class BadLine(Exception):
    """Why a line cannot be replayed, in words for the report."""


def _time(value: Any, tz: ZoneInfo) -> datetime:
    if not isinstance(value, str) or not value.strip():
        raise BadLine('没有时间 "at"(例如 "2026-11-02T08:15:00+08:00")')
    try:
        at = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadLine(f'时间 "at" 看不懂:{value[:40]!r}(应为 2026-11-02T08:15:00+08:00)') from None
    return at.replace(tzinfo=tz) if at.tzinfo is None else at


def _text(raw: dict[str, Any], kind: MessageKind) -> str:
    text = raw.get("text", "")
    if not isinstance(text, str):
        raise BadLine('"text" 应当是文字')
    if kind is MessageKind.TEXT and not text.strip():
        raise BadLine('没有消息内容 "text"')
    if len(text) > MAX_TEXT:
        raise BadLine(f'"text" 太长({len(text)} 字,最多 {MAX_TEXT})')
    return text


def _flag(raw: dict[str, Any], key: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise BadLine(f'"{key}" 应当是 true 或 false')
    return value


def _name(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise BadLine(f'"{key}" 应当是文字')
    return str(value).strip() or None


class HistoryReader:
    """Resolves lines against the directory, remembering ids and time as it goes."""

    def __init__(self, directory: Directory, timezone: str) -> None:
        self.directory = directory
        self.tz = ZoneInfo(timezone)
        self.history = History()
        self._ids: dict[str, int] = {}
        self._last: datetime | None = None

    def read(self, lines: list[str]) -> History:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                self.history.blank += 1
                continue
            try:
                self.history.lines.append(self._line(number, line))
            except BadLine as bad:
                self.history.skipped.append(Skipped(number, str(bad)))
        return self.history

    def _line(self, number: int, line: str) -> ReplayLine:
        try:
            raw = json.loads(line)
        except (ValueError, RecursionError):
            raise BadLine("不是一个 JSON 对象") from None
        if not isinstance(raw, dict):
            raise BadLine("不是一个 JSON 对象")
        at = _time(raw.get("at"), self.tz)
        if self._last is not None and at < self._last:
            raise BadLine(f"时间 {at:%m-%d %H:%M} 早于上一行({self._last:%m-%d %H:%M}),时钟不能倒退")
        platform = _name(raw, "platform") or "console"
        if platform not in PLATFORMS:
            raise BadLine(f'平台 "platform" 只能是 {"、".join(PLATFORMS)},不是 {platform!r}')
        kind = _KINDS.get(_name(raw, "kind") or "text")
        if kind is None:
            raise BadLine('"kind" 只能是 text、image 或 voice')
        text = _text(raw, kind)
        speaker = _name(raw, "from")
        if speaker is None:
            raise BadLine('没有说话人 "from"')
        private = _flag(raw, "private")
        sender_id, sender_name, staff_id = self._speaker(speaker, platform)
        chat, topic = self._chat(raw, platform, private, sender_id)
        line_id = _name(raw, "id")
        if line_id is not None and line_id in self._ids:
            raise BadLine(f'编号 "id" {line_id!r} 在第{self._ids[line_id]}行已经用过')
        reply_to = self._reply_to(raw)
        if line_id is not None:
            self._ids[line_id] = number
        self._last = at
        return ReplayLine(number, at, platform, chat, sender_id, sender_name, text, private, kind,
                          topic, reply_to, staff_id, raw)

    def _speaker(self, speaker: str, platform: str) -> tuple[str, str, str | None]:
        person = self.directory.staff.get(speaker) or self.directory.staff_by_name(speaker)
        if person is None:
            return speaker, speaker, None
        identity = person.identities.get(platform)
        if identity is None:
            raise BadLine(f"配置里没有{person.name}在 {platform} 上的账号(staff.identities)")
        return identity, person.name, person.id

    def _chat(self, raw: dict[str, Any], platform: str, private: bool, sender_id: str) -> tuple[str, str | None]:
        if private:
            return sender_id, None
        wanted = _name(raw, "chat")
        if wanted is None:
            raise BadLine('群消息没有 "chat"(私聊请写 "private": true)')
        found = chat_named(self.directory, platform, wanted)
        if found is None:
            raise BadLine(f"配置里没有 {platform} 群 {wanted!r}")
        if found.chat_id:
            return found.chat_id, None
        return f"{TOPIC_PREFIX}{found.topic}", found.topic

    def _reply_to(self, raw: dict[str, Any]) -> int | None:
        target = _name(raw, "reply_to")
        if target is None:
            return None
        number = self._ids.get(target)
        if number is None:
            raise BadLine(f'"reply_to" 指向的 {target!r} 不是前面成功读入的哪一行')
        return number


def chat_named(directory: Directory, platform: str, wanted: str) -> Chat | None:
    """A configured chat by id, WeChat topic or, failing both, its name."""
    chats = [c for c in directory.chats if c.platform == platform]
    for chat in chats:
        if wanted in (chat.chat_id, chat.topic):
            return chat
    named = [c for c in chats if c.name == wanted]
    return named[0] if len(named) == 1 else None


def read_history(path: Path, directory: Directory, timezone: str) -> History:
    """Every line of ``path``, resolved or skipped with the reason. Bytes that are not
    UTF-8 become U+FFFD rather than stopping the file."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    return HistoryReader(directory, timezone).read(text.splitlines())
