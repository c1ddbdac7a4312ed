"""Ratings are given once, by the person who reported, and the buttons go away."""

from __future__ import annotations

import pytest

from bot.bootstrap import build_desk
from handlers.tickets import Status
from tests.console_bot import ConsoleBot
from tests.databases import sqlite_engine
from tests.readers import EVERYDAY
from tests.test_flows_reports import said_to


@pytest.fixture
def bot(settings, tmp_path):  # type: ignore[no-untyped-def]
    with sqlite_engine(str(tmp_path / "griddesk.db")) as engine:
        yield ConsoleBot(build_desk(settings, read=EVERYDAY), engine)


def resolved(bot: ConsoleBot):  # type: ignore[no-untyped-def]
    bot.say("jl-3", "张阿姨", "3号楼楼道灯不亮")
    bot.tell("王芳", "#1 已解决 换了灯泡")
    return bot.last_from_bot("jl-3", "请您评价")


def test_the_rating_prompt_names_the_reporter(bot):
    prompt = resolved(bot)
    assert prompt.text.startswith("@张阿姨 #0001") and prompt.buttons == ("满意", "基本满意", "不满意")


def test_a_second_press_changes_nothing_and_the_buttons_are_taken_away(bot):
    prompt = resolved(bot)
    assert "谢谢您的评价" in (bot.press("张阿姨", prompt, "满意") or "")
    assert (prompt.message_id, ()) in bot.console.edits

    assert "已评价" in (bot.press("张阿姨", prompt, "不满意") or "")
    ticket = bot.ticket(1)
    assert ticket.status is Status.CLOSED and ticket.rating == "satisfied"


def test_satisfied_with_thanks_counts(bot):
    resolved(bot)
    replies = bot.say("jl-3", "张阿姨", "满意,谢谢王芳")
    assert bot.ticket(1).rating == "satisfied"
    assert any("谢谢您的评价" in t for t in said_to(replies, "jl-3"))
    again = bot.say("jl-3", "张阿姨", "3")
    assert bot.ticket(1).status is Status.CLOSED and not any("重新" in t for t in said_to(again, "jl-3"))


def test_dissatisfied_reopens_and_the_next_fix_is_rated_again(bot):
    resolved(bot)
    replies = bot.say("jl-3", "张阿姨", "不满意 灯还是不亮")
    assert bot.ticket(1).status is Status.REOPENED
    assert any("重新处理" in t for t in said_to(replies, "王芳"))
    bot.tell("王芳", "#1 已解决 换了开关")
    bot.say("jl-3", "张阿姨", "1")
    ticket = bot.ticket(1)
    assert ticket.status is Status.CLOSED and ticket.rating == "satisfied"


def test_only_the_reporter_rates(bot):
    prompt = resolved(bot)
    assert "由反映这个问题的居民来做" in (bot.press("路人", prompt, "不满意") or "")
    assert bot.ticket(1).status is Status.RESOLVED
    assert (prompt.message_id, ()) not in bot.console.edits


def test_the_take_on_button_goes_and_the_others_stay(bot):
    bot.say("jl-3", "张阿姨", "3号楼楼道灯不亮")
    card = bot.last_from_bot("王芳", "【新工单 #0001】")
    bot.press("王芳", card, "接单")
    assert (card.message_id, ("已解决", "上报")) in bot.console.edits
    assert bot.ticket(1).status is Status.ACKNOWLEDGED


def test_a_qualified_rating_counts(bot):
    resolved(bot)
    bot.say("jl-3", "张阿姨", "基本满意 就是来得有点晚")
    assert bot.ticket(1).rating == "basically"
