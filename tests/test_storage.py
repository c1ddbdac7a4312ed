"""The repository, outbox and runtime on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, timedelta

import pytest
from sqlalchemy import func, select

from bot.console import ConsolePlatform
from bot.runtime import Runtime
from handlers.categories import Category, Urgency
from handlers.desk import Desk
from handlers.messages import Outbound
from handlers.tickets import Reporter, Status, Ticket
from storage import outbox
from storage.database import session_scope
from storage.repository import SqlTicketStore
from storage.tables import InboundMessage, TicketEventRow
from tests.databases import postgres_engine
from tests.factories import MONDAY_9AM, group_message
from tests.test_conversation import keyword_parser

ZHANG = Reporter("console", "张阿姨", "张阿姨", "jl-3")


def new_ticket(community: str = "JL", building: str | None = "3") -> Ticket:
    return Ticket(
        community=community, category=Category.PLUMBING, urgency=Urgency.URGENT, text="水管爆了",
        platform="console", chat_id="jl-3", source_message_id="m1", reporter=ZHANG,
        created_at=MONDAY_9AM, building=building, phone="13812345678",
    )


def test_message_is_stored_once(engine):
    message = group_message("水管爆了", message_id="42")
    with session_scope(engine) as session:
        store = SqlTicketStore(session)
        assert store.record_inbound(message) is True
        assert store.record_inbound(message) is False
    with session_scope(engine) as session:
        assert SqlTicketStore(session).record_inbound(message) is False
        assert session.execute(select(func.count()).select_from(InboundMessage)).scalar_one() == 1


def test_bad_text_is_stored_whole_and_safely(engine):
    texts = ["'; DROP TABLE ticket; --", "<script>alert(1)</script>", "😀" * 50, "a\x01b", "长" * 10_000]
    with session_scope(engine) as session:
        store = SqlTicketStore(session)
        for i, text in enumerate(texts):
            assert store.record_inbound(group_message(text, message_id=f"bad{i}"))
    with session_scope(engine) as session:
        stored = [m.text for m in session.execute(select(InboundMessage).order_by(InboundMessage.id)).scalars()]
    assert stored == texts


def test_codes_are_unique_across_communities(engine):
    with session_scope(engine) as session:
        store = SqlTicketStore(session)
        codes = [store.add_ticket(new_ticket("JL")).code, store.add_ticket(new_ticket("JL")).code,
                 store.add_ticket(new_ticket("WH")).code]
    assert codes == [1, 2, 3]
    with session_scope(engine) as session:
        found = SqlTicketStore(session).find_ticket_by_code(3)
        assert found is not None and found.community == "WH"


def test_ticket_round_trips_with_aware_times(engine):
    with session_scope(engine) as session:
        store = SqlTicketStore(session)
        ticket = store.add_ticket(new_ticket())
        ticket.status = Status.ACKNOWLEDGED
        ticket.acknowledged_at = MONDAY_9AM + timedelta(minutes=7)
        store.save_ticket(ticket)
    with session_scope(engine) as session:
        loaded = SqlTicketStore(session).find_ticket("JL", 1)
    assert loaded is not None and loaded.status is Status.ACKNOWLEDGED
    assert loaded.acknowledged_at == MONDAY_9AM + timedelta(minutes=7)
    assert loaded.created_at.tzinfo is not None and loaded.created_at.utcoffset() == timedelta(0)
    assert loaded.phone == "13812345678"


def test_similar_open_ticket_and_reporters(engine):
    with session_scope(engine) as session:
        store = SqlTicketStore(session)
        ticket = store.add_ticket(new_ticket())
        assert ticket.id is not None
        since = MONDAY_9AM - timedelta(hours=48)
        assert [t.id for t in store.open_tickets_in_building("JL", "3", since)] == [ticket.id]
        assert store.open_tickets_in_building("JL", "4", since) == []
        assert store.open_tickets_in_building("JL", "3", MONDAY_9AM + timedelta(seconds=1)) == []
        assert store.add_reporter(ticket.id, ZHANG) is True
        assert store.add_reporter(ticket.id, ZHANG) is False
        assert store.reporters(ticket.id) == [ZHANG]
        ticket.status = Status.RESOLVED
        store.save_ticket(ticket)
        assert store.open_tickets_in_building("JL", "3", since) == []
        assert store.awaiting_rating("console", "张阿姨").id == ticket.id


def test_runtime_handles_stores_and_delivers(engine, settings):
    console = ConsolePlatform()
    runtime = Runtime(Desk(settings.directory(), parse=keyword_parser), engine, [console], lambda: MONDAY_9AM)

    async def scenario() -> None:
        await runtime.start(flush_every=0)
        await console.post("jl-3", "张阿姨", "楼道灯坏了", MONDAY_9AM)
        # the worker replies to the notification the console delivered
        notification = next(s for s in console.transcript if s.chat_id == "王芳")
        await console.post("王芳", "王芳", "收到", MONDAY_9AM, private=True, reply_to=notification.message_id)
        await runtime.stop()

    asyncio.run(scenario())
    assert "#0001" in console.bot_said_in("jl-3")[0]
    assert "已接单" in console.bot_said_in("jl-3")[1]
    with session_scope(engine) as session:
        ticket = SqlTicketStore(session).find_ticket("JL", 1)
        actions = list(session.execute(select(TicketEventRow.action).order_by(TicketEventRow.id)).scalars())
        assert outbox.pending_count(session) == 0
    assert ticket is not None and ticket.status is Status.ACKNOWLEDGED
    assert actions == ["created", "assigned", "acknowledged"]


class FlakyPlatform(ConsolePlatform):
    """Fails every send while ``down``; what it delivered is in the transcript."""

    down = True

    async def send(self, message: Outbound) -> str:
        if self.down:
            raise ConnectionError("gateway unreachable")
        return await super().send(message)


def test_replies_that_could_not_be_sent_are_retried_not_lost(engine, settings):
    now = [MONDAY_9AM]
    platform = FlakyPlatform()
    runtime = Runtime(Desk(settings.directory(), parse=keyword_parser), engine, [platform], lambda: now[0])

    async def scenario() -> None:
        await runtime.start(flush_every=0)
        await platform.post("jl-3", "张阿姨", "楼道灯坏了", MONDAY_9AM)
        assert platform.bot_said_in("jl-3") == []
        platform.down = False
        now[0] = MONDAY_9AM + timedelta(minutes=5)
        assert await runtime.flush_outbox() == 2
        assert await runtime.flush_outbox() == 0

    asyncio.run(scenario())
    assert len(platform.bot_said_in("jl-3")) == 1 and len(platform.bot_said_in("王芳")) == 1


@pytest.mark.postgres
def test_two_processes_never_claim_the_same_reply():
    """Row locks with SKIP LOCKED: what PostgreSQL adds (SQLite has one writer)."""
    with postgres_engine() as engine:
        with session_scope(engine) as session:
            outbox.enqueue(session, [Outbound("console", "jl-3", f"m{i}") for i in range(20)], MONDAY_9AM)
        later = MONDAY_9AM.astimezone(UTC) + timedelta(minutes=2)  # after the sender's lease
        with session_scope(engine) as first, session_scope(engine) as second:
            a = outbox.claim_due(first, ["console"], later, limit=15)
            b = outbox.claim_due(second, ["console"], later, limit=15)
            assert {r.id for r in a}.isdisjoint({r.id for r in b})
            assert len(a) + len(b) == 20


def test_a_migrated_chat_is_remembered_across_restarts(engine, settings):
    desk = Desk(settings.directory(), parse=keyword_parser)
    first = Runtime(desk, engine, [ConsolePlatform()], lambda: MONDAY_9AM)
    asyncio.run(first.start(flush_every=0))
    first.on_chat_migrated("console", "jl-3", "jl-3-super")
    console = ConsolePlatform()
    second = Runtime(desk, engine, [console], lambda: MONDAY_9AM)

    async def scenario() -> None:
        await second.start(flush_every=0)
        await console.post("jl-3-super", "张阿姨", "楼道灯坏了", MONDAY_9AM)

    asyncio.run(scenario())
    with session_scope(engine) as session:
        ticket = SqlTicketStore(session).find_ticket("JL", 1)
    assert ticket is not None and ticket.chat_id == "jl-3" and ticket.building == "3"
