"""The one validated settings object, built from config.yaml plus environment secrets.

Every problem is reported with the key path that holds it
(``communities[0].grids[1].buildings: building "3" is already in grid JL-1``).
"""

from __future__ import annotations

import os
import re
from datetime import time
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from handlers.categories import EmergencyKind, Urgency
from handlers.directory import (
    Chat,
    ChatKind,
    Community,
    Directory,
    Grid,
    Policy,
    Role,
    Staff,
)
from schedules.sla import parse_duration

BUNDLED_CONFIG = Path(__file__).parent / "data" / "config.yaml"
PLATFORMS = ("console", "telegram", "wechat")
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ConfigError(Exception):
    """A configuration problem; the message names the key path and the reason."""


class StartupError(Exception):
    """Something the bot needs at start is not there (database, gateway, token);
    the message is one line that says what and where, never a secret."""


def parse_clock(value: str) -> time:
    m = _CLOCK.match(value.strip())
    if not m:
        raise ValueError(f"expected a time like 08:30, got {value!r}")
    return time(int(m.group(1)), int(m.group(2)))


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GridModel(_Model):
    code: str
    name: str
    buildings: list[str] = Field(default_factory=list)

    @field_validator("buildings", mode="before")
    @classmethod
    def _as_strings(cls, value: Any) -> Any:
        return [str(b) for b in value] if isinstance(value, list) else value


class CommunityModel(_Model):
    code: str = Field(pattern=r"^[A-Za-z0-9_-]{1,16}$")
    name: str
    duty_worker: str | None = None
    compounds: list[str] = Field(default_factory=list)
    landmarks: list[str] = Field(default_factory=list)
    grids: list[GridModel] = Field(default_factory=list)


class StreetModel(_Model):
    name: str
    leaders: list[str] = Field(default_factory=list)


class StaffModel(_Model):
    id: str
    name: str
    role: Role
    grids: list[str] = Field(default_factory=list)
    communities: list[str] = Field(default_factory=list)
    backup: str | None = None
    on_leave: bool = False
    identities: dict[Literal["console", "telegram", "wechat"], str] = Field(default_factory=dict)

    @field_validator("identities", mode="before")
    @classmethod
    def _ids_as_strings(cls, value: Any) -> Any:
        return {k: str(v) for k, v in value.items()} if isinstance(value, dict) else value


