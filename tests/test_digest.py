"""The leaders' digest, from a replayed day and a holiday week, checked by hand."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from bot.bootstrap import build_desk
from handlers.digest_build import build_digest, period, scope_for
from schedules.digest_job import send_digests
from storage.database import session_scope
from storage.repository import SqlTicketStore
from tests.console_bot import ConsoleBot
from tests.factories import SHANGHAI
from tests.test_conversation import keyword_parser

TUESDAY = datetime(2026, 11, 24, tzinfo=SHANGHAI)


def at(day: datetime, hh: int, mm: int = 0) -> datetime:
    return day.replace(hour=hh, minute=mm)


@pytest.fixture
def bot(settings, engine) -> ConsoleBot:  # type: ignore[no-untyped-def]
    return ConsoleBot(build_desk(settings, parse=keyword_parser), engine, at(TUESDAY, 8))


def replay_tuesday(bot: ConsoleBot) -> None:
    # 1: urgent, acknowledged and fixed in time, rated 满意
    bot.say("jl-3", "张阿姨", "3号楼水管爆了 电话13812345678", at=at(TUESDAY, 9))
    bot.say("王芳", "王芳", "#1 收到", private=True, at=at(TUESDAY, 9, 10))
    # 2: normal, 刘洋 forgets: 4 working hours from 10:00 is 15:30, he answers at 16:00
    bot.say("jl-6", "刘阿姨", "6号楼楼道灯坏了", at=at(TUESDAY, 10))
    # 3: emergency, acknowledged in time, "fixed", then rated 不满意 and not fixed again in time
    bot.say("jl-3", "李大爷", "3号楼601有老人摔倒了", at=at(TUESDAY, 11))
    bot.say("王芳", "王芳", "#3 收到", private=True, at=at(TUESDAY, 11, 3))
    bot.say("王芳", "王芳", "#3 已解决 已送医", private=True, at=at(TUESDAY, 12, 30))
    bot.say("jl-3", "李大爷", "不满意", at=at(TUESDAY, 13))
    bot.say("王芳", "王芳", "#1 已解决 换了阀门", private=True, at=at(TUESDAY, 15))
    bot.say("jl-3", "张阿姨", "1", at=at(TUESDAY, 15, 30))
    bot.at(at(TUESDAY, 15, 45))  # ack of #2 overdue; #3's fresh 2-hour deadline passed at 15:00
    bot.say("刘洋", "刘洋", "#2 收到", private=True, at=at(TUESDAY, 16))
    bot.say("jl-3", "王大妈", "谢谢网格员", at=at(TUESDAY, 17))
    bot.at(at(TUESDAY, 21))


def digest_of(bot: ConsoleBot, leader_id: str, now: datetime, weekly: bool = False):  # type: ignore[no-untyped-def]
    directory = bot.runtime.desk.directory
    scope = scope_for(directory.staff[leader_id], directory)
    assert scope is not None
    start, end = period(now, weekly)
    with session_scope(bot.engine) as session:
        facts = SqlTicketStore(session).digest_facts(scope, start, end, now)
    return build_digest(facts, scope, start, end, now, directory)


def test_daily_digest_figures_match_the_day(bot):
    replay_tuesday(bot)
    d = digest_of(bot, "li_hongmei", at(TUESDAY + timedelta(days=1), 8))
    t = d.totals
    assert (t.new, t.acknowledged, t.resolved, t.overdue, t.escalated) == (3, 3, 1, 2, 1)
    assert (t.response.ok, t.response.total) == (2, 3)      # #2 acknowledged late
    assert (t.resolution.ok, t.resolution.total) == (1, 2)  # #1 in time; #3 reopened, overdue
    assert (t.satisfaction.ok, t.satisfaction.total) == (1, 2)
    grids = {g.name: g for g in d.by_grid}
    assert grids["吉利第一网格"].new == 2 and grids["吉利第二网格"].response.total == 1
    assert grids["吉利第二网格"].response.ok == 0
    assert [o.code for o in d.most_overdue] == [3] and d.most_overdue[0].holder_name == "王芳"
    assert d.most_overdue[0].overdue_by == timedelta(hours=17)  # due Tue 15:00, read Wed 08:00


def test_grid_leader_and_other_community_see_only_their_scope(bot):
    replay_tuesday(bot)
    wednesday = at(TUESDAY + timedelta(days=1), 8)
    assert digest_of(bot, "zhang_wei", wednesday).totals.new == 3   # JL-1..3
    assert digest_of(bot, "wu_jianguo", wednesday).totals.new == 0  # 文化里
    assert digest_of(bot, "zheng_guoqiang", wednesday).totals.new == 3


def test_scheduled_digest_reaches_each_leader_once_without_residents_details(bot):
    replay_tuesday(bot)
    bot.now = at(TUESDAY + timedelta(days=1), 8)
    before = len(bot.console.transcript)
    assert asyncio.run(send_digests(bot.runtime, weekly=False)) == 5
    assert asyncio.run(send_digests(bot.runtime, weekly=False)) == 0, "never twice"
    sent = bot.console.transcript[before:]
    texts = {s.chat_id: s.text for s in sent if "[图表]" not in s.text}
    assert set(texts) == {"张伟", "李红梅", "周丽", "吴建国", "郑国强"}
    assert "新增" in texts["李红梅"] and "3" in texts["李红梅"]
    for text in texts.values():
        for private in ("13812345678", "601", "张阿姨", "李大爷", "刘阿姨"):
            assert private not in text
    assert any("[图表]" in s.text for s in sent), "a chart goes with the text"


def test_leader_asks_for_the_digest_any_time(bot):
    replay_tuesday(bot)
    said = bot.say("李红梅", "李红梅", "日报", private=True, at=at(TUESDAY + timedelta(days=1), 9))
    assert said and "吉利社区" in said[0][1]
    said = bot.say("王芳", "王芳", "日报", private=True)
    assert "负责人" in said[0][1]


def test_a_holiday_week_waits_for_working_days(settings, engine):
    """National Day 2026: Oct 1–7 off, Sat Oct 10 is a working day (调休)."""
    eve = datetime(2026, 9, 30, 16, 0, tzinfo=SHANGHAI)
    bot = ConsoleBot(build_desk(settings, parse=keyword_parser), engine, eve)
    bot.say("jl-3", "张阿姨", "3号楼楼道灯坏了")
    ticket = bot.ticket()
    assert ticket.ack_due == datetime(2026, 10, 8, 11, 0, tzinfo=SHANGHAI)
    assert ticket.resolve_due == datetime(2026, 10, 13, 16, 0, tzinfo=SHANGHAI)
    for day in range(1, 8):
        assert bot.at(datetime(2026, 10, day, 12, tzinfo=SHANGHAI)) == [], f"nothing on Oct {day}"
    said = bot.at(datetime(2026, 10, 8, 10, 0, tzinfo=SHANGHAI))
    assert said and said[0][0] == "王芳" and "提醒" in said[0][1]
    assert "超过接单时限" in bot.at(datetime(2026, 10, 8, 11, 0, tzinfo=SHANGHAI))[0][1]
    bot.say("王芳", "王芳", "收到", private=True, at=datetime(2026, 10, 8, 11, 20, tzinfo=SHANGHAI))
    weekly = digest_of(bot, "li_hongmei", datetime(2026, 10, 12, 8, tzinfo=SHANGHAI), weekly=True)
    t = weekly.totals
    assert (t.new, t.acknowledged, t.overdue, t.response.total) == (0, 1, 1, 0)


def test_today_s_response_rate_waits_for_tickets_still_inside_their_deadline(settings, engine):
    from datetime import timedelta

    from handlers.digest_build import DigestScope, _Tally
    from storage.database import session_scope
    from storage.repository import SqlTicketStore

    bot = ConsoleBot(build_desk(settings, parse=keyword_parser), engine, at(TUESDAY, 9))
    bot.say("jl-3", "张阿姨", "3号楼楼道灯坏了")
    with session_scope(engine) as session:
        facts = SqlTicketStore(session).digest_facts(DigestScope("JL"), at(TUESDAY, 0), bot.now + timedelta(minutes=1),
                                                     bot.now)
    tally = _Tally("JL")
    for f in facts.active:
        tally.add(f, at(TUESDAY, 0), bot.now + timedelta(minutes=1), False)
    assert tally.figures().response.total == 0, "not answered yet, not late yet: not a miss"
