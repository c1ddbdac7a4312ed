"""Residents' reports, as they are said in the group: the same problem joins, a
different one does not, an emergency is never absorbed, and nothing is swallowed.
(Meanings are scripted: tests/readers.py; the model has its own tests.)"""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.bootstrap import build_desk
from handlers.categories import Urgency
from handlers.messages import MessageKind
from handlers.tickets import Status
from storage.database import session_scope
from storage.repository import SqlTicketStore
from tests.console_bot import ConsoleBot
from tests.databases import sqlite_engine
from tests.factories import MONDAY_9AM
from tests.readers import EVERYDAY

PHONE = "13812345678"


@pytest.fixture
def bot(settings, tmp_path):  # type: ignore[no-untyped-def]
    with sqlite_engine(str(tmp_path / "griddesk.db")) as engine:
        yield ConsoleBot(build_desk(settings, read=EVERYDAY), engine)


def said_to(replies: list[tuple[str, str]], chat: str) -> list[str]:
    return [text for where, text in replies if where == chat]


def test_an_emergency_about_the_same_problem_raises_the_ticket_with_the_whole_emergency_path(bot):
    bot.say("jl-3", "张阿姨", "3号楼2单元楼道灯不亮")
    assert bot.ticket(1).urgency is Urgency.NORMAL

    replies = bot.say("jl-3", "李大爷", "3号楼2单元楼道灯冒烟了 好大的焦味", at=MONDAY_9AM + timedelta(minutes=20))

    ticket = bot.ticket(1)
    assert ticket.urgency is Urgency.EMERGENCY and ticket.households == 2
    assert ticket.resolve_due <= bot.now + timedelta(hours=2), "the emergency clock restarted"
    [group, *_] = said_to(replies, "jl-3")
    assert "紧急" in group and "119" in group and "请保持电话畅通" in group
    for person in ("王芳", "张伟", "李红梅"):
        assert any("紧急" in t for t in said_to(replies, person)), f"{person} was not alerted"
    assert bot.ticket(2) is None


def test_an_emergency_about_another_problem_opens_its_own_emergency_ticket(bot):
    bot.say("jl-3", "张阿姨", "3号楼2单元楼道灯不亮")
    replies = bot.say("jl-3", "张阿姨", "3号楼2单元配电箱冒火花了,有人被电到了")
    assert bot.ticket(1).urgency is Urgency.NORMAL and bot.ticket(1).households == 1
    assert bot.ticket(2).urgency is Urgency.EMERGENCY
    assert "95598" in said_to(replies, "jl-3")[0]


def test_another_unit_is_another_problem(bot):
    bot.say("jl-3", "张阿姨", "3号楼2单元楼道灯不亮")
    bot.say("jl-3", "赵叔", "3号楼6单元楼道灯也不亮")
    assert [t.unit for t in bot.tickets()] == ["2", "6"]


def test_a_different_plumbing_problem_in_another_flat_is_a_new_ticket_and_reaches_the_worker(bot):
    bot.say("jl-3", "张阿姨", "3号楼1单元下水道堵了")
    replies = bot.say("jl-3", "李大爷", f"3号楼1单元501 水管爆了 电话{PHONE}")
    assert len(bot.tickets()) == 2
    [note] = said_to(replies, "王芳")
    assert "501" in note and PHONE in note


def test_a_building_wide_outage_collects_the_households_and_tells_the_worker_who_and_where(bot):
    bot.say("jl-3", "张阿姨", "3号楼又停水了 2单元")
    replies = bot.say("jl-3", "李大爷", f"3-5-602 家里也停水了 一滴都没有 {PHONE}")

    [ticket] = bot.tickets()
    assert ticket.households == 2
    [note] = said_to(replies, "王芳")
    assert "602" in note and PHONE in note and "一滴都没有" in note
    group = said_to(replies, "jl-3")
    assert group and all("602" not in t and PHONE not in t and "李大爷" not in t for t in group)


def test_a_complaint_with_a_landmark_and_no_building_becomes_a_ticket_for_the_chats_grid(bot):
    replies = bot.say("wh-grid-2", "陈姐", "健身器材坏了,小孩差点受伤")
    [ticket] = bot.tickets()
    assert ticket.grid == "WH-2" and ticket.assignee == "sun_qiang" and ticket.landmark == "健身器材"
    assert "孙强" in said_to(replies, "wh-grid-2")[0]


def test_an_unsure_message_goes_to_the_worker_as_a_card_not_a_guess_in_the_group(bot):
    replies = bot.say("wh-grid-2", "陈姐", "楼下那个东西又那样了 烦死了")
    assert said_to(replies, "wh-grid-2") == []
    [card] = said_to(replies, "孙强")
    assert "可能的诉求" in card and "楼下那个东西又那样了" in card and "立案" in card
    assert bot.tickets() == []


