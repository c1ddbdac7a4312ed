"""What replaying the sample month found in the core, pinned: a voice message filed
from a building group stays with that building's worker; a fix made before anyone
said 收到 is an answer in time (响应率, the 交接单's 是否超时)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.bootstrap import build_desk
from handlers.handover import was_late
from handlers.messages import MessageKind
from tests.console_bot import ConsoleBot
from tests.databases import sqlite_engine
from tests.factories import MONDAY_9AM
from tests.readers import EVERYDAY
from tests.test_digest import digest_of


@pytest.fixture
def bot(settings, tmp_path):  # type: ignore[no-untyped-def]
    with sqlite_engine(str(tmp_path / "griddesk.db")) as engine:
        yield ConsoleBot(build_desk(settings, read=EVERYDAY), engine)


def test_a_voice_message_filed_from_a_building_group_goes_to_that_buildings_worker(bot):
    bot.say("jl-3", "吴师傅", "", kind=MessageKind.VOICE)
    card = bot.last_from_bot("王芳", "可能的诉求")

    bot.tell("王芳", "立案 给排水", reply_to=card.message_id)
    ticket = bot.ticket(1)
    assert (ticket.building, ticket.grid, ticket.assignee) == ("3", "JL-1", "wang_fang"), \
        "not the community's duty worker, with no grid"

    replies = bot.tell("王芳", "收到 下午去", reply_to=bot.last_from_bot("王芳", "#0001").message_id)
    assert bot.ticket(1).status.value == "acknowledged"
    assert not any("只有负责" in text for _, text in replies)


def test_a_fix_before_anyone_said_received_is_an_answer_in_time(bot):
    bot.say("jl-3", "张阿姨", "3号楼2单元楼道灯不亮")
    bot.tell("王芳", "灯换好了", reply_to=bot.last_from_bot("王芳", "【新工单").message_id)
    ticket = bot.ticket(1)
    assert ticket.acknowledged_at is None and ticket.resolved_at is not None

    day = digest_of(bot, "li_hongmei", MONDAY_9AM + timedelta(days=1)).totals
    assert (day.response.ok, day.response.total) == (1, 1)
    assert day.overdue == 0
    assert not was_late(ticket, MONDAY_9AM + timedelta(days=2))


def test_a_ticket_nobody_answered_still_counts_against_the_response_rate(bot):
    bot.say("jl-3", "张阿姨", "3号楼2单元楼道灯不亮")
    day = digest_of(bot, "li_hongmei", MONDAY_9AM + timedelta(days=1)).totals
    assert (day.response.ok, day.response.total, day.overdue) == (0, 1, 1)
