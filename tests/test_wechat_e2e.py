# ruff: noqa: F811  (pytest fixtures are imported by name and then requested as arguments)
"""The whole stack on WeChat: the Wechaty gateway (Node, mock puppet) ⇄
WeChatPlatform ⇄ Runtime (core + SQLite in tmp_path + outbox), with the bundled
config: the building-3 room is configured by its topic 吉利花园3号楼业主群, and 王芳
(grid worker for building 3) is the contact wxid_wangfang."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from bot.bootstrap import build_desk, open_storage
from bot.runtime import Runtime
from bot.settings import Settings
from bot.wechat import WeChatPlatform
from handlers.desk import Desk
from handlers.messages import Outbound
from handlers.tickets import Status, Ticket, TicketEvent
from storage import outbox
from storage.database import session_scope
from storage.repository import SqlTicketStore
from tests.factories import MONDAY_9AM
from tests.test_conversation import PHONE, keyword_parser
from tests.wechat.fixtures import anyio_backend, gateway  # noqa: F401
from tests.wechat.gateway import (
    BUILDING_3,
    BUILDING_3_TOPIC,
    DANCE,
    LI,
    TIMEOUT,
    TOKEN,
    WANG_FANG,
    ZHANG,
    Gateway,
    Sent,
)

pytestmark = pytest.mark.anyio
PLATFORM_OPTIONS = {"token": TOKEN, "backoff": 0.05, "max_backoff": 0.5, "start_timeout": TIMEOUT}


@dataclass
class Clock:
    now: datetime = MONDAY_9AM

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Stack:
    gateway: Gateway
    platform: WeChatPlatform
    runtime: Runtime
    engine: Engine
    clock: Clock

    def ticket(self, code: int) -> Ticket | None:
        with session_scope(self.engine) as session:
            return SqlTicketStore(session).find_ticket("JL", code)

    def events(self, code: int) -> list[TicketEvent]:
        ticket = self.ticket(code)
        assert ticket is not None and ticket.id is not None
        with session_scope(self.engine) as session:
            return SqlTicketStore(session).events(ticket.id)

    def tickets(self) -> int:
        n = 0
        while self.ticket(n + 1) is not None:
            n += 1
        return n

    async def request(self, text: str, who: str = ZHANG) -> tuple[Sent, Sent]:
        """A resident asks in the building-3 room; returns (receipt, worker's card)."""
        before_room = len(self.gateway.sent_to(BUILDING_3))
        before_worker = len(self.gateway.sent_to(WANG_FANG))
        await self.gateway.say(who, text, room=BUILDING_3)
        receipts = await self.gateway.wait_sent(BUILDING_3, before_room + 1)
        cards = await self.gateway.wait_sent(WANG_FANG, before_worker + 1)
        return receipts[before_room], cards[before_worker]

    async def room_told(self, fragment: str) -> str:
        return await self.gateway.wait_for(
            lambda: next((t for t in self.gateway.texts_to(BUILDING_3) if fragment in t), None))


@asynccontextmanager
async def running(gateway: Gateway, settings: Settings, desk: Desk, tmp_path: Path) -> AsyncIterator[Stack]:
    engine = open_storage(f"sqlite:///{tmp_path}/griddesk.db")
    platform = WeChatPlatform.from_settings(settings, **PLATFORM_OPTIONS, endpoint=gateway.endpoint)
    clock = Clock()
    runtime = Runtime(desk, engine, [platform], clock)
    await runtime.start(flush_every=0)
    try:
        assert platform.connected
        await gateway.wait_for(lambda: BUILDING_3_TOPIC in platform.rooms_by_topic)
        yield Stack(gateway, platform, runtime, engine, clock)
    finally:
        await runtime.stop()
        engine.dispose()


@pytest.fixture
async def stack(gateway, settings, tmp_path) -> AsyncIterator[Stack]:
    async with running(gateway, settings, Desk(settings.directory(), parse=keyword_parser),
                       tmp_path) as s:
        yield s


async def test_a_request_gets_a_receipt_in_the_room_and_a_private_card_to_the_worker(stack):
    receipt, card = await stack.request(f"2单元601楼道灯坏了 电话{PHONE}")

    assert receipt.room == BUILDING_3 and "#0001" in receipt.text and "王芳" in receipt.text
    assert PHONE not in receipt.text and "601" not in receipt.text and "张阿姨" not in receipt.text
    assert card.to == WANG_FANG and card.room is None
    assert PHONE in card.text and "3号楼" in card.text and "收到" in card.text
    ticket = stack.ticket(1)
    assert ticket.status is Status.ASSIGNED and ticket.assignee == "wang_fang"
    assert ticket.platform == "wechat" and ticket.chat_id == BUILDING_3


async def test_the_worker_says_shou_dao_privately_and_the_room_is_told(stack):
    await stack.request("楼道灯坏了")

    await stack.gateway.say(WANG_FANG, "收到")

    assert "王芳已接单" in await stack.room_told("已接单")
    assert stack.ticket(1).status is Status.ACKNOWLEDGED


async def test_the_worker_quotes_the_card_to_take_the_ticket(stack):
    await stack.request("楼道灯坏了")
    _, card = await stack.request("3号楼水管爆了", who=LI)
    assert "#0002" in card.text

    await stack.gateway.quote(WANG_FANG, card.id, "收到")

    await stack.room_told("#0002 网格员王芳已接单")
    assert stack.ticket(2).status is Status.ACKNOWLEDGED
    assert stack.ticket(1).status is Status.ASSIGNED


async def test_resolved_the_room_is_told_and_the_resident_rates_by_text(stack):
    await stack.request("楼道灯坏了")
    await stack.gateway.say(WANG_FANG, "#1 收到")
    await stack.gateway.wait_for(lambda: stack.ticket(1).status is Status.ACKNOWLEDGED)

    await stack.gateway.say(WANG_FANG, "#1 已解决 换了灯泡")

    resolved = await stack.room_told("已解决")
    assert "换了灯泡" in resolved
    await stack.room_told("请您评价")
    assert stack.ticket(1).status is Status.RESOLVED

    await stack.gateway.say(ZHANG, "1", room=BUILDING_3)

    await stack.room_told("谢谢您的评价")
    assert stack.ticket(1).rating is not None


async def test_chatter_makes_no_ticket_and_no_reply(stack):
    for text in ["早上好", "谢谢网格员", "收到", "[强][强]"]:
        await stack.gateway.say(LI, text, room=BUILDING_3)
    await stack.request("楼道灯坏了")  # a marker: handled after the chatter

    assert len(stack.gateway.sent_to(BUILDING_3)) == 1 and stack.tickets() == 1


async def test_a_room_that_is_not_configured_is_ignored(stack):
    await stack.gateway.say(ZHANG, "3号楼楼道灯坏了", room=DANCE)
    await stack.request("楼道灯坏了")  # a marker: handled after the other room's message

    assert stack.gateway.sent_to(DANCE) == [] and stack.tickets() == 1
    assert stack.ticket(1).chat_id == BUILDING_3


async def test_after_the_gateway_restarts_the_next_request_is_handled(stack):
    await stack.request("楼道灯坏了")
    logins = stack.platform.connections

    await stack.gateway.restart()
    await stack.gateway.wait_for(lambda: stack.platform.connected and stack.platform.connections > logins)
    receipt, card = await stack.request("3号楼水管爆了", who=LI)

    assert "#0002" in receipt.text and "#0002" in card.text
    assert stack.tickets() == 2


async def test_a_reply_that_could_not_be_sent_goes_out_after_the_reconnect(stack):
    await stack.request("楼道灯坏了")
    await stack.gateway.kill()
    await stack.gateway.wait_for(lambda: not stack.platform.connected)
    with session_scope(stack.engine) as session:
        ids = outbox.enqueue(session, [Outbound("wechat", BUILDING_3, "停水通知:明早8点恢复")], MONDAY_9AM)
    await stack.runtime.deliver(ids)  # fails: kept in the outbox

    await stack.gateway.start()
    await stack.gateway.wait_for(lambda: stack.platform.connected)
    stack.clock.now += timedelta(minutes=1)  # past the outbox's backoff
    await stack.runtime.flush_outbox()

    assert await stack.room_told("停水通知")


async def test_a_photo_right_after_a_request_is_recorded_on_its_ticket(stack):
    await stack.request("楼道灯坏了")

    photo = await stack.gateway.file(ZHANG, "light.jpg", room=BUILDING_3)
    await stack.gateway.say(LI, "早上好", room=BUILDING_3)  # a marker
    await stack.gateway.wait_for(lambda: any(e.action == "attachment" for e in stack.events(1)))

    [attachment] = [e for e in stack.events(1) if e.action == "attachment"]
    assert attachment.note == f"image:{photo}"
    assert len(stack.gateway.sent_to(BUILDING_3)) == 1, "a photo gets no reply of its own"


async def test_with_the_real_parser_a_request_reaches_its_worker(gateway, settings, tmp_path):
    async with running(gateway, settings, build_desk(settings), tmp_path) as stack:
        receipt, card = await stack.request("3号楼2单元楼道的灯不亮了,晚上上下楼看不见")

    assert "#0001" in receipt.text and card.to == WANG_FANG


async def test_a_photo_alone_becomes_a_card_the_worker_files_by_quoting_it(stack):
    before = len(stack.gateway.sent_to(WANG_FANG))
    await stack.gateway.file(ZHANG, "pipe.jpg", room=BUILDING_3)
    [card] = (await stack.gateway.wait_sent(WANG_FANG, before + 1))[before:]
    assert "可能的诉求" in card.text and "回复" in card.text  # WeChat has no buttons: words
    assert stack.gateway.sent_to(BUILDING_3) == [], "no guess in the group"

    await stack.gateway.quote(WANG_FANG, card.id, "立案 给排水")

    receipt = await stack.room_told("登记为 #0001")
    assert "给排水" in receipt
    assert stack.ticket(1).reporter.name and stack.ticket(1).chat_id == BUILDING_3


async def test_the_worker_quotes_the_notification_and_says_it_is_fixed_in_own_words(stack):
    _, card = await stack.request("楼道灯坏了")

    await stack.gateway.quote(WANG_FANG, card.id, "灯换好了")

    assert "灯换好了" in await stack.room_told("已解决")
    assert stack.ticket(1).status is Status.RESOLVED
