"""Staff, as they really write: their own words are understood (the bundled staff
model), corrections work in chat, worker-only texts stay out of residents' groups."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from bot.bootstrap import build_desk
from handlers.categories import Category, Urgency
from handlers.tickets import Status
from storage.corrections import labelled_examples
from storage.database import session_scope
from tests.console_bot import ConsoleBot
from tests.databases import sqlite_engine
from tests.factories import MONDAY_9AM
from tests.readers import EVERYDAY
from tests.test_flows_reports import said_to


@pytest.fixture
def bot(settings, tmp_path):  # type: ignore[no-untyped-def]
    with sqlite_engine(str(tmp_path / "griddesk.db")) as engine:
        yield ConsoleBot(build_desk(settings, read=EVERYDAY), engine)


def notification(bot: ConsoleBot, worker: str = "王芳", code: str = "#0001"):  # type: ignore[no-untyped-def]
    return bot.last_from_bot(worker, f"【新工单 {code}】")


@pytest.mark.parametrize("words", ["灯换好了", "已修好 换了灯泡", "搞定了 新灯泡装上了", "修好了👌"])
def test_a_fix_said_in_any_words_in_reply_to_the_notification_is_recorded(bot, words):
    bot.say("jl-3", "张阿姨", "3号楼2单元楼道灯不亮")
    replies = bot.tell("王芳", words, reply_to=notification(bot).message_id)

    ticket = bot.ticket(1)
    assert ticket.status is Status.RESOLVED and ticket.resolution == words
    group = said_to(replies, "jl-3")
    assert any("已解决" in t and words in t for t in group), "the worker's own words are the note"
    assert any("@张阿姨" in t and "请您评价" in t for t in group)


@pytest.mark.parametrize("words", ["收到 让维保下午来", "这个我来处理", "好的 马上过去看看"])
def test_taking_it_on_in_own_words(bot, words):
    bot.say("jl-3", "张阿姨", "3号楼2单元楼道灯不亮")
    replies = bot.tell("王芳", words, reply_to=notification(bot).message_id)
    assert bot.ticket(1).status is Status.ACKNOWLEDGED
    assert any("王芳已接单" in t for t in said_to(replies, "jl-3"))


def test_with_one_open_ticket_the_worker_need_not_say_which(bot):
    bot.say("jl-3", "张阿姨", "3号楼2单元楼道灯不亮")
    bot.tell("王芳", "下水道通开了" if False else "灯换好了")
    assert bot.ticket(1).status is Status.RESOLVED


def test_with_several_open_tickets_the_bot_asks_which_and_acts_on_the_answer(bot):
    bot.say("jl-3", "张阿姨", "3号楼2单元楼道灯不亮")
    bot.say("jl-3", "李大爷", "3号楼1单元下水道堵了")
    replies = bot.tell("王芳", "通开了")
    [question] = said_to(replies, "王芳")
    assert "哪个工单" in question and "#0001" in question and "#0002" in question
    assert {t.status for t in bot.tickets()} == {Status.ASSIGNED}

    bot.tell("王芳", "#2")
    assert bot.ticket(2).status is Status.RESOLVED and bot.ticket(2).resolution == "通开了"
    assert bot.ticket(1).status is Status.ASSIGNED


def test_staff_words_in_a_residents_group_answer_the_group_and_the_worker_privately(bot):
    bot.say("jl-3", "张阿姨", "3号楼2单元楼道灯不亮")
    receipt = bot.last_from_bot("jl-3", "登记为")
    replies = bot.say("jl-3", "王芳", "收到 下午过去", reply_to=receipt.message_id)
    group = said_to(replies, "jl-3")
    assert group == ["#0001 网格员王芳已接单,正在处理。"]
    assert any("已接单 #0001" in t for t in said_to(replies, "王芳"))


def test_staff_chatting_in_a_group_is_left_alone(bot):
    bot.say("jl-3", "张阿姨", "3号楼2单元楼道灯不亮")
    assert bot.say("jl-3", "王芳", "大家晚上出门注意安全") == []
    assert bot.ticket(1).status is Status.ASSIGNED


def test_a_false_alarm_closes_politely_and_does_not_count_as_resolved(bot):
    bot.say("jl-3", "张阿姨", "3号楼楼道灯不亮")
    replies = bot.tell("王芳", "误报", reply_to=notification(bot).message_id)
    ticket = bot.ticket(1)
    assert ticket.status is Status.DISMISSED and ticket.resolved_at is None
    assert any("不需要处理" in t for t in said_to(replies, "jl-3"))
    assert not any("请您评价" in t for t in said_to(replies, "jl-3"))


def test_not_a_request_is_kept_as_a_training_example(bot, tmp_path):
    bot.say("jl-3", "张阿姨", "3号楼楼道灯不亮")
    bot.tell("王芳", "#1 不是诉求")
    bot.say("jl-6", "刘阿姨", "6号楼2单元下水道堵了")
    bot.tell("刘洋", "类别 燃气", reply_to=notification(bot, "刘洋", "#0002").message_id)
    with session_scope(bot.engine) as session:
        examples = list(labelled_examples(session))
    assert [(e["text"], e["is_request"], e["category"]) for e in examples] == [
        ("3号楼楼道灯不亮", False, None), ("6号楼2单元下水道堵了", True, "gas")]
    json.dumps(examples, ensure_ascii=False)  # the export format is JSON


def test_raising_to_emergency_runs_the_emergency_path(bot):
    bot.say("jl-3", "张阿姨", "3号楼楼道灯不亮")
    replies = bot.tell("王芳", "紧急", reply_to=notification(bot).message_id)
    assert bot.ticket(1).urgency is Urgency.EMERGENCY
    assert any("紧急情况" in t for t in said_to(replies, "jl-3"))
    assert any("紧急" in t for t in said_to(replies, "张伟"))
    assert any("紧急" in t for t in said_to(replies, "李红梅"))


def test_moving_a_ticket_to_another_grid_hands_it_to_that_grids_worker(bot):
    bot.say("jl-3", "张阿姨", "楼道灯不亮")
    replies = bot.tell("王芳", "#1 位置 6号楼2单元")
    ticket = bot.ticket(1)
    assert (ticket.building, ticket.unit, ticket.grid, ticket.assignee) == ("6", "2", "JL-2", "liu_yang")
    assert any("转给您" in t for t in said_to(replies, "刘洋"))


def test_filing_a_message_the_bot_let_pass(bot):
    bot.say("jl-3", "张阿姨", "门口那块地砖翘起来了 好几个人绊倒过")
    assert bot.tickets() == []
    resident_message = bot.last_message_of("张阿姨")
    replies = bot.say("jl-3", "王芳", "立案 公共设施", reply_to=resident_message.message_id)
    [ticket] = bot.tickets()
    assert ticket.reporter.name == "张阿姨" and ticket.category is Category.PUBLIC_FACILITIES
    assert any("登记为 #0001" in t for t in said_to(replies, "jl-3"))


def test_corrections_that_point_at_nothing_get_a_clear_answer_and_change_nothing(bot):
    bot.say("jl-3", "张阿姨", "3号楼楼道灯不亮")
    for text in ("#99999999999999999999 误报", "#42 误报"):
        replies = bot.tell("王芳", text)
        assert any("没有找到工单" in t for t in said_to(replies, "王芳"))
    replies = bot.say("jl-3", "王芳", "立案", reply_to="never-seen")
    assert any("没有找到这条消息" in t for t in said_to(replies, "王芳"))
    replies = bot.tell("赵敏", "#1 误报")  # another community's worker
    assert any("只有负责" in t for t in said_to(replies, "赵敏"))
    assert bot.ticket(1).status is Status.ASSIGNED and len(bot.tickets()) == 1


def test_an_escalation_is_told_to_the_residents_group_in_neutral_words(bot):
    bot.say("jl-3", "张阿姨", "3号楼楼道灯不亮")
    replies = bot.tell("王芳", "得社区出面协调 我报上去", reply_to=notification(bot).message_id)
    assert bot.ticket(1).status is Status.ESCALATED
    assert "#0001 已上报社区协调处理。" in said_to(replies, "jl-3")


def test_an_unclear_reply_gets_one_short_question_with_choices(bot):
    bot.say("jl-3", "张阿姨", "3号楼楼道灯不亮")
    replies = bot.tell("王芳", "这个嘛", reply_to=notification(bot).message_id)
    [question] = said_to(replies, "王芳")
    assert "1 已解决" in question and "2 已接单" in question
    bot.tell("王芳", "2")
    assert bot.ticket(1).status is Status.ACKNOWLEDGED


def test_the_digest_on_demand_covers_today_so_far_and_yesterday_on_request(bot):
    bot.say("jl-3", "张阿姨", "3号楼楼道灯不亮", at=MONDAY_9AM + timedelta(hours=11))
    today = said_to(bot.tell("张伟", "日报"), "张伟")[0]
    assert "新增 1" in today or "新增1" in today
    yesterday = said_to(bot.tell("张伟", "昨日日报"), "张伟")[0]
    assert "新增 0" in yesterday or "新增0" in yesterday


def test_after_the_fix_what_the_worker_says_about_it_is_the_return_visit(bot):
    bot.say("jl-3", "张阿姨", "3号楼楼道灯不亮")
    bot.tell("王芳", "#1 已解决 换了灯泡")
    bot.say("jl-3", "张阿姨", "满意")
    replies = bot.tell("王芳", "回访了 老人说挺好", reply_to=notification(bot).message_id)
    assert any("回访已记录" in t for t in said_to(replies, "王芳"))
    assert bot.ticket(1).status is Status.CLOSED


def test_an_emergency_is_not_closed_as_a_false_alarm_on_a_reading_alone(bot):
    bot.say("jl-3", "张阿姨", "3号楼有股煤气味")
    alert = notification(bot)
    replies = bot.tell("王芳", "去看了 没有味道 没问题", reply_to=alert.message_id)
    assert bot.ticket(1).status is not Status.DISMISSED
    assert any("没看明白" in t for t in said_to(replies, "王芳"))
    bot.tell("王芳", "误报", reply_to=alert.message_id)
    assert bot.ticket(1).status is Status.DISMISSED
