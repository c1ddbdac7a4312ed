"""A morning of tickets for the office tests: the real core and storage through the
console platform, with a keyword stand-in parser (the parser has its own tests)."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

with warnings.catch_warnings():  # Starlette ≥ 1.0 prefers httpx2; httpx still works
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from starlette.testclient import TestClient

from bot.bindings import BindingSync
from bot.bootstrap import build_desk
from bot.settings import Settings
from bot.web.app import create_app
from handlers.categories import Category, EmergencyKind, Urgency
from handlers.parsing import Location, ParseContext, ParsedRequest
from handlers.tickets import Reporter, Status, Ticket
from storage.database import session_scope
from storage.repository import SqlTicketStore
from storage.staff_binding import issue_login_link
from tests.console_bot import ConsoleBot
from tests.factories import MONDAY_9AM

PHONE = "13812345678"
_RULES = (
    ("摔倒", Category.ASSISTANCE, Urgency.EMERGENCY, EmergencyKind.FALL),
    ("灯", Category.POWER_LIGHTING, Urgency.NORMAL, None),
    ("水管", Category.PLUMBING, Urgency.URGENT, None),
    ("下水道", Category.PLUMBING, Urgency.URGENT, None),
    ("垃圾", Category.SANITATION, Urgency.NORMAL, None),
    ("电梯", Category.ELEVATOR, Urgency.NORMAL, None),
)


def keyword_parser(text: str, context: ParseContext | None = None) -> ParsedRequest | None:
    building = context.default_building if context else None
    if m := re.search(r"(\d{1,2})号楼", text):
        building = m.group(1)
    room = m.group(1) if (m := re.search(r"(\d{3,4})室", text)) else None
    phone = PHONE if PHONE in text else None
    for word, category, urgency, kind in _RULES:
        if word in text:
            return ParsedRequest(category, urgency, Location(building, room=room), phone, kind)
    return None


def office_bot(settings: Settings, engine, now: datetime = MONDAY_9AM) -> ConsoleBot:  # type: ignore[no-untyped-def]
    desk = build_desk(settings, parse=keyword_parser)
    bot = ConsoleBot(desk, engine, now)
    bot.bindings = BindingSync(desk, engine)  # type: ignore[attr-defined]
    bot.bindings.refresh()  # type: ignore[attr-defined]
    return bot


def morning(bot: ConsoleBot) -> None:
    """#0001 JL-1 (3号楼, with a phone and a room), #0002 JL-2 emergency, #0003 WH."""
    bot.say("jl-3", "张阿姨", f"3号楼601室楼道灯坏了 电话{PHONE}")
    bot.say("jl-6", "刘阿姨", "6号楼有个老人摔倒了", at=bot.now + timedelta(minutes=5))
    bot.say("wh-grid-2", "陈姐", "7号楼下水道堵了", at=bot.now + timedelta(minutes=5))


def login_link(engine, staff_id: str, now: datetime, minutes: int = 15) -> str:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return issue_login_link(session, staff_id, now, timedelta(minutes=minutes))


def seed_tickets(engine, count: int, start: datetime, step: timedelta = timedelta(minutes=1),  # type: ignore[no-untyped-def]
                 community: str = "JL", grid: str = "JL-1", assignee: str = "wang_fang",
                 text: str = "{n}号 门口有垃圾") -> None:
    """Tickets straight into storage (no dedupe), for lists longer than a morning."""
    with session_scope(engine) as session:
        store = SqlTicketStore(session)
        for n in range(count):
            at = start + n * step
            store.add_ticket(Ticket(
                community=community, category=Category.SANITATION, urgency=Urgency.NORMAL,
                text=text.format(n=n), platform="console", chat_id="jl-3",
                source_message_id=f"seed{n}", reporter=Reporter("console", f"r{n}", f"居民{n}", "jl-3"),
                created_at=at, building=str(1 + n % 4), grid=grid, assignee=assignee,
                status=Status.ASSIGNED, ack_due=at + timedelta(hours=4),
                resolve_due=at + timedelta(days=5)))


@contextmanager
def web_client(settings: Settings, bot: ConsoleBot,
               base_url: str = "http://127.0.0.1:8080") -> Iterator[TestClient]:
    app = create_app(settings, bot.engine, lambda: bot.now, bot.runtime.desk)
    with TestClient(app, base_url=base_url, follow_redirects=False) as client:
        yield client


def sign_in(client: TestClient, engine, staff_id: str, now: datetime) -> str:  # type: ignore[no-untyped-def]
    """Open a fresh login link and press the button; returns the session's CSRF token."""
    page = client.get(f"/login/{login_link(engine, staff_id, now)}")
    assert page.status_code == 200, page.text
    nonce = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    done = client.post("/login", data={"token": token, "csrf": nonce})
    assert done.status_code == 303 and done.headers["location"] == "/tickets", done.text
    tickets = client.get("/tickets")
    return re.search(r'name="csrf" value="([^"]+)"', tickets.text).group(1)  # type: ignore[union-attr]
