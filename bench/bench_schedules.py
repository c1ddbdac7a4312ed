"""Timers and digest at scale.

    .venv/bin/python bench/bench_schedules.py [--postgres URL] [--tickets 1000000] [--open 100000]

1. One sweep with 100,000 open tickets and their timers in the database, 1 % of
   them due now (target < 1 s).
2. The daily digest for the whole street over 1,000,000 tickets (target < 2 s).
Runs on SQLite (a temporary file) and, with --postgres or a server at
127.0.0.1:5432, on PostgreSQL in a throw-away schema.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from latency import machine  # noqa: E402
from sqlalchemy import create_engine, insert, text  # noqa: E402

from bot.bootstrap import build_desk  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from handlers.categories import Category  # noqa: E402
from handlers.digest_build import build_digest, period, scope_for  # noqa: E402
from handlers.tickets import Status  # noqa: E402
from schedules.sweep import sweep  # noqa: E402
from storage.database import make_engine, session_scope, upgrade  # noqa: E402
from storage.repository import SqlTicketStore  # noqa: E402
from storage.tables import DueItemRow, TicketRow  # noqa: E402

NOW = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)
GRIDS = {"JL": [("JL-1", "1234"), ("JL-2", "5678"), ("JL-3", "9")], "WH": [("WH-1", "12345"), ("WH-2", "6789")]}
ASSIGNEES = {"JL-1": "wang_fang", "JL-2": "liu_yang", "JL-3": "li_na", "WH-1": "zhao_min", "WH-2": "sun_qiang"}
CATEGORIES = [c.value for c in Category]
CLOSED_FLOW = [Status.CLOSED.value] * 8 + [Status.RESOLVED.value, Status.WITHDRAWN.value]
OPEN_FLOW = [Status.ASSIGNED.value, Status.ACKNOWLEDGED.value, Status.ESCALATED.value]


def ticket_rows(n: int, n_open: int, rng: random.Random):  # type: ignore[no-untyped-def]
    """n tickets over two years; the newest n_open are still open."""
    codes = {"JL": 0, "WH": 0}
    for i in range(n):
        community = "JL" if i % 3 else "WH"
        grid, buildings = rng.choice(GRIDS[community])
        codes[community] += 1
        is_open = i >= n - n_open
        created = NOW - timedelta(minutes=(n - i) * 1051200 // n) if not is_open else \
            NOW - timedelta(minutes=rng.randint(1, 60 * 24 * 90))
        status = rng.choice(OPEN_FLOW) if is_open else rng.choice(CLOSED_FLOW)
        acked = created + timedelta(minutes=rng.randint(1, 300)) if status != Status.ASSIGNED.value else None
        resolved = created + timedelta(hours=rng.randint(1, 120)) if not is_open else None
        rating = rng.choice(["satisfied", "satisfied", "basically", "dissatisfied", None]) if resolved else None
        yield {
            "community": community, "code": codes[community], "grid": grid,
            "building": rng.choice(buildings), "unit": None, "room": None, "landmark": None,
            "category": rng.choice(CATEGORIES), "urgency": "normal", "emergency_kind": None,
            "status": status, "text": "楼道灯坏了", "phone": None, "platform": "console",
            "chat_id": "jl-3", "source_message_id": f"m{i}", "reporter_id": f"r{i % 5000}",
            "reporter_name": "居民", "assignee": ASSIGNEES[grid], "escalation_level": 0,
            "households": 1, "resolution": "", "rating": rating,
            "rated_at": resolved + timedelta(hours=2) if rating else None,
            "created_at": created, "acknowledged_at": acked, "resolved_at": resolved,
            "closed_at": resolved, "ack_due": created + timedelta(hours=4),
            "resolve_due": created + timedelta(days=5),
        }


def load(engine, n: int, n_open: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    batch: list[dict] = []  # type: ignore[type-arg]
    started = time.perf_counter()
    with engine.begin() as connection:
        for row in ticket_rows(n, n_open, rng):
            batch.append(row)
            if len(batch) == 20_000:
                connection.execute(insert(TicketRow.__table__), batch)  # type: ignore[attr-defined]
                batch.clear()
        if batch:
            connection.execute(insert(TicketRow.__table__), batch)  # type: ignore[attr-defined]
        open_ids = [r[0] for r in connection.execute(text(
            "select id from ticket where status in ('assigned','acknowledged','escalated')"))]
        timers = []
        for k, ticket_id in enumerate(open_ids):
            due_now = k % 100 == 0  # 1 % of the open tickets have a timer due now
            for j, kind in enumerate(("ack_reminder", "resolve_reminder", "resolve_overdue")):
                timers.append({"ticket_id": ticket_id, "kind": kind,
                               "due_at": NOW - timedelta(minutes=5) if due_now and j == 1
                               else NOW + timedelta(hours=1 + j + k % 50)})
            if len(timers) >= 30_000:
                connection.execute(insert(DueItemRow.__table__), timers)  # type: ignore[attr-defined]
                timers.clear()
        if timers:
            connection.execute(insert(DueItemRow.__table__), timers)  # type: ignore[attr-defined]
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    print(f"  loaded {n:,} tickets ({len(open_ids):,} open) in {time.perf_counter() - started:.1f} s")


def measure(engine, label: str, n_open: int) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings()
    desk = build_desk(settings)
    started = time.perf_counter()
    rows = sweep(engine, desk, NOW)
    print(f"  [{label}] sweep: {len(rows)} reminders due among {n_open:,} open tickets in "
          f"{(time.perf_counter() - started) * 1000:.0f} ms (target < 1000 ms)")
    directory = desk.directory
    street = directory.staff["zheng_guoqiang"]
    scope = scope_for(street, directory)
    assert scope is not None
    local_now = NOW.astimezone(settings_tz(settings))
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        start, end = period(local_now, weekly=False)
        with session_scope(engine) as session:
            facts = SqlTicketStore(session).digest_facts(scope, start, end, local_now)
        digest = build_digest(facts, scope, start, end, local_now, directory)
        timings.append(time.perf_counter() - started)
    print(f"  [{label}] daily digest for the street: {digest.totals.new} new, "
          f"{len(facts.active)} tickets active yesterday; best of 3 {min(timings) * 1000:.0f} ms, "
          f"first {timings[0] * 1000:.0f} ms (target < 2000 ms)")


def settings_tz(settings):  # type: ignore[no-untyped-def]
    from zoneinfo import ZoneInfo

    return ZoneInfo(settings.timezone)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        print("SQLite (WAL, temporary file)")
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        upgrade(engine)
        load(engine, args.tickets, args.open)
        measure(engine, "sqlite", args.open)
        engine.dispose()
    if args.sqlite_only:
        return
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.postgres)
    try:
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # noqa: BLE001
        print(f"PostgreSQL not measured: {exc.__class__.__name__}")
        return
    try:
        print("PostgreSQL 15")
        engine = make_engine(args.postgres, connect_args={"options": f"-csearch_path={schema}"})
        upgrade(engine)
        load(engine, args.tickets, args.open)
        measure(engine, "postgres", args.open)
        engine.dispose()
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))


if __name__ == "__main__":
    main()
