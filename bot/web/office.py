"""What every page of the web desk works with: settings, the database, the clock,
the desk (for its timers and quiet hours), and who is signed in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.templating import Jinja2Templates

from bot.settings import Settings
from handlers.categories import CATEGORY_LABELS, URGENCY_LABELS
from handlers.desk import Desk
from handlers.digest_build import DigestScope, scope_for
from handlers.directory import Directory, Role, Staff
from handlers.office import TicketScope, may_act, may_see_personal, scope_of
from handlers.tickets import STATUS_LABELS, Ticket
from storage.staff_binding import bound_identities

TEMPLATES = Path(__file__).parent / "templates"
ROLE_LABELS = {
    Role.GRID_WORKER: "网格员",
    Role.GRID_LEADER: "网格长",
    Role.COMMUNITY_LEADER: "社区负责人",
    Role.STREET_LEADER: "街道负责人",
}


@dataclass(frozen=True)
class Viewer:
    """The signed-in staff member, with the directory as it stands for this request."""

    staff: Staff
    csrf: str
    session_hash: str
    directory: Directory
    personal_roles: frozenset[Role]

    @property
    def scope(self) -> TicketScope:
        return scope_of(self.staff, self.directory)

    def may_act(self, t: Ticket) -> bool:
        return may_act(self.staff, self.directory, t.community, t.grid, t.assignee)

    def personal(self, t: Ticket) -> bool:
        return may_see_personal(self.staff, self.directory, t.community, t.grid, t.assignee,
                                self.personal_roles)

    def grids(self) -> list[str]:
        scope = self.scope
        return [g.code for g in self.directory.grids.values()
                if scope.everything or g.community in scope.communities or g.code in scope.grids]

    def buildings(self) -> list[str]:
        found = {b for code in self.grids() for b in self.directory.grids[code].buildings}
        return sorted(found, key=lambda b: (len(b), b))


@dataclass
class Office:
    settings: Settings
    engine: Engine
    clock: Callable[[], datetime]
    desk: Desk
    flashes: dict[str, list[str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.tz = ZoneInfo(self.settings.timezone)
        self.directory = self.settings.directory()
        self.personal_roles = frozenset(self.settings.web.personal_data_roles)
        self.secure_cookies = self.settings.web.base_url.startswith("https://")
        self.templates = Jinja2Templates(directory=str(TEMPLATES))
        self.templates.env.globals.update(
            CATEGORY_LABELS={c.value: label for c, label in CATEGORY_LABELS.items()},
            URGENCY_LABELS={u.value: label for u, label in URGENCY_LABELS.items()},
            STATUS_LABELS={s.value: label for s, label in STATUS_LABELS.items()},
            ROLE_LABELS={r.value: label for r, label in ROLE_LABELS.items()},
            PLATFORM_LABELS={"wechat": "微信", "telegram": "Telegram", "console": "控制台"},
            street_name=self.settings.street.name,
        )
        self.templates.env.filters["local"] = self.local_text

    def now(self) -> datetime:
        return self.clock()

    def local(self, when: datetime) -> datetime:
        return when.astimezone(self.tz)

    def local_text(self, when: datetime | None, fmt: str = "%m-%d %H:%M") -> str:
        return self.local(when).strftime(fmt) if when else "—"

    def today(self) -> date:
        return self.local(self.now()).date()

    def midnight(self, day: date) -> datetime:
        return datetime.combine(day, time(), self.tz)

    def day_range(self, first: date, last: date) -> tuple[datetime, datetime]:
        return self.midnight(first), self.midnight(last + timedelta(days=1))

    def directory_now(self, session: Session) -> Directory:
        """The configured directory plus identities bound through the chat, as stored now."""
        return self.directory.with_bound_identities(bound_identities(session))

    def flash(self, session_hash: str, text: str) -> None:
        self.flashes.setdefault(session_hash, []).append(text)

    def take_flashes(self, session_hash: str) -> list[str]:
        return self.flashes.pop(session_hash, [])


def digest_scope_of(person: Staff, directory: Directory) -> DigestScope | None:
    """The leaders' digest scope; a grid worker gets their grids (or duty community)."""
    leaders = scope_for(person, directory)
    if leaders is not None:
        return leaders
    if person.grids:
        names = "、".join(directory.grids[g].name for g in person.grids if g in directory.grids)
        return DigestScope(names, grids=tuple(person.grids))
    duty = tuple(c.code for c in directory.communities.values() if c.duty_worker == person.id)
    if duty:
        return DigestScope("、".join(directory.communities[c].name for c in duty), communities=duty)
    return None
