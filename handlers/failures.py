"""When something a person said could not be handled, or comes too fast.

A message that failed every retry is kept as a dead letter (``storage/``); here is
who is told about it: the duty worker (值班) of the community the chat belongs to,
else of the sender's community, else every community's duty worker — so a request
is never dropped without a person knowing. And the flood guard: one account posting
far faster than a person types is answered once, politely; its messages are kept
but not handled, unless one reads as an emergency.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from handlers import texts
from handlers.categories import Urgency
from handlers.directory import Directory, Staff
from handlers.messages import ButtonPress, Inbound, Outbound
from handlers.ports import TicketStore
from handlers.turn import Turn

EXCERPT = 80


def duty_workers(directory: Directory, platform: str, chat_id: str, sender_id: str,
                 topic: str | None = None) -> list[Staff]:
    chat = directory.chat(platform, chat_id, topic)
    communities: list[str] = []
    if chat is not None and chat.community:
        communities = [chat.community]
    else:
        sender = directory.staff_by_identity(platform, sender_id)
        if sender is not None:
            communities = directory.communities_in_scope(sender)
    if not communities:
        communities = list(directory.communities)
    found: dict[str, Staff] = {}
    for code in communities:
        community = directory.communities.get(code)
        person = directory.available(community.duty_worker) if community else None
        if person is not None:
            found.setdefault(person.id, person)
    return list(found.values())


def not_handled(store: TicketStore, directory: Directory, item: Inbound | ButtonPress,
                now: datetime) -> list[Outbound]:
    """Private notices to the duty workers about ``item``; they go out at once,
    quiet hours or not (the message may have been an emergency)."""
    topic = item.extras.get("room_topic")
    topic = topic if isinstance(topic, str) else None
    chat = directory.chat(item.platform, item.chat_id, topic)
    private = isinstance(item, Inbound) and item.is_private
    where = (chat.name or chat.chat_id or chat.topic or "") if chat else ("私聊" if private else item.chat_id)
    local = now.astimezone(ZoneInfo(directory.policy.timezone))
    if isinstance(item, Inbound):
        excerpt = item.text if len(item.text) <= EXCERPT else item.text[:EXCERPT] + "…"
        text = texts.message_not_handled(where, item.sender_name, local, excerpt or f"[{item.kind.value}]")
    else:
        text = texts.press_not_handled(where, item.sender_name, local)
    turn = Turn(store=store, directory=directory, now=now, platform=item.platform,
                chat_id=item.chat_id, sender_id="system", sender_name="system", chat=chat,
                staff=None, is_private=False)
    for person in duty_workers(directory, item.platform, item.chat_id, item.sender_id, topic):
        turn.tell_staff(person, text)
    return [replace(o, urgent=True, not_before=None) for o in turn.outbox]


class Verdict(StrEnum):
    HANDLE = "handle"
    NOTICE = "notice"
    """Too fast: keep it, do not handle it, and say so (once per burst)."""
    HOLD = "hold"
    """Too fast, already told: keep it, do not handle it."""


Parse = Callable[[Inbound], Urgency | None]


@dataclass
class FloodGuard:
    """Per-sender rate limit, in memory: ``per_minute`` messages in any minute."""

    directory: Directory
    urgency_of: Parse
    per_minute: int = 30
    window: timedelta = timedelta(minutes=1)
    _recent: dict[tuple[str, str], deque[datetime]] = field(default_factory=dict)
    _told: set[tuple[str, str]] = field(default_factory=set)

    def check(self, message: Inbound, now: datetime) -> Verdict:
        if self.per_minute <= 0 or message.from_bot:
            return Verdict.HANDLE
        if self.directory.staff_by_identity(message.platform, message.sender_id) is not None:
            return Verdict.HANDLE
        key = (message.platform, message.sender_id)
        recent = self._recent.setdefault(key, deque())
        while recent and recent[0] <= now - self.window:
            recent.popleft()
        recent.append(now)
        if len(recent) <= self.per_minute:
            self._told.discard(key)
            self._forget_idle(now)
            return Verdict.HANDLE
        if self._maybe_emergency(message):
            return Verdict.HANDLE
        if key in self._told:
            return Verdict.HOLD
        self._told.add(key)
        return Verdict.NOTICE

    def _maybe_emergency(self, message: Inbound) -> bool:
        try:
            return self.urgency_of(message) is Urgency.EMERGENCY
        except Exception:  # cannot tell: handle it (and let handling fail loudly if it must)
            return True

    def notice(self, message: Inbound) -> Outbound:
        return Outbound(message.platform, message.chat_id, texts.too_fast(),
                        private=message.is_private, reply_to_message_id=message.message_id)

    def _forget_idle(self, now: datetime) -> None:
        if len(self._recent) > 10_000:
            for key in [k for k, q in self._recent.items() if not q or q[-1] <= now - self.window]:
                del self._recent[key]
