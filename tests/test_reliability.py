"""Nothing lost, nothing leaked, on SQLite and PostgreSQL: who holds the outbox after a
crash, how many sends a crash repeats, what is kept of chats we do not serve, the
flood guard, retention, doctor, and console sessions sharing a database."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from datetime import timedelta

from sqlalchemy import func, select

from bot import liveness
from bot.bootstrap import build_desk
from bot.console import ConsolePlatform
from bot.doctor import run_doctor
from bot.runtime import Runtime
from handlers.desk import Desk
from handlers.failures import FloodGuard, Verdict
from handlers.messages import MessageKind, Outbound
from storage import dead_letters
from storage.database import session_scope
from storage.processes import PROCESS_TIMEOUT
from storage.tables import (
    BotProcess,
    InboundMessage,
    OutboxRow,
    TicketEventRow,
    TicketRow,
)
from tests.console_bot import ConsoleBot, no_wait
from tests.factories import MONDAY_9AM, group_message
from tests.test_conversation import PHONE, keyword_parser


class Clock:
    def __init__(self) -> None:
        self.now = MONDAY_9AM

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now


class GatedConsole(ConsolePlatform):
    """Records how many sends run at once; a send of a text containing ``hold`` waits
    until released (or forever: a process killed mid-send)."""

    def __init__(self, hold: str = "") -> None:
        super().__init__(id_prefix="g")
        self.hold = hold
        self.release = asyncio.Event()
        self.entered = asyncio.Event()
        self.running = self.most_at_once = 0

    async def send(self, message: Outbound) -> str:
        self.running += 1
        self.most_at_once = max(self.most_at_once, self.running)
        try:
            if self.hold and self.hold in message.text:
                self.entered.set()
                await self.release.wait()
            return await super().send(message)
        finally:
            self.running -= 1


def runtime(settings, engine, platform, clock) -> Runtime:  # type: ignore[no-untyped-def]
    return Runtime(Desk(settings.directory(), parse=keyword_parser), engine, [platform], clock,
                   sleep=no_wait)


def count(engine, table, *where) -> int:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return session.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def test_a_chat_we_do_not_serve_keeps_only_the_redelivery_key(engine, settings):
    bot = ConsoleBot(Desk(settings.directory(), parse=keyword_parser), engine)
    stranger = group_message(f"3号楼楼道灯坏了 电话{PHONE}", chat_id="dance-square", message_id="d1")

    for _ in range(2):  # a redelivery is still recognised
        asyncio.run(bot.runtime.on_message(stranger))

    with session_scope(engine) as session:
        [row] = session.execute(select(InboundMessage)).scalars()
    assert (row.platform, row.chat_id, row.message_id) == ("console", "dance-square", "d1")
    assert (row.text, row.sender_id, row.sender_name) == ("", "", "")
    assert row.disposition == "unserved"
    assert bot.console.transcript == [] and count(engine, TicketRow) == 0


def test_a_resident_posting_too_fast_is_told_once_and_kept_others_are_served(engine, settings):
    bot = ConsoleBot(Desk(settings.directory(), parse=keyword_parser), engine)
    limit = bot.runtime.flood.per_minute
    said = [pair for i in range(limit + 20) for pair in bot.say("jl-3", "刷屏的人", f"第{i}条 广告")]
    told = [text for _, text in said if "太快" in text]
    neighbour = bot.say("jl-3", "张阿姨", "3号楼楼道灯坏了")
    fall = bot.say("jl-3", "刷屏的人", "3号楼有老人摔倒了")

    assert len(told) == 1, "one polite notice, not one per message"
    assert count(engine, InboundMessage) == limit + 22, "every message kept"
    assert count(engine, InboundMessage, InboundMessage.disposition == "throttled") == 20
    assert any("登记为" in text for _, text in neighbour)
    assert any("紧急" in text for _, text in fall), "an emergency is never held back"


def test_the_flood_guard_forgets_a_burst_once_it_is_a_minute_old(settings):
    guard = FloodGuard(settings.directory(), lambda message: None, per_minute=3)
    message = group_message("广告", sender="刷屏的人")
    verdicts = [guard.check(message, MONDAY_9AM + timedelta(seconds=i)) for i in range(6)]
    later = guard.check(message, MONDAY_9AM + timedelta(minutes=2))
    staff = guard.check(group_message("收到", sender="王芳"), MONDAY_9AM + timedelta(seconds=6))

    assert verdicts == [Verdict.HANDLE] * 3 + [Verdict.NOTICE, Verdict.HOLD, Verdict.HOLD]
    assert later is Verdict.HANDLE and staff is Verdict.HANDLE


def _enqueue_as(rt: Runtime, texts: list[str], urgent: bool = False) -> None:
    """What a process has committed and not yet sent when it dies."""
    with rt.unit_of_work() as uow:
        uow.say([Outbound("console", "jl-3", t, urgent=urgent) for t in texts])


def test_rows_held_by_a_process_that_stopped_beating_go_out_after_the_timeout(engine, settings):
    clock = Clock()
    dead = runtime(settings, engine, ConsolePlatform(), clock)
    asyncio.run(dead.start(flush_every=0, heartbeat_every=0))
    _enqueue_as(dead, ["停水通知", "停电通知"])  # ... and then the process is killed

    console = ConsolePlatform()
    heir = runtime(settings, engine, console, clock)
    clock.now += timedelta(seconds=2)
    asyncio.run(heir.start(flush_every=0, heartbeat_every=0))
    assert console.bot_said_in("jl-3") == [], "the other process still beats"

    clock.now += PROCESS_TIMEOUT
    asyncio.run(heir.flush_outbox())
    assert console.bot_said_in("jl-3") == ["停水通知", "停电通知"]


def test_rows_of_a_process_that_died_on_this_host_go_out_at_the_next_start(engine, settings):
    clock = Clock()
    exited = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                            capture_output=True, text=True, check=True)
    ghost = runtime(settings, engine, ConsolePlatform(), clock)
    with ghost.unit_of_work() as uow:
        uow.register_process(liveness.host(), int(exited.stdout), "boot:12345")
    _enqueue_as(ghost, ["有老人摔倒了,已通知"], urgent=True)

    console = ConsolePlatform()
    asyncio.run(runtime(settings, engine, console, clock).start(flush_every=0, heartbeat_every=0))

    assert console.bot_said_in("jl-3") == ["有老人摔倒了,已通知"], "no waiting for the heartbeat"
    assert count(engine, BotProcess, BotProcess.id == ghost.process_id) == 0


def test_an_emergency_waiting_out_a_backoff_goes_first_after_a_restart(engine, settings):
    clock = Clock()
    down = GatedConsole()
    first = runtime(settings, engine, down, clock)
    asyncio.run(first.start(flush_every=0, heartbeat_every=0))
    _enqueue_as(first, ["普通通知"])
    _enqueue_as(first, ["紧急通知"], urgent=True)
    with session_scope(engine) as session:
        rows = list(session.execute(select(OutboxRow)).scalars())
    with first.unit_of_work() as uow:
        for row in rows:
            for _ in range(6):  # failed many times: the next try is far off
                uow.record_failed(row, "network down")
                row.attempts += 1
    asyncio.run(first.stop())

    console = ConsolePlatform()
    asyncio.run(runtime(settings, engine, console, clock).start(flush_every=0, heartbeat_every=0))

    assert console.bot_said_in("jl-3") == ["紧急通知"]


def test_a_crash_mid_send_repeats_only_the_send_in_flight(engine, settings):
    clock = Clock()
    console = GatedConsole(hold="第二")
    first = runtime(settings, engine, console, clock)

    async def crash_while_sending() -> None:
        await first.start(flush_every=0, heartbeat_every=0)
        with first.unit_of_work() as uow:
            uow.say([Outbound("console", "jl-3", t) for t in ("第一", "第二", "第三")])
        rows = uow.ready
        sending = asyncio.create_task(first.deliver(rows))
        flushing = asyncio.create_task(first.flush_outbox())  # the flusher runs meanwhile
        await console.entered.wait()
        await asyncio.sleep(0.01)
        assert console.most_at_once == 1, "one send in flight per process"
        sending.cancel()  # kill -9: nothing after this point happens in that process
        flushing.cancel()
        await asyncio.gather(sending, flushing, return_exceptions=True)

    asyncio.run(crash_while_sending())
    assert console.bot_said_in("jl-3") == ["第一"]

    again = ConsolePlatform()
    clock.now += PROCESS_TIMEOUT + timedelta(seconds=1)
    asyncio.run(runtime(settings, engine, again, clock).start(flush_every=0, heartbeat_every=0))
    assert again.bot_said_in("jl-3") == ["第二", "第三"], "第一 was recorded as sent; 第二 may repeat"


def test_texts_older_than_the_retention_period_are_purged(engine, settings):
    bot = ConsoleBot(Desk(settings.directory(), parse=keyword_parser), engine)
    bot.say("jl-3", "张阿姨", f"3号楼水管爆了 电话{PHONE}")
    bot.say("王芳", "王芳", "#1 已解决 换了水管", private=True)
    year_later = MONDAY_9AM + timedelta(days=400)
    bot.say("jl-3", "李大爷", "3号楼楼道灯坏了", at=year_later)

    purged = bot.runtime.purge(retention_days=365)

    with session_scope(engine) as session:
        texts = dict(session.execute(select(InboundMessage.sender_id, InboundMessage.text)).all())
        old, new = session.execute(select(TicketRow).order_by(TicketRow.id)).scalars()
        sent_texts = list(session.execute(select(OutboxRow.text).where(OutboxRow.sent_at < year_later)).scalars())
    assert purged > 0
    assert texts["张阿姨"] == "" and texts["王芳"] == "" and texts["李大爷"] == "3号楼楼道灯坏了"
    assert (old.text, old.phone, old.category, old.building) == ("", None, "plumbing", "3")
    assert new.text == "3号楼楼道灯坏了"
    assert sent_texts and all(t == "" for t in sent_texts), "worker cards carried the phone number"
    assert count(engine, TicketEventRow) > 0, "the audit trail stays"


def test_doctor_names_dead_letters_the_outbox_backlog_and_late_timers(engine, settings):
    lines: list[str] = []
    assert run_doctor(settings, lines.append, engine, MONDAY_9AM) == 0
    assert any("dead letters: none" in line for line in lines)

    bot = ConsoleBot(build_desk(settings, parse=keyword_parser), engine)
    bot.say("jl-3", "张阿姨", "3号楼楼道灯坏了")
    with bot.runtime.unit_of_work() as uow:
        uow.keep_dead_letter(group_message("3号楼水管爆了", message_id="x9"), "RuntimeError: core bug", 4)
    _enqueue_as(bot.runtime, ["还没发出去"])

    lines.clear()
    later = MONDAY_9AM + timedelta(days=1)  # nobody swept: the reminders are late
    assert run_doctor(settings, lines.append, engine, later) == 1
    report = "\n".join(lines)
    assert "dead letters: 1 not handled" in report and "x9" in report and "core bug" in report
    assert "outbox: 1 waiting" in report
    assert "last message on console" in report
    assert re.search(r"timers behind schedule: [1-9]", report)


def test_a_dead_letter_keeps_the_whole_message(engine):
    message = group_message("3号楼水管爆了", message_id="x1", edited=True, kind=MessageKind.IMAGE)
    message.extras["edited_at"] = MONDAY_9AM + timedelta(minutes=3)

    assert dead_letters.decode("message", dead_letters.encode(message)) == message
    assert dead_letters.decode("message", dead_letters.encode(message)).extras == message.extras


def test_two_console_sessions_on_one_database_do_not_collide(engine, settings):
    for who in ("张阿姨", "李大爷"):
        bot = ConsoleBot(Desk(settings.directory(), parse=keyword_parser), engine)
        said = bot.say("jl-3", who, f"{'3' if who == '张阿姨' else '4'}号楼水管爆了")
        assert any("登记为" in text for _, text in said), who
    assert count(engine, TicketRow) == 2


def test_a_process_taken_for_dead_registers_again_and_a_stopped_one_leaves(engine, settings):
    clock = Clock()
    rt = runtime(settings, engine, ConsolePlatform(), clock)
    asyncio.run(rt.start(flush_every=0, heartbeat_every=0))
    with rt.unit_of_work() as uow:  # another process found no heartbeat for too long
        uow.retire_processes([rt.process_id])

    clock.now += timedelta(seconds=1)
    rt.beat()

    with session_scope(engine) as session:
        [me] = session.execute(select(BotProcess)).scalars()
    assert me.id == rt.process_id and me.heartbeat_at == clock.now
    asyncio.run(rt.stop())
    assert count(engine, BotProcess) == 0


def test_a_button_press_that_fails_every_try_is_kept_and_replayed(engine, settings, monkeypatch):
    bot = ConsoleBot(Desk(settings.directory(), parse=keyword_parser), engine)
    bot.say("jl-3", "张阿姨", "3号楼楼道灯坏了")
    desk = bot.runtime.desk
    handle_button = desk.handle_button

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("core bug")

    monkeypatch.setattr(desk, "handle_button", broken)
    before = len(bot.console.transcript)
    asyncio.run(bot.console.press("王芳", "王芳", "b1", "ack:1", MONDAY_9AM))
    [(who, notice)] = [(s.chat_id, s.text) for s in bot.console.transcript[before:]]
    assert who == "李娜" and "按钮" in notice

    monkeypatch.setattr(desk, "handle_button", handle_button)
    assert asyncio.run(bot.runtime.replay_dead()) == (1, 0)
    assert bot.ticket(1).status.value == "acknowledged"


def test_the_retention_job_runs_every_night_at_half_past_three(engine, settings):
    from schedules.scheduler import build_scheduler

    rt = runtime(settings, engine, ConsolePlatform(), Clock())
    scheduler = build_scheduler(rt, settings.timezone, settings.digest_time,
                                purge=lambda: rt.purge(settings.retention_days))
    job = scheduler.get_job("retention")
    fires = job.trigger.get_next_fire_time(None, MONDAY_9AM)

    assert (fires.date(), fires.hour, fires.minute) == ((MONDAY_9AM + timedelta(days=1)).date(), 3, 30)
    assert settings.retention_days == 365


def test_the_digests_follow_the_configured_timezone_not_the_machines(engine, settings):
    from schedules.scheduler import build_scheduler

    async def send(weekly: bool) -> None:
        return None

    scheduler = build_scheduler(runtime(settings, engine, ConsolePlatform(), Clock()),
                                settings.timezone, "08:00", send)
    fires = scheduler.get_job("daily_digest").trigger.get_next_fire_time(None, MONDAY_9AM)

    assert (fires.date(), fires.hour, fires.utcoffset()) == (
        (MONDAY_9AM + timedelta(days=1)).date(), 8, timedelta(hours=8))