class ChatModel(_Model):
    platform: Literal["console", "telegram", "wechat"]
    id: str | None = None
    topic: str | None = None
    name: str = ""
    kind: ChatKind
    community: str | None = None
    buildings: list[str] = Field(default_factory=list)
    grid: str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_as_string(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value

    @field_validator("buildings", mode="before")
    @classmethod
    def _as_strings(cls, value: Any) -> Any:
        return [str(b) for b in value] if isinstance(value, list) else value


class SlaModel(_Model):
    acknowledge: str
    resolve: str

    @field_validator("acknowledge", "resolve")
    @classmethod
    def _duration(cls, value: str) -> str:
        parse_duration(value)
        return value.strip()


class QuietHoursModel(_Model):
    start: str = "22:00"
    end: str = "07:00"

    @field_validator("start", "end")
    @classmethod
    def _clock(cls, value: str) -> str:
        parse_clock(value)
        return value


class WebhookModel(_Model):
    url: str
    listen: str = "127.0.0.1"
    port: int = 8443
    secret_token: str | None = None


class TelegramModel(_Model):
    api_url: str = "https://api.telegram.org"
    poll_interval: float = 0.0
    poll_timeout: int = 10
    webhook: WebhookModel | None = None


class WeChatModel(_Model):
    endpoint: str | None = None


class WebModel(_Model):
    """The web desk (issue 11): where its links point, who sees residents' data."""

    base_url: str = Field(default="http://127.0.0.1:8080", pattern=r"^https?://[^\s/]+(/\S*)?$")
    personal_data_roles: list[Role] = Field(
        default_factory=lambda: [Role.GRID_WORKER, Role.GRID_LEADER, Role.COMMUNITY_LEADER])


DEFAULT_SLA = {
    "emergency": SlaModel(acknowledge="5m", resolve="2h"),
    "urgent": SlaModel(acknowledge="30m", resolve="24h"),
    "normal": SlaModel(acknowledge="4wh", resolve="5wd"),
}


class Settings(_Model):
    timezone: str = "Asia/Shanghai"
    database_url: str = "sqlite:///griddesk.db"
    street: StreetModel
    communities: list[CommunityModel]
    staff: list[StaffModel]
    chats: list[ChatModel] = Field(default_factory=list)
    sla: dict[Urgency, SlaModel] = Field(default_factory=lambda: dict(DEFAULT_SLA))
    working_hours: list[str] = Field(default_factory=lambda: ["08:30-12:00", "13:30-17:30"])
    quiet_hours: QuietHoursModel = Field(default_factory=QuietHoursModel)
    duplicate_window_hours: float = Field(default=48, gt=0)
    digest_time: str = "08:00"
    require_backup: bool = True
    hotlines: dict[EmergencyKind, str] = Field(default_factory=dict)
    retention_days: int = Field(default=365, ge=1)
    """Raw message texts and pictures older than this are purged (daily, 03:30)."""
    flood_per_minute: int = Field(default=30, ge=0)
    """Messages one resident may post per minute before the rest are kept unhandled (0: off)."""
    telegram: TelegramModel = Field(default_factory=TelegramModel)
    wechat: WeChatModel = Field(default_factory=WeChatModel)
    web: WebModel = Field(default_factory=WebModel)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown timezone {value!r}") from exc
        return value

    @field_validator("working_hours")
    @classmethod
    def _periods(cls, value: list[str]) -> list[str]:
        for period in value:
            start, _, end = period.partition("-")
            if parse_clock(start) >= parse_clock(end):
                raise ValueError(f"working period {period!r} must be like 08:30-12:00")
        return value

    @field_validator("digest_time")
    @classmethod
    def _digest_clock(cls, value: str) -> str:
        parse_clock(value)
        return value

    def work_periods(self) -> tuple[tuple[time, time], ...]:
        return tuple(
            (parse_clock(p.split("-")[0]), parse_clock(p.split("-")[1])) for p in self.working_hours
        )

    @property
    def resolved_database_url(self) -> str:
        return os.environ.get("GRIDDESK_DATABASE_URL") or self.database_url

    def directory(self) -> Directory:
        grids = [
            Grid(g.code, g.name, c.code, tuple(g.buildings)) for c in self.communities for g in c.grids
        ]
        return Directory(
            street_name=self.street.name,
            communities=[
                Community(c.code, c.name, c.duty_worker, tuple(c.compounds), tuple(c.landmarks))
                for c in self.communities
            ],
            grids=grids,
            staff=[
                Staff(
                    id=s.id,
                    name=s.name,
                    role=s.role,
                    grids=tuple(s.grids),
                    communities=tuple(s.communities),
                    backup=s.backup,
                    on_leave=s.on_leave,
                    identities=dict(s.identities),
                )
                for s in self.staff
            ],
            chats=[
                Chat(c.platform, c.id, c.topic, c.kind, c.community, tuple(c.buildings), c.grid, c.name)
                for c in self.chats
            ],
            policy=Policy(
                timezone=self.timezone,
                duplicate_window_hours=self.duplicate_window_hours,
                hotlines=dict(self.hotlines),
                quiet_start=parse_clock(self.quiet_hours.start),
                quiet_end=parse_clock(self.quiet_hours.end),
            ),
        )


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _cross_check(s: Settings) -> list[str]:
    """The rules no single field can check: references, uniqueness, coverage."""
    problems: list[str] = []
    staff_ids = {p.id for p in s.staff}
    community_codes: dict[str, int] = {}
    grid_codes: dict[str, str] = {}
    building_grid: dict[tuple[str, str], str] = {}
    for ci, c in enumerate(s.communities):
        where = f"communities[{ci}]"
        if c.code in community_codes:
            problems.append(f"{where}.code: community {c.code!r} is defined twice")
        community_codes[c.code] = ci
        if c.duty_worker and c.duty_worker not in staff_ids:
            problems.append(f"{where}.duty_worker: unknown staff id {c.duty_worker!r}")
        for gi, g in enumerate(c.grids):
            gwhere = f"{where}.grids[{gi}]"
            if g.code in grid_codes:
                problems.append(f"{gwhere}.code: grid {g.code!r} is defined twice")
            grid_codes[g.code] = c.code
            for b in g.buildings:
                other = building_grid.get((c.code, b))
                if other is not None:
                    problems.append(f"{gwhere}.buildings: building {b!r} is already in grid {other}")
                building_grid[(c.code, b)] = g.code
    for li, leader in enumerate(s.street.leaders):
        if leader not in staff_ids:
            problems.append(f"street.leaders[{li}]: unknown staff id {leader!r}")
    seen_ids: set[str] = set()
    seen_identities: dict[tuple[str, str], str] = {}
    for si, p in enumerate(s.staff):
        where = f"staff[{si}]"
        if p.id in seen_ids:
            problems.append(f"{where}.id: staff id {p.id!r} is used twice")
        seen_ids.add(p.id)
        for gi, g in enumerate(p.grids):
            if g not in grid_codes:
                problems.append(f"{where}.grids[{gi}]: unknown grid {g!r}")
        for ki, code in enumerate(p.communities):
            if code not in community_codes:
                problems.append(f"{where}.communities[{ki}]: unknown community {code!r}")
        if p.backup is not None and p.backup not in staff_ids:
            problems.append(f"{where}.backup: unknown staff id {p.backup!r}")
        if p.backup == p.id:
            problems.append(f"{where}.backup: a person cannot be their own backup")
        if s.require_backup and p.role is Role.GRID_WORKER and p.grids and not p.backup:
            problems.append(f"{where}.backup: grid worker {p.name} has no backup (require_backup is on)")
        if p.role is Role.COMMUNITY_LEADER and not p.communities:
            problems.append(f"{where}.communities: a community leader needs the communities they lead")
        for platform, uid in p.identities.items():
            other = seen_identities.get((platform, uid))
            if other is not None:
                problems.append(f"{where}.identities.{platform}: {uid!r} is already {other}'s")
            seen_identities[(platform, uid)] = p.id
    seen_chats: set[tuple[str, str]] = set()
    for hi, chat in enumerate(s.chats):
        where = f"chats[{hi}]"
        if not chat.id and not chat.topic:
            problems.append(f"{where}: a chat needs an id (or, on WeChat, a topic)")
        if chat.topic and chat.platform != "wechat":
            problems.append(f"{where}.topic: only WeChat rooms can be named by topic")
        key = (chat.platform, chat.id or f"topic:{chat.topic}")
        if key in seen_chats:
            problems.append(f"{where}: chat {key[1]!r} on {chat.platform} is configured twice")
        seen_chats.add(key)
        if chat.community is None:
            if chat.kind in (ChatKind.BUILDING, ChatKind.GRID):
                problems.append(f"{where}.community: a {chat.kind.value} chat needs its community")
            continue
        if chat.community not in community_codes:
            problems.append(f"{where}.community: unknown community {chat.community!r}")
            continue
        for bi, b in enumerate(chat.buildings):
            if (chat.community, b) not in building_grid:
                problems.append(
                    f"{where}.buildings[{bi}]: unknown building {b!r} in community {chat.community}"
                )
        if chat.grid is not None and grid_codes.get(chat.grid) != chat.community:
            problems.append(f"{where}.grid: unknown grid {chat.grid!r} in community {chat.community}")
        if chat.kind is ChatKind.BUILDING and not chat.buildings:
            problems.append(f"{where}.buildings: a building chat needs the buildings it stands for")
    return problems


def load_settings(path: str | Path | None = None) -> Settings:
    """Read, validate and cross-check a config file; raises ConfigError naming the key."""
    config_path = Path(path) if path else BUNDLED_CONFIG
    try:
        raw = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{config_path}: file not found") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{config_path}: not UTF-8 text ({exc.reason})") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{config_path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{config_path}: (top level): expected a mapping of settings")
    try:
        settings = Settings.model_validate(raw)
    except ValidationError as exc:
        lines = [f"{_path(tuple(e['loc']))}: {e['msg']}" for e in exc.errors()]
        raise ConfigError(f"{config_path}:\n  " + "\n  ".join(lines)) from None
    problems = _cross_check(settings)
    if problems:
        raise ConfigError(f"{config_path}:\n  " + "\n  ".join(problems))
    return settings
