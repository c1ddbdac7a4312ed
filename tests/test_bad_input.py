"""Any text, any size, any encoding: no crash, nothing lost, no ticket for noise."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.bootstrap import build_desk
from storage.database import session_scope
from storage.tables import InboundMessage, TicketRow
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


def test_a_dead_database_loses_nothing_already_said(bot, monkeypatch):
    """If handling fails the message is not half-stored: a redelivery is handled fresh."""
    desk = bot.runtime.desk

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database went away")

    monkeypatch.setattr(desk, "handle_message", broken)
    asyncio.run(bot.console.post("jl-3", "居民", "3号楼水管爆了", bot.now))
    assert count(bot.engine, InboundMessage) == 0, "rolled back with the failure"
    monkeypatch.undo()
    asyncio.run(bot.runtime.on_message(_same_message_again(bot)))
    assert count(bot.engine, TicketRow) == 1


def _same_message_again(bot):  # type: ignore[no-untyped-def]
    from handlers.messages import Inbound

    said = bot.console.transcript[-1]
    return Inbound("console", "jl-3", said.message_id, "居民", "居民", said.text, bot.now)
