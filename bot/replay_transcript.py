"""The replay as people would have seen it: every line and every bot message, in
order, with the simulated time and a heading for each day."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from zoneinfo import ZoneInfo

from bot.replay_journal import Delivered, Journal, Posted
from bot.settings import Settings
from handlers.directory import Directory
from handlers.turn import TOPIC_PREFIX

BOT_NAME = "网格前台"
WEEKDAYS = "一二三四五六日"
_PLATFORM_MARK = {"console": "", "telegram": "Telegram·", "wechat": "微信·"}


class ChatNames:
    """How a chat is called in the transcript and the report."""

    def __init__(self, settings: Settings, directory: Directory) -> None:
        self.directory = directory
        self.groups: dict[tuple[str, str], str] = {}
        for chat in settings.chats:
            name = chat.name or chat.topic or chat.id or ""
            if chat.id:
                self.groups[(chat.platform, chat.id)] = name
            if chat.topic:
                self.groups[(chat.platform, f"{TOPIC_PREFIX}{chat.topic}")] = name

    def person(self, platform: str, user_id: str) -> str:
        staff = self.directory.staff_by_identity(platform, user_id)
        return staff.name if staff else user_id

    def chat(self, platform: str, chat_id: str, private: bool) -> str:
        mark = _PLATFORM_MARK.get(platform, f"{platform}·")
        if private:
            return f"{mark}私聊·{self.person(platform, chat_id)}"
        return mark + self.groups.get((platform, chat_id), chat_id)


def day_heading(day: date) -> str:
    return f"── {day.year}年{day.month}月{day.day}日 周{WEEKDAYS[day.weekday()]} ──"


def transcript_lines(journal: Journal, names: ChatNames, timezone: str) -> Iterator[str]:
    tz = ZoneInfo(timezone)
    day: date | None = None
    for entry in journal.entries:
        if isinstance(entry, Posted):
            at, where = entry.line.at, names.chat(entry.platform, entry.chat_id, entry.private)
            speaker, text = entry.line.sender_name, entry.line.text or f"[{entry.line.kind.value}]"
        else:
            assert isinstance(entry, Delivered)
            at, where = entry.at, names.chat(entry.platform, entry.chat_id, entry.private)
            speaker, text = f"🤖{BOT_NAME}", entry.text
        local = at.astimezone(tz)
        if local.date() != day:
            day = local.date()
            yield day_heading(day)
        body = text.replace("\n", "\n" + " " * 8)
        yield f"{local:%H:%M} [{where}] {speaker}: {body}"