@pytest.mark.parametrize("kind", [MessageKind.IMAGE, MessageKind.VOICE])
def test_a_photo_or_voice_alone_goes_to_the_worker_as_a_card(bot, kind):
    replies = bot.say("jl-3", "张阿姨", "", kind=kind)
    [card] = said_to(replies, "王芳")
    assert ("图片" if kind is MessageKind.IMAGE else "语音") in card
    assert said_to(replies, "jl-3") == []


def test_a_photo_right_after_a_request_belongs_to_that_ticket(bot):
    bot.say("jl-3", "张阿姨", "3号楼楼道灯不亮")
    replies = bot.say("jl-3", "张阿姨", "", kind=MessageKind.IMAGE)
    assert replies == []
    with session_scope(bot.engine) as session:
        assert "attachment" in [e.action for e in SqlTicketStore(session).events(1)]


def test_filing_a_card_opens_the_ticket_for_the_resident_and_the_group_gets_the_receipt(bot):
    bot.say("wh-grid-2", "陈姐", "楼下那个东西又那样了 烦死了")
    card = bot.last_from_bot("孙强", "可能的诉求")

    replies = bot.tell("孙强", "立案 噪音", reply_to=card.message_id)

    [ticket] = bot.tickets()
    assert ticket.reporter.name == "陈姐" and ticket.category.value == "neighbor_noise"
    assert ticket.chat_id == "wh-grid-2" and ticket.status is Status.ASSIGNED
    assert any("登记为 #0001" in t for t in said_to(replies, "wh-grid-2"))
    assert any("已立案 #0001" in t for t in said_to(replies, "孙强"))
    again = bot.tell("孙强", "立案", reply_to=card.message_id)
    assert any("已经处理过了" in t for t in said_to(again, "孙强"))
    assert len(bot.tickets()) == 1


def test_the_ignore_button_closes_a_card_once_and_takes_the_buttons_away(bot):
    bot.say("wh-grid-2", "陈姐", "楼下那个东西又那样了 烦死了")
    card = bot.last_from_bot("孙强", "可能的诉求")

    assert bot.press("孙强", card, "忽略") == "已忽略,不登记。"
    assert (card.message_id, ()) in bot.console.edits
    assert "已经处理过了" in (bot.press("孙强", card, "立案") or "")
    assert bot.tickets() == []


def test_a_resident_cannot_file_a_card(bot):
    bot.say("wh-grid-2", "陈姐", "楼下那个东西又那样了 烦死了")
    card = bot.last_from_bot("孙强", "可能的诉求")
    assert "只有负责" in (bot.press("陈姐", card, "立案") or "")
    assert bot.tickets() == []


def test_receipts_say_when_in_clock_time(bot):
    replies = bot.say("jl-3", "张阿姨", "3号楼楼道灯不亮", at=MONDAY_9AM.replace(hour=16, minute=0))
    # 4 working hours from Monday 16:00: 1.5 h today, the rest Tuesday morning
    assert "预计明天(周二)上午11:00前回复" in said_to(replies, "jl-3")[0]
    replies = bot.say("jl-6", "刘阿姨", "6号楼2单元下水道堵了", at=MONDAY_9AM.replace(hour=9, minute=10))
    assert "预计今天14:40前回复" in said_to(replies, "jl-6")[0]  # 2 h 50 before lunch, 1 h 10 after


def test_ticket_codes_are_unique_across_communities_and_a_leader_finds_the_right_one(bot):
    bot.say("jl-3", "张阿姨", "3号楼楼道灯不亮")
    bot.say("wh-grid-2", "陈姐", "7号楼下水道堵了")
    assert [(t.code, t.community) for t in bot.tickets()] == [(1, "JL"), (2, "WH")]
    replies = bot.tell("郑国强", "#2 进度")
    assert "#0002(给排水)" in said_to(replies, "郑国强")[0]


def test_a_reporter_adding_to_their_own_problem_soon_after_does_not_open_a_second_ticket(bot):
    bot.say("wh-grid-2", "冯大爷", "8号楼水管爆了 快来人")
    replies = bot.say("wh-grid-2", "冯大爷", "有没有人啊 水越来越大了", at=MONDAY_9AM + timedelta(minutes=10))
    [ticket] = bot.tickets()
    assert any("已转告" in t and "#0001" in t for t in said_to(replies, "wh-grid-2"))
    assert any("反映人补充" in t and "水越来越大了" in t for t in said_to(replies, "孙强"))
    later = bot.say("wh-grid-2", "冯大爷", "有没有人啊 水越来越大了", at=MONDAY_9AM + timedelta(hours=3))
    assert len(bot.tickets()) == 2, "hours later it is a new report"
    assert later
