# ruff: noqa: F811  (pytest fixtures are imported by name and then requested as arguments)
"""The whole stack on Telegram: the loopback Bot API ⇄ TelegramPlatform ⇄ Runtime
(core + SQLite in tmp_path + outbox), played by residents and grid workers with
Telegram ids from the bundled config (王芳 is 1001, grid worker for building 3)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from telegram import CallbackQuery, Chat

from bot.bootstrap import build_desk, open_storage
from bot.runtime import Runtime
from bot.settings import ChatModel
from bot.telegram import TelegramPlatform
from handlers.desk import Desk
from handlers.tickets import Status, Ticket
from storage.database import session_scope
from storage.repository import SqlTicketStore
from tests.factories import MONDAY_9AM
from tests.telegram.fixtures import (  # noqa: F401  (pytest fixtures)
    BUILDING_3,
    NEIGHBOUR,
    OLD_GROUP,
    RESIDENT,
    WORKER,
    RecordedSleep,
    anyio_backend,
    bot_api,
    make_platform,
    private_chat,
)
from tests.telegram.server import FakeBotApi, Sent
from tests.test_conversation import PHONE, keyword_parser

pytestmark = pytest.mark.anyio

GROUP = str(BUILDING_3.id)
WANG_FANG = str(WORKER.id)
NEW_SUPERGROUP = Chat(-1009000000003, Chat.SUPERGROUP, title="吉利花园3号楼")


@dataclass
class Stack:
    api: FakeBotApi
    platform: TelegramPlatform
    runtime: Runtime
    engine: Engine

    def ticket(self, code: int) -> Ticket | None:
        with session_scope(self.engine) as session:
            return SqlTicketStore(session).find_ticket("JL", code)

    def tickets(self) -> int:
        n = 0
        while self.ticket(n + 1) is not None:
            n += 1
        return n

    async def request(self, text: str) -> tuple[Sent, Sent]:
        """A resident asks in the building group; returns (receipt, worker's card)."""
        before_group = len(self.api.sent_to(GROUP))
        before_worker = len(self.api.sent_to(WANG_FANG))
        self.api.post(BUILDING_3, RESIDENT, text)
        await self.api.wait_sent(GROUP, before_group + 1)
        cards = await self.api.wait_sent(WANG_FANG, before_worker + 1)
        return self.api.sent_to(GROUP)[before_group], cards[before_worker]


@asynccontextmanager
async def running(api: FakeBotApi, desk: Desk, tmp_path: Path) -> AsyncIterator[Stack]:
    engine = open_storage(f"sqlite:///{tmp_path}/griddesk.db")
    platform = make_platform(api, RecordedSleep())
    runtime = Runtime(desk, engine, [platform], lambda: MONDAY_9AM)
    await runtime.start(flush_every=0)
    try:
        yield Stack(api, platform, runtime, engine)
    finally:
        await runtime.stop()
        engine.dispose()


@pytest.fixture
async def stack(bot_api, settings, tmp_path) -> AsyncIterator[Stack]:
    """The core with the keyword stand-in parser the conversation tests use, and the
    bundled config plus one old-style group (for the migration test)."""
    old_group = ChatModel(platform="telegram", id=str(OLD_GROUP.id), name="吉利花园3号楼(旧群)",
                          kind="building", community="JL", buildings=["3"])
    directory = settings.model_copy(update={"chats": [*settings.chats, old_group]}).directory()
    async with running(bot_api, Desk(directory, parse=keyword_parser), tmp_path) as s:
        yield s


async def test_with_the_real_parser_and_bundled_config_a_request_reaches_its_worker(
    bot_api, settings, tmp_path
):
    async with running(bot_api, build_desk(settings), tmp_path) as stack:
        receipt, card = await stack.request("3号楼2单元楼道灯坏了好几天了")
        stack.api.post(BUILDING_3, NEIGHBOUR, "早上好各位邻居")
        await stack.api.wait_acknowledged()
    assert "#0001" in receipt.text and card.labels == ["接单", "已解决", "上报"]
    assert len(stack.api.sent_to(GROUP)) == 1


async def test_a_request_gets_a_receipt_in_the_group_and_a_card_to_the_right_worker(stack):
    receipt, card = await stack.request(f"2单元601楼道灯坏了 电话{PHONE}")

    assert "#0001" in receipt.text and "王芳" in receipt.text
    assert PHONE not in receipt.text and "601" not in receipt.text and "张阿姨" not in receipt.text
    assert card.chat_id == WORKER.id and PHONE in card.text and "3号楼" in card.text
    assert card.labels == ["接单", "已解决", "上报"]
    assert stack.ticket(1).status is Status.ASSIGNED and stack.ticket(1).assignee == "wang_fang"


async def test_the_worker_takes_the_ticket_with_the_button(stack):
    _, card = await stack.request("楼道灯坏了")

    query = stack.api.press(card, WORKER, "接单")

    assert "接单" in (await stack.api.wait_answer(query) or "")
    await stack.api.wait_for(lambda: any("已接单" in t for t in stack.api.texts_to(GROUP)))
    assert stack.ticket(1).status is Status.ACKNOWLEDGED


async def test_the_worker_takes_the_ticket_by_replying_shou_dao(stack):
    _, card = await stack.request("楼道灯坏了")

    stack.api.post(private_chat(WORKER), WORKER, "收到", reply_to=card)

    await stack.api.wait_for(lambda: any("已接单" in t for t in stack.api.texts_to(GROUP)))
    assert stack.ticket(1).status is Status.ACKNOWLEDGED


async def test_resolved_the_group_is_told_and_the_reporter_rates_with_buttons(stack):
    _, card = await stack.request("楼道灯坏了")
    stack.api.press(card, WORKER, "接单")
    await stack.api.wait_for(lambda: stack.ticket(1).status is Status.ACKNOWLEDGED)

    stack.api.post(private_chat(WORKER), WORKER, "#1 已解决 换了灯泡")

    def rating_prompt() -> Sent | None:
        return next((s for s in stack.api.sent if s.labels == ["满意", "基本满意", "不满意"]), None)

    prompt = await stack.api.wait_for(rating_prompt)
    assert any("已解决" in t and "换了灯泡" in t for t in stack.api.texts_to(GROUP))
    assert stack.ticket(1).status is Status.RESOLVED

    query = stack.api.press(prompt, RESIDENT, "满意")

    await stack.api.wait_answer(query)
    await stack.api.wait_for(lambda: stack.ticket(1).rating is not None)


async def test_a_resident_pressing_a_staff_button_gets_a_notice_and_nothing_changes(stack):
    _, card = await stack.request("楼道灯坏了")
    sent_before = len(stack.api.sent)
    query_id = "forged-1"
    stack.api.push_callback(CallbackQuery(
        id=query_id, from_user=NEIGHBOUR, chat_instance="x",
        message=stack.api.message_of(card), data=dict(card.buttons)["已解决"]))

    notice = await stack.api.wait_answer(query_id)

    assert notice and "工作人员" in notice
    assert stack.ticket(1).status is Status.ASSIGNED
    assert len(stack.api.sent) == sent_before


async def test_chatter_makes_no_ticket_and_no_reply(stack):
    for text in ["早上好", "谢谢网格员", "收到", "😀😀"]:
        stack.api.post(BUILDING_3, NEIGHBOUR, text)
    await stack.api.wait_acknowledged()
    stack.api.post(BUILDING_3, RESIDENT, "楼道灯坏了")  # a marker: handled after the chatter
    await stack.api.wait_sent(GROUP)

    assert len(stack.api.sent_to(GROUP)) == 1 and stack.tickets() == 1


async def test_a_group_that_became_a_supergroup_keeps_its_place(stack):
    stack.api.migrate(OLD_GROUP, NEW_SUPERGROUP, RESIDENT)
    stack.api.post(NEW_SUPERGROUP, RESIDENT, "楼道灯坏了")

    [receipt] = await stack.api.wait_sent(NEW_SUPERGROUP.id)

    assert "#0001" in receipt.text and stack.api.texts_to(OLD_GROUP.id) == []
    assert stack.ticket(1).chat_id == str(OLD_GROUP.id), "the ticket stays with the configured chat"


async def test_a_used_rating_button_goes_away_and_a_second_press_changes_nothing(stack):
    _, card = await stack.request("楼道灯坏了")
    stack.api.post(private_chat(WORKER), WORKER, "#1 已解决 换了灯泡")
    prompt = await stack.api.wait_for(
        lambda: next((s for s in stack.api.sent if s.labels == ["满意", "基本满意", "不满意"]), None))
    assert prompt.text.startswith("@"), "the prompt names the reporter"

    first = stack.api.press(prompt, RESIDENT, "满意")
    await stack.api.wait_answer(first)
    await stack.api.wait_for(lambda: prompt.edits > 0 and prompt.labels == [])
    stack.api.push_callback(CallbackQuery(  # a press on a stale copy of the message
        id="late-1", from_user=RESIDENT, chat_instance="x",
        message=stack.api.message_of(prompt), data=f"rate:{stack.ticket(1).id}:dissatisfied"))

    assert "已评价" in (await stack.api.wait_answer("late-1") or "")
    ticket = stack.ticket(1)
    assert ticket.status is Status.CLOSED and ticket.rating == "satisfied"


async def test_the_take_on_button_goes_and_the_others_stay(stack):
    _, card = await stack.request("楼道灯坏了")
    query = stack.api.press(card, WORKER, "接单")
    await stack.api.wait_answer(query)
    await stack.api.wait_for(lambda: card.edits > 0)
    assert card.labels == ["已解决", "上报"]
