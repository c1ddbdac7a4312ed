# ruff: noqa: F811  (pytest fixtures are imported by name and then requested as arguments)
"""Faults on the whole Telegram stack (loopback Bot API ⇄ TelegramPlatform ⇄ Runtime):
a message the core cannot handle becomes a dead letter and a word to the duty
worker; the database going away (a cut proxy in front of a real PostgreSQL) leaves
updates unacknowledged until they are stored."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine, make_url

from bot.runtime import Runtime
from handlers.desk import Desk, reader_of
from handlers.parsing import ParseContext, ParsedRequest
from storage.database import session_scope
from storage.tables import DeadLetter, InboundMessage, TicketRow
from tests.console_bot import no_wait
from tests.databases import postgres_engine, require_postgres
from tests.factories import MONDAY_9AM
from tests.pg_proxy import CuttableProxy
from tests.telegram.fixtures import (  # noqa: F401  (pytest fixtures)
    BUILDING_3,
    RESIDENT,
    RecordedSleep,
    anyio_backend,
    bot_api,
    make_platform,
)
from tests.telegram.server import FakeBotApi
from tests.test_conversation import keyword_parser

pytestmark = pytest.mark.anyio

GROUP = str(BUILDING_3.id)
LI_NA = "1004"
"""李娜: duty worker of 吉利社区 in the bundled config."""


def count(engine: Engine, table, *where) -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return session.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


@asynccontextmanager
async def running(api: FakeBotApi, desk: Desk, engine: Engine):  # type: ignore[no-untyped-def]
    platform = make_platform(api, RecordedSleep())
    runtime = Runtime(desk, engine, [platform], lambda: MONDAY_9AM, sleep=no_wait)
    await runtime.start(flush_every=0)
    try:
        yield runtime
    finally:
        await runtime.stop()


def failing_on(word: str) -> Callable[[str, ParseContext | None], ParsedRequest | None]:
    def parse(text: str, context: ParseContext | None = None) -> ParsedRequest | None:
        if word in text:
            raise RuntimeError("a bug in the parser")
        return keyword_parser(text, context)

    return parse


async def test_a_message_the_core_fails_on_becomes_a_dead_letter_and_the_duty_worker_hears(
        bot_api, settings, tmp_path):
    from bot.bootstrap import open_storage

    engine = open_storage(f"sqlite:///{tmp_path}/griddesk.db")
    desk = Desk(settings.directory(), parse=failing_on("水管"))
    async with running(bot_api, desk, engine) as runtime:
        bot_api.post(BUILDING_3, RESIDENT, "3号楼水管爆了")
        bot_api.post(BUILDING_3, RESIDENT, "3号楼楼道灯坏了")
        [notice] = await bot_api.wait_sent(LI_NA)
        await bot_api.wait_sent(GROUP)
        await bot_api.wait_acknowledged()

        assert "没能处理" in notice.text and "3号楼水管爆了" in notice.text
        assert count(engine, DeadLetter) == 1 and count(engine, TicketRow) == 1

        desk.read = reader_of(keyword_parser)  # the bug is fixed: griddesk replay-dead
        assert await runtime.replay_dead() == (1, 0)
        receipts = await bot_api.wait_sent(GROUP, 2)
    assert "#0002" in receipts[1].text and count(engine, TicketRow) == 2
    engine.dispose()


@pytest.mark.postgres
async def test_while_the_database_is_away_updates_stay_unacknowledged_and_none_is_lost(
        bot_api, settings):
    url = make_url(require_postgres())
    with CuttableProxy(url.host or "127.0.0.1", url.port or 5432) as proxy, \
            postgres_engine(port=proxy.port) as engine:
        desk = Desk(settings.directory(), parse=keyword_parser)
        async with running(bot_api, desk, engine):
            bot_api.post(BUILDING_3, RESIDENT, "3号楼楼道灯坏了")
            await bot_api.wait_sent(GROUP)
            await bot_api.wait_acknowledged()

            proxy.cut()
            pending = [bot_api.post(BUILDING_3, RESIDENT, text) for text in ("3号楼水管爆了", "谢谢")]
            first_update = bot_api.acknowledged_up_to + 1
            await bot_api.wait_for(lambda: sum(u["update_id"] == first_update
                                               for u in bot_api._delivered) >= 3)
            assert bot_api.acknowledged_up_to < first_update and bot_api.pending_updates == 2
            assert len(bot_api.sent_to(GROUP)) == 1

            proxy.restore()
            await bot_api.wait_acknowledged(timeout=15)
            receipts = await bot_api.wait_sent(GROUP, 2)
        stored = count(engine, InboundMessage)
        tickets = count(engine, TicketRow)
    assert stored == 3 and tickets == 2, "each message stored once, none lost"
    assert receipts[1].reply_to == pending[0].message_id and len(receipts) == 2
