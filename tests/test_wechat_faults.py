# ruff: noqa: F811  (pytest fixtures are imported by name and then requested as arguments)
"""Faults on WeChat, against the official gateway with the mock puppet: a message the
sink could not store is offered again in order; a process that dies with messages in
hand leaves them in the journal for the next one; a gateway that is down is probed
at a capped interval, back to the shortest after each login."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.bootstrap import open_storage
from bot.platform import NotStored
from bot.runtime import Runtime
from bot.wechat import WeChatPlatform
from handlers.desk import Desk
from handlers.messages import Inbound
from storage.database import session_scope
from storage.tables import InboundJournal, InboundMessage, TicketRow
from tests.console_bot import no_wait
from tests.factories import MONDAY_9AM
from tests.test_conversation import keyword_parser
from tests.wechat.fixtures import RecordingSink, anyio_backend, gateway, make_platform  # noqa: F401
from tests.wechat.gateway import BUILDING_3, BUILDING_3_TOPIC, ZHANG, Gateway

pytestmark = pytest.mark.anyio


def count(engine, table) -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return session.execute(select(func.count()).select_from(table)).scalar_one()


async def test_a_message_the_sink_could_not_store_is_offered_again_in_order(gateway):
    sink = RecordingSink()
    refusals = [2]
    record = sink.on_message

    async def fragile(message: Inbound) -> None:
        if message.text == "坏" and refusals[0] > 0:
            refusals[0] -= 1
            raise NotStored("the database is down")
        await record(message)

    sink.on_message = fragile  # type: ignore[method-assign]
    platform = make_platform(gateway)
    await platform.start(sink)
    try:
        await gateway.say(ZHANG, "坏", room=BUILDING_3)
        await gateway.say(ZHANG, "好", room=BUILDING_3)
        await sink.wait_for(lambda: len(sink.messages) == 2)
    finally:
        await platform.stop()
    assert [m.text for m in sink.messages] == ["坏", "好"] and refusals == [0]


def journaled(engine) -> set[str]:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return set(session.execute(select(InboundJournal.message_id)).scalars())


def _wechat(gateway: Gateway, settings) -> WeChatPlatform:  # type: ignore[no-untyped-def]
    return WeChatPlatform.from_settings(settings, endpoint=gateway.endpoint, token=gateway.token,
                                        backoff=0.05, max_backoff=0.5, start_timeout=15)


async def test_messages_in_hand_when_the_process_dies_are_read_again_by_the_next(gateway, settings, tmp_path: Path):
    engine = open_storage(f"sqlite:///{tmp_path}/griddesk.db")
    desk = Desk(settings.directory(), parse=keyword_parser)
    first = _wechat(gateway, settings)
    runtime = Runtime(desk, engine, [first], lambda: MONDAY_9AM, sleep=no_wait)
    gate, handled = asyncio.Event(), []
    on_message = runtime.on_message

    async def slow(message: Inbound) -> None:  # the first process stores two, then stalls
        if len(handled) >= 2:
            await gate.wait()
        await on_message(message)
        handled.append(message.message_id)

    runtime.on_message = slow  # type: ignore[method-assign]
    await runtime.start(flush_every=0, heartbeat_every=0)
    await gateway.wait_for(lambda: BUILDING_3_TOPIC in first.rooms_by_topic)
    said = [await gateway.say(ZHANG, f"{b}号楼楼道灯坏了", room=BUILDING_3) for b in range(1, 9)]
    await gateway.wait_for(lambda: set(said) <= journaled(engine) | set(handled))

    for task in (first._runner, first._deliverer):  # kill -9: no draining, no goodbye
        assert task is not None
        task.cancel()
    await asyncio.gather(first._runner, first._deliverer, return_exceptions=True)
    if first._journal._timer is not None:  # ... and no more writes
        first._journal._timer.cancel()
    first._close(first._puppet)
    assert count(engine, InboundMessage) == 2

    second = _wechat(gateway, settings)
    heir = Runtime(desk, engine, [second], lambda: MONDAY_9AM, sleep=no_wait)
    await heir.start(flush_every=0, heartbeat_every=0)
    try:
        await gateway.wait_for(lambda: count(engine, InboundMessage) == len(said), timeout=20)
        await gateway.wait_for(lambda: count(engine, InboundJournal) == 0)
    finally:
        await heir.stop()
    with session_scope(engine) as session:
        stored = set(session.execute(select(InboundMessage.message_id)).scalars())
    assert stored == set(said) and count(engine, TicketRow) == len(said)
    engine.dispose()


async def test_a_gateway_that_is_down_is_probed_at_a_capped_interval(gateway):
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.sleep(seconds)

    platform = make_platform(gateway, backoff=0.02, max_backoff=0.08, sleep=sleep)
    sink = RecordingSink()
    await platform.start(sink)
    try:
        await gateway.kill()
        await sink.wait_for(lambda: len(waits) >= 6)
        down = list(waits)
        await gateway.start()
        await sink.wait_for(lambda: platform.connected)
        waits.clear()
        await gateway.kill()
        await sink.wait_for(lambda: waits)
    finally:
        await platform.stop()
    assert down[:4] == [0.02, 0.04, 0.08, 0.08] and max(down) == 0.08, "doubling, then capped"
    assert waits[0] == 0.02, "back to the shortest wait once it answered"
    assert WeChatPlatform.__init__.__kwdefaults__["max_backoff"] <= 1.0, "a probe every second"
