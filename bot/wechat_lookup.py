"""Room topics and contact names from the gateway, remembered: without the cache
every message would cost two more round trips."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from bot.wechat_client import Lru

log = logging.getLogger(__name__)


class Lookups:
    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._topics = Lru()
        self._names = Lru()

    def topic_changed(self, room_id: str, topic: str) -> None:
        self._topics.remember(room_id, topic)

    async def room_topic(self, puppet: Any, room_id: str) -> str | None:
        if room_id in self._topics:
            return self._topics[room_id]  # type: ignore[no-any-return]
        try:
            payload = await asyncio.wait_for(puppet.room_payload(room_id), self.timeout)
        except Exception as exc:
            log.warning("wechat: no topic for room %s (%s)", room_id, exc)
            return None
        topic = payload.topic or None
        if topic:
            self._topics.remember(room_id, topic)
        return topic

    async def contact_name(self, puppet: Any, contact_id: str) -> str:
        if contact_id in self._names:
            return self._names[contact_id]  # type: ignore[no-any-return]
        try:
            payload = await asyncio.wait_for(puppet.contact_payload(contact_id), self.timeout)
        except Exception as exc:
            log.warning("wechat: no name for contact %s (%s)", contact_id, exc)
            return contact_id
        # The nickname, not our alias (备注): an alias often carries a room or phone number.
        name = str(payload.name or contact_id)
        self._names.remember(contact_id, name)
        return name

    async def rooms_called(self, puppet: Any, topics: set[str]) -> dict[str, str]:
        """Topic → room id for each topic exactly one of the bot's rooms has."""
        found: dict[str, list[str]] = {}
        for room_id in await asyncio.wait_for(puppet.room_list(), self.timeout):
            topic = await self.room_topic(puppet, room_id)
            if topic in topics:
                found.setdefault(topic, []).append(room_id)
        resolved: dict[str, str] = {}
        for topic in sorted(topics):
            rooms = found.get(topic, [])
            if len(rooms) == 1:
                resolved[topic] = rooms[0]
            elif rooms:
                log.warning("wechat: %d rooms are called %s; configure one by id", len(rooms), topic)
            else:
                log.warning("wechat: the bot is in no room called %s", topic)
        return resolved
