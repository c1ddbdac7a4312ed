# ruff: noqa: F811  (pytest fixtures are imported by name and then requested as arguments)
"""kill -9 of a real `griddesk run` (its own process, the real parser, SQLite) talking
to the loopback Bot API, while it is sending the receipt of an emergency: after a
restart nothing is lost, no ticket is doubled, one send at most is repeated, and the
emergency alerts the dead process held are out before the new one says it runs —
it takes them over at start instead of waiting for a lease or a heartbeat to expire.
(How many seconds that is: `bench/faults.py crash`.)"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from telegram import User

from storage.database import make_engine, session_scope
from storage.tables import InboundMessage, OutboxRow, TicketRow
from tests.bot_process import BotProcess, write_config
from tests.telegram.fixtures import BUILDING_3, anyio_backend, bot_api  # noqa: F401
from tests.telegram.server import TOKEN, FakeBotApi

pytestmark = pytest.mark.anyio

GROUP = BUILDING_3.id
LEADERS = (1010, 1020)
"""张伟 (grid leader JL) and 李红梅 (community leader JL): told at once of an emergency."""
REQUESTS = ["1号楼楼道灯坏了", "2号楼下水道堵了 污水冒出来了", "4号楼电梯坏了停在三楼",
            "1号楼门口的垃圾好几天没人收了", "2号楼暖气不热", "4号楼楼道里有人给电动车充电",
            "1号楼水管漏水了", "2号楼楼道灯不亮"]
EMERGENCY = "3号楼2单元有老人摔倒了起不来 快来人"
AFTER = ["4号楼门口的路灯坏了", "1号楼墙皮掉下来了"]
RESIDENTS = [User(7000 + i, f"居民{i}", is_bot=False) for i in range(12)]


def duplicates(api: FakeBotApi) -> int:
    seen = Counter((s.chat_id, s.text) for s in api.sent)
    return sum(n - 1 for n in seen.values())


async def test_killed_while_sending_an_emergency_receipt(bot_api, tmp_path):
    database = f"sqlite:///{tmp_path}/griddesk.db"
    config = write_config(tmp_path, database, telegram={"api_url": bot_api.url, "poll_timeout": 1})
    env = {"TELEGRAM_BOT_TOKEN": TOKEN}

    first = await BotProcess(config, env).start()
    await first.wait_for_line("GridDesk")
    posted = [bot_api.post(BUILDING_3, RESIDENTS[i], text) for i, text in enumerate(REQUESTS)]
    await bot_api.wait_for(lambda: len(bot_api.sent_to(GROUP)) >= len(REQUESTS), timeout=30)
    bot_api.stall_when("sendMessage", lambda params: "紧急" in params.get("text", ""))
    posted.append(bot_api.post(BUILDING_3, RESIDENTS[8], EMERGENCY))
    await asyncio.wait_for(bot_api.stalled.wait(), 30)
    posted += [bot_api.post(BUILDING_3, RESIDENTS[9 + i], text) for i, text in enumerate(AFTER)]
    first.kill9()
    await first.wait()
    assert not any(bot_api.sent_to(leader) for leader in LEADERS), "killed before the alerts"

    second = await BotProcess(config, env).start()
    try:
        await second.wait_for_line("GridDesk")
        alerted = all(bot_api.sent_to(leader) for leader in LEADERS)
        await bot_api.wait_acknowledged(timeout=30)
        await bot_api.wait_for(lambda: len(bot_api.sent_to(GROUP)) >= len(posted) + 1, timeout=30)
    finally:
        assert await second.stop() == 0, second.output[-2000:]

    engine = make_engine(database)
    with session_scope(engine) as session:
        stored = set(session.execute(select(InboundMessage.message_id)
                                     .where(InboundMessage.chat_id == str(GROUP))).scalars())
        doubled = session.execute(select(TicketRow.source_message_id).group_by(TicketRow.source_message_id)
                                  .having(func.count() > 1)).all()
        unsent = session.execute(select(func.count()).select_from(OutboxRow).where(
            OutboxRow.sent_at.is_(None), OutboxRow.deliver_after <= datetime.now(UTC))).scalar_one()
    engine.dispose()
    assert {str(m.message_id) for m in posted} <= stored, "nothing lost"
    assert doubled == [], "no ticket twice"
    assert unsent == 0
    assert duplicates(bot_api) <= 1, "at most the one send in flight is repeated"
    assert alerted, "the emergency alerts went out as the new process started"
