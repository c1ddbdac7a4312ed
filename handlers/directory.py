"""Who is who: the street, its communities, grids, buildings, staff and chats.

Built once at startup from the validated settings; the core only reads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import time
from enum import StrEnum

from handlers.categories import EmergencyKind


class Role(StrEnum):
    GRID_WORKER = "grid_worker"
    GRID_LEADER = "grid_leader"
    COMMUNITY_LEADER = "community_leader"
    STREET_LEADER = "street_leader"


ROLE_LABELS: dict[Role, str] = {
    Role.GRID_WORKER: "网格员",
    Role.GRID_LEADER: "网格长",
    Role.COMMUNITY_LEADER: "社区负责人",
    Role.STREET_LEADER: "街道负责人",
}


class ChatKind(StrEnum):
    BUILDING = "building"
    GRID = "grid"
    COMMUNITY_STAFF = "community_staff"
    LEADERS = "leaders"


@dataclass(frozen=True)
class Staff:
    id: str
    name: str
    role: Role
    grids: tuple[str, ...] = ()
    communities: tuple[str, ...] = ()
    backup: str | None = None
    on_leave: bool = False
    identities: dict[str, str] = field(default_factory=dict, hash=False, compare=False)
    """platform → user id (Telegram user id, WeChat contact id, console name)."""


@dataclass(frozen=True)
class Grid:
    code: str
    name: str
    community: str
    buildings: tuple[str, ...]


@dataclass(frozen=True)
class Community:
    code: str
    name: str
    duty_worker: str | None
    compounds: tuple[str, ...] = ()
    landmarks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chat:
    platform: str
    chat_id: str | None
    topic: str | None
    kind: ChatKind
    community: str | None
    buildings: tuple[str, ...] = ()
    grid: str | None = None
    name: str = ""

    @property
    def default_building(self) -> str | None:
        return self.buildings[0] if len(self.buildings) == 1 else None


@dataclass(frozen=True)
class Policy:
    """Knobs from the config that the conversation needs."""

    timezone: str = "Asia/Shanghai"
    duplicate_window_hours: float = 48.0
    hotlines: dict[EmergencyKind, str] = field(default_factory=dict, hash=False)
    ack_expectation: dict[str, str] = field(default_factory=dict, hash=False)
    """urgency → how the receipt words the expected response ("30分钟内")."""
    quiet_start: time = time(22, 0)
    quiet_end: time = time(7, 0)


class Directory:
    """Read-only lookups over the configured organisation."""

    def __init__(
        self,
        street_name: str,
        communities: Iterable[Community],
        grids: Iterable[Grid],
        staff: Iterable[Staff],
        chats: Iterable[Chat],
        policy: Policy | None = None,
    ) -> None:
        self.street_name = street_name
        self.communities = {c.code: c for c in communities}
        self.grids = {g.code: g for g in grids}
        self.staff = {s.id: s for s in staff}
        self.chats = list(chats)
        self.policy = policy or Policy()
        self._grid_of_building = {
            (g.community, b): g.code for g in self.grids.values() for b in g.buildings
        }
        self._staff_by_identity = {
            (platform, uid): s for s in self.staff.values() for platform, uid in s.identities.items()
        }
        self._chat_by_id = {(c.platform, c.chat_id): c for c in self.chats if c.chat_id}
        self._chat_by_topic = {(c.platform, c.topic): c for c in self.chats if c.topic}
        self._configured: dict[str, dict[str, str]] | None = None

    # --- identities bound through the chat (issue 11: onboarding) ---------
    def with_bound_identities(self, bound: Mapping[str, Mapping[str, str]]) -> Directory:
        """A copy in which staff bound through the chat (staff id → platform → user id)
        are recognised and reached there; configured identities keep being recognised.
        The edge builds it at start and whenever a binding changes; the core only reads."""
        configured = self._configured or {
            s.id: dict(s.identities) for s in self.staff.values()}
        staff = [replace(s, identities={**configured.get(s.id, {}), **bound.get(s.id, {})})
                 for s in self.staff.values()]
        copy = Directory(self.street_name, self.communities.values(), self.grids.values(), staff,
                         self.chats, self.policy)
        copy._configured = configured
        for staff_id, identities in configured.items():
            for platform, user_id in identities.items():
                copy._staff_by_identity.setdefault((platform, user_id), copy.staff[staff_id])
        return copy

    # --- chats -----------------------------------------------------------
    def chat(self, platform: str, chat_id: str, topic: str | None = None) -> Chat | None:
        """A chat by id, or by its WeChat topic; a room configured by topic is known
        by its id too once one message from it was seen (for timers and cards)."""
        found = self._chat_by_id.get((platform, chat_id))
        if found is None and topic:
            found = self._chat_by_topic.get((platform, topic))
            if found is not None and chat_id:
                self._chat_by_id[(platform, chat_id)] = found
        return found

    def chats_of_kind(self, kind: ChatKind) -> list[Chat]:
        return [c for c in self.chats if c.kind is kind]

    # --- places ----------------------------------------------------------
    def grid_of(self, community: str, building: str | None) -> str | None:
        if building is None:
            return None
        return self._grid_of_building.get((community, building))

    def community_of_building(self, building: str) -> str | None:
        matches = {c for (c, b) in self._grid_of_building if b == building}
        return matches.pop() if len(matches) == 1 else None

    # --- people ----------------------------------------------------------
    def staff_by_identity(self, platform: str, user_id: str) -> Staff | None:
        return self._staff_by_identity.get((platform, user_id))

    def staff_by_name(self, name: str) -> Staff | None:
        name = name.strip()
        for s in self.staff.values():
            if s.name == name or s.id == name:
                return s
        return None

    def grid_workers(self, grid: str) -> list[Staff]:
        return [s for s in self.staff.values() if s.role is Role.GRID_WORKER and grid in s.grids]

    def available(self, staff_id: str | None) -> Staff | None:
        """The person themself, or their backup when they are on leave."""
        seen: set[str] = set()
        while staff_id and staff_id not in seen:
            seen.add(staff_id)
            person = self.staff.get(staff_id)
            if person is None:
                return None
            if not person.on_leave:
                return person
            staff_id = person.backup
        return None

    def grid_leaders(self, grid: str) -> list[Staff]:
        return [s for s in self.staff.values() if s.role is Role.GRID_LEADER and grid in s.grids]

    def community_leaders(self, community: str) -> list[Staff]:
        return [
            s
            for s in self.staff.values()
            if s.role is Role.COMMUNITY_LEADER and community in s.communities
        ]

    def street_leaders(self) -> list[Staff]:
        return [s for s in self.staff.values() if s.role is Role.STREET_LEADER]

    def covers(self, person: Staff, community: str, grid: str | None) -> bool:
        """Whether ``person`` is staff responsible for a ticket in that place."""
        if person.role is Role.STREET_LEADER:
            return True
        if person.role is Role.COMMUNITY_LEADER:
            return community in person.communities
        if grid is not None and grid in person.grids:
            return True
        duty = self.communities.get(community)
        return grid is None and duty is not None and duty.duty_worker == person.id

    def communities_in_scope(self, person: Staff) -> list[str]:
        if person.role is Role.STREET_LEADER:
            return list(self.communities)
        codes = list(person.communities)
        codes += [self.grids[g].community for g in person.grids if g in self.grids]
        return list(dict.fromkeys(codes))
