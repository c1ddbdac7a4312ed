"""Any text, any size, any encoding: no crash, nothing lost, no ticket for noise."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.bootstrap import build_desk
from storage.database import session_scope
from storage.tables import DeadLetter, InboundMessage, TicketRow
from tests.console_bot import ConsoleBot

NOISE = [
    "", "   ", "\n\t\n", "😀😀😀🙏🙏", "[红包]恭喜发财,大吉大利", "\x00\x01\x1b[31m", "收到", "👍",
    "<script>alert('x')</script>", "'; DROP TABLE ticket; --", "SELECT * FROM users WHERE 1=1",
    "哈" * 10_000, "\ud800 broken surrogate", "https://example.com/a?b=c", "@王芳 ",
    "【通知】明天上午9点至12点停水,请提前储水", "谢谢网格员,水管已经修好了",
]


@pytest.fixture
def bot(settings, engine) -> ConsoleBot:  # type: ignore[no-untyped-def]
    return ConsoleBot(build_desk(settings), engine)


def count(engine, table) -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return session.execute(select(func.count()).select_from(table)).scalar_one()


def test_noise_is_stored_and_makes_no_ticket(bot):
    for text in NOISE:
        bot.say("jl-3", "路人", text)
    assert count(bot.engine, InboundMessage) == len(NOISE)
    assert count(bot.engine, TicketRow) == 0
    assert bot.console.bot_said_in("jl-3") == []


def test_requests_in_odd_forms_still_become_tickets(bot):
    for text in ["3號樓電梯壞了,有人被困在裡面", "Ｂ３号楼 水管爆了😱😱 快来人" , "3-2-601楼道灯不亮\x00了"]:
        said = bot.say("jl-3", "居民", text)
        assert said and ("登记为" in said[0][1] or "紧急" in said[0][1]), (text, said)
    assert count(bot.engine, TicketRow) == 3


def test_a_message_that_fails_every_try_is_kept_and_the_duty_worker_told(bot, monkeypatch):
    """Not half-stored, not forgotten: a dead letter with the error, a private word to
    the community's duty worker (李娜 for 吉利), and ``replay-dead`` handles it later."""
    desk = bot.runtime.desk

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("core bug")

    monkeypatch.setattr(desk, "handle_message", broken)
    said = bot.say("jl-3", "居民", "3号楼水管爆了")

    assert count(bot.engine, InboundMessage) == 0, "rolled back with the failure"
    with session_scope(bot.engine) as session:
        [letter] = session.execute(select(DeadLetter)).scalars()
    assert letter.attempts == bot.runtime.attempts and "core bug" in letter.error
    [(who, notice)] = said
    assert who == "李娜" and "没能处理" in notice and "3号楼水管爆了" in notice

    monkeypatch.undo()
    assert asyncio.run(bot.runtime.replay_dead()) == (1, 0)
    assert count(bot.engine, TicketRow) == 1
    assert any("登记为" in text for text in bot.console.bot_said_in("jl-3"))
    assert asyncio.run(bot.runtime.replay_dead()) == (0, 0), "replayed once"
