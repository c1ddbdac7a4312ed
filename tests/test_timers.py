"""Reminders, escalation, return visits and ratings, moved along by a clock."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from handlers.categories import Urgency
from handlers.desk import Desk
from handlers.tickets import Status
from schedules.policy import TicketTimers
from schedules.sweep import sweep
from storage.database import session_scope
from storage.tables import DueItemRow, OutboxRow
from tests.console_bot import ConsoleBot as Bot
from tests.databases import postgres_engine
from tests.factories import MONDAY_9AM
from tests.test_conversation import keyword_parser

SPANS = {Urgency.EMERGENCY: (timedelta(minutes=5), timedelta(hours=2)),
         Urgency.URGENT: (timedelta(minutes=30), timedelta(hours=24)),
         Urgency.NORMAL: (timedelta(hours=4), timedelta(days=5))}


def clock_deadlines(urgency: Urgency, created: datetime) -> tuple[datetime, datetime]:
    ack, resolve = SPANS[urgency]
    return created + ack, created + resolve


def next_day_10am(t: datetime) -> datetime:
    return datetime.combine(t.date() + timedelta(days=1), time(10), t.tzinfo)


def night_is_quiet(now: datetime, urgency: Urgency) -> datetime:
    if urgency is Urgency.EMERGENCY or 7 <= now.hour < 22:
        return now
    day = now.date() + timedelta(days=1) if now.hour >= 22 else now.date()
    return datetime.combine(day, time(7), now.tzinfo)


@pytest.fixture
def desk(settings) -> Desk:  # type: ignore[no-untyped-def]
    return Desk(settings.directory(), parse=keyword_parser, deadlines=clock_deadlines,
                timers=TicketTimers(next_day_10am), quiet=night_is_quiet)


@pytest.fixture
def bot(desk, engine) -> Bot:  # type: ignore[no-untyped-def]
    return Bot(desk, engine)


def test_ack_reminder_then_overdue_then_backup_then_grid_leader(bot):
    bot.say("jl-3", "张阿姨", "水管爆了")  # urgent: acknowledge within 30 min
    assert bot.at(MONDAY_9AM + timedelta(minutes=20)) == []
    said = bot.at(MONDAY_9AM + timedelta(minutes=23))  # 75 % of 30 min
    assert [c for c, _ in said] == ["王芳"] and "提醒" in said[0][1]
    assert bot.at(MONDAY_9AM + timedelta(minutes=24)) == [], "a reminder is sent once"
    said = bot.at(MONDAY_9AM + timedelta(minutes=30))
    assert said[0][0] == "王芳" and "超过接单时限" in said[0][1]
    said = bot.at(MONDAY_9AM + timedelta(minutes=45))
    assert [c for c, _ in said] == ["刘洋"] and bot.ticket().assignee == "liu_yang"
    said = bot.at(MONDAY_9AM + timedelta(minutes=60))
    assert [c for c, _ in said] == ["张伟"]
    bot.say("jl-3", "张阿姨", "#1 进度")
    assert "已超时" in bot.console.transcript[-1].text and "已改派" in bot.console.transcript[-1].text


def test_acknowledging_cancels_the_ack_timers(bot):
    bot.say("jl-3", "张阿姨", "水管爆了")
    bot.say("刘洋", "王芳", "收到", private=True)
    bot.say("王芳", "王芳", "收到", private=True)
    assert bot.ticket().status is Status.ACKNOWLEDGED
    assert bot.at(MONDAY_9AM + timedelta(hours=2)) == []


def test_resolution_missed_goes_to_community_then_street(bot):
    bot.say("jl-3", "张阿姨", "水管爆了")
    bot.say("王芳", "王芳", "收到", private=True)
    assert bot.at(MONDAY_9AM + timedelta(hours=18)) == [], "75 % falls at 03:00: held"
    said = bot.at(MONDAY_9AM + timedelta(hours=22))
    assert said and "还未办结" in said[0][1]
    said = bot.at(MONDAY_9AM + timedelta(hours=24))
    assert ("李红梅" in [c for c, _ in said]) and bot.ticket().escalation_level == 1
    assert bot.ticket().status is Status.ESCALATED
    said = bot.at(MONDAY_9AM + timedelta(hours=48))
    assert "郑国强" in [c for c, _ in said] and bot.ticket().escalation_level == 2
    bot.say("jl-3", "张阿姨", "#1 进度")
    assert "已上报街道" in bot.console.transcript[-1].text


def test_return_visit_and_rating_reminder_then_unrated(bot):
    bot.say("jl-3", "张阿姨", "楼道灯坏了")
    bot.say("王芳", "王芳", "#1 已解决 换了灯泡", private=True)
    said = bot.at(datetime.combine(MONDAY_9AM.date() + timedelta(days=1), time(10), MONDAY_9AM.tzinfo))
    assert said == [("王芳", said[0][1])] and "请回访 #0001" in said[0][1]
    bot.say("王芳", "王芳", "#1 回访 灯亮着,居民满意", private=True)
    said = bot.at(MONDAY_9AM + timedelta(days=3, minutes=1))
    assert said[0][0] == "jl-3" and "还请您评价" in said[0][1]
    bot.at(MONDAY_9AM + timedelta(days=6, minutes=1))
    ticket = bot.ticket()
    assert ticket.status is Status.CLOSED and ticket.rating == "unrated"


def test_dissatisfied_reopens_with_a_fresh_deadline(bot):
    bot.say("jl-3", "张阿姨", "楼道灯坏了")
    bot.say("王芳", "王芳", "#1 已解决", private=True)
    bot.now = MONDAY_9AM + timedelta(hours=1)
    bot.say("jl-3", "张阿姨", "3")
    ticket = bot.ticket()
    assert ticket.status is Status.REOPENED
    assert ticket.resolve_due == bot.now + timedelta(days=5)
    assert "张伟" in [s.chat_id for s in bot.console.transcript[-3:]]
    assert bot.at(MONDAY_9AM + timedelta(days=3, minutes=1)) == [], "no rating reminder once reopened"


def test_quiet_hours_hold_pings_until_morning_but_not_emergencies(bot):
    bot.now = MONDAY_9AM.replace(hour=21, minute=50)
    bot.say("jl-3", "张阿姨", "水管爆了")  # urgent, reminder due 22:12
    said = bot.at(bot.now.replace(hour=22, minute=30))
    assert said == [], "held during quiet hours"
    said = bot.at(bot.now + timedelta(days=1) - timedelta(hours=bot.now.hour - 7, minutes=30))
    assert [c for c, _ in said].count("王芳") >= 1, "delivered at 07:00, nothing dropped"
    bot.now = MONDAY_9AM.replace(hour=23)
    bot.say("jl-6", "刘阿姨", "有老人摔倒了")
    assert any(s.chat_id == "刘洋" for s in bot.console.transcript[-4:]), "emergencies ignore quiet hours"


def test_restart_catches_up_once(desk, engine):
    first = Bot(desk, engine)
    first.say("jl-3", "张阿姨", "水管爆了")
    # the bot is down from 09:00 to 11:00; a new process starts with the same database
    second = Bot(desk, engine)
    said = second.at(MONDAY_9AM + timedelta(hours=2))
    kinds = sorted(chat for chat, _ in said)
    assert kinds == ["刘洋", "张伟", "王芳", "王芳"], said
    assert second.at(MONDAY_9AM + timedelta(hours=2, minutes=1)) == []
    assert Bot(desk, engine).at(MONDAY_9AM + timedelta(hours=2, minutes=2)) == []


@pytest.mark.postgres
def test_two_bots_on_one_postgres_never_send_a_reminder_twice(desk):
    from concurrent.futures import ThreadPoolExecutor

    with postgres_engine() as engine:
        bot = Bot(desk, engine)
        for building in range(1, 9):
            bot.say(f"jl-{3 if building <= 4 else 6}", f"居民{building}", f"{building}号楼水管爆了")
        later = MONDAY_9AM + timedelta(hours=3)
        with ThreadPoolExecutor(4) as pool:
            results = list(pool.map(lambda _: sweep(engine, desk, later, batch=3), range(4)))
        with session_scope(engine) as session:
            done = session.execute(select(func.count()).select_from(DueItemRow)
                                   .where(DueItemRow.done_at.is_not(None))).scalar_one()
            texts = list(session.execute(select(OutboxRow.chat_id, OutboxRow.text)
                                         .where(OutboxRow.text.contains("提醒"))).all())
        assert sum(len(r) for r in results) > 0 and done > 0
        assert len(texts) == len(set(texts)) == 8, "one reminder per ticket, whoever swept"
