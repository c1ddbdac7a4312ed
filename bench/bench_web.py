"""The web desk at scale, on PostgreSQL.

    .venv/bin/python bench/bench_web.py [--postgres URL] [--tickets 100000] [--requests 400]

1. The filtered, paginated ticket list over 100,000 tickets, through HTTP (uvicorn on
   loopback, one client): a mix of filters, searches, deep pages and scopes (the
   street leader, a community leader, a grid worker); p50 / p95 / max (target p95 < 200 ms).
2. The 问题交接单 of 10,000 tickets, as the street leader downloads it over HTTP
   (query, rows, summary sheet, workbook) (target < 5 s).
Runs in a throw-away schema that is dropped afterwards.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import httpx  # noqa: E402
import uvicorn  # noqa: E402
from sqlalchemy import create_engine, insert, text  # noqa: E402

from bot.settings import load_settings  # noqa: E402
from bot.web.app import create_app  # noqa: E402
from handlers.categories import Category  # noqa: E402
from handlers.tickets import Status  # noqa: E402
from storage.database import make_engine, session_scope, upgrade  # noqa: E402
from storage.staff_binding import issue_login_link  # noqa: E402
from storage.tables import TicketEventRow, TicketRow  # noqa: E402

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
PER_DAY = 500
GRIDS = {"JL": [("JL-1", "1234"), ("JL-2", "5678"), ("JL-3", "9")],
         "WH": [("WH-1", "12345"), ("WH-2", "6789")]}
ASSIGNEES = {"JL-1": "wang_fang", "JL-2": "liu_yang", "JL-3": "li_na", "WH-1": "zhao_min",
             "WH-2": "sun_qiang"}
CATEGORIES = [c.value for c in Category]
CLOSED = [Status.CLOSED.value] * 8 + [Status.RESOLVED.value, Status.WITHDRAWN.value]
OPEN = [Status.ASSIGNED.value, Status.ACKNOWLEDGED.value, Status.ESCALATED.value]
PHRASES = ["楼道灯坏了", "门口有垃圾没人清", "下水道堵了 污水漫出来", "电梯门关不上", "暖气不热",
           "楼下电动车充电 太危险", "半夜装修太吵", "健身器材坏了", "有陌生人敲门", "水管漏水"]


def ticket_rows(n: int, rng: random.Random):  # type: ignore[no-untyped-def]
    """n tickets, PER_DAY a day back from NOW; the last two weeks' partly still open."""
    codes = {"JL": 0, "WH": 0}
    for i in range(n):
        community = "JL" if i % 3 else "WH"
        grid, buildings = rng.choice(GRIDS[community])
        codes[community] += 1
        created = NOW - timedelta(days=(n - i) / PER_DAY)
        recent = NOW - created < timedelta(days=14)
        status = rng.choice(OPEN if recent and rng.random() < 0.5 else CLOSED)
        acked = created + timedelta(minutes=rng.randint(1, 300)) if status != "assigned" else None
        resolved = created + timedelta(hours=rng.randint(1, 120)) if status in CLOSED[-3:] + ["closed"] else None
        rating = rng.choice(["satisfied", "basically", "dissatisfied", None]) if resolved else None
        yield {
            "community": community, "code": codes[community], "grid": grid,
            "building": rng.choice(buildings), "unit": str(rng.randint(1, 4)),
            "room": f"{rng.randint(1, 6)}0{rng.randint(1, 4)}", "landmark": None,
            "category": rng.choice(CATEGORIES), "urgency": rng.choice(["normal"] * 8 + ["urgent", "emergency"]),
            "emergency_kind": None, "status": status,
            "text": f"{rng.choice(PHRASES)} 第{i}号 电话1381234{i % 10000:04d}", "phone": f"1381234{i % 10000:04d}",
            "platform": "wechat", "chat_id": f"room{grid}", "source_message_id": f"m{i}",
            "reporter_id": f"wxid_{i % 20000}", "reporter_name": rng.choice(["张阿姨", "李大爷", "王姐", "赵叔"]),
            "assignee": ASSIGNEES[grid], "escalation_level": int(status == "escalated"),
            "households": 1, "resolution": "已处理" if resolved else "", "rating": rating,
            "rated_at": resolved + timedelta(hours=2) if rating else None,
            "created_at": created, "acknowledged_at": acked, "resolved_at": resolved,
            "closed_at": resolved if status == "closed" else None,
            "ack_due": created + timedelta(hours=4), "resolve_due": created + timedelta(days=5),
        }


def load(engine, n: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(11)
    started = time.perf_counter()
    batch: list[dict] = []  # type: ignore[type-arg]
    with engine.begin() as connection:
        for row in ticket_rows(n, rng):
            batch.append(row)
            if len(batch) == 20_000:
                connection.execute(insert(TicketRow.__table__), batch)  # type: ignore[attr-defined]
                batch.clear()
        if batch:
            connection.execute(insert(TicketRow.__table__), batch)  # type: ignore[attr-defined]
        ids = [(r[0], r[1]) for r in connection.execute(text("select id, created_at from ticket"))]
        events = []
        for ticket_id, created in ids:
            events.append({"ticket_id": ticket_id, "at": created, "actor": "system",
                           "action": "created", "note": "other"})
            if ticket_id % 3 == 0:
                events.append({"ticket_id": ticket_id, "at": created + timedelta(days=1),
                               "actor": "wang_fang", "action": "return_visit", "note": "居民满意"})
            if len(events) >= 30_000:
                connection.execute(insert(TicketEventRow.__table__), events)  # type: ignore[attr-defined]
                events.clear()
        if events:
            connection.execute(insert(TicketEventRow.__table__), events)  # type: ignore[attr-defined]
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))
    print(f"  loaded {n:,} tickets in {time.perf_counter() - started:.1f} s")


def sign_in(client: httpx.Client, engine, staff_id: str) -> None:  # type: ignore[no-untyped-def]
    import re

    with session_scope(engine) as session:
        token = issue_login_link(session, staff_id, NOW, timedelta(minutes=15))
    page = client.get(f"/login/{token}")
    nonce = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    assert client.post("/login", data={"token": token, "csrf": nonce}).status_code == 303


QUERIES = [
    "", "?status=open", "?status=open&overdue=1", "?category=plumbing", "?urgency=emergency",
    "?grid=JL-2&status=open", "?building=5", "?q=下水道", "?q=%231234", "?q=电梯+第8",
    "?from=2026-11-01&to=2026-11-20", "?page=50", "?page=400", "?status=closed&category=elevator&page=3",
    "?overdue=1&grid=WH-1", "?q=暖气&status=open&page=2",
]


def measure(engine, requests: int) -> None:  # type: ignore[no-untyped-def]
    settings = load_settings()
    app = create_app(settings, engine, lambda: NOW)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=18090, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        rng = random.Random(3)
        for who in ("zheng_guoqiang", "li_hongmei", "wang_fang"):
            with httpx.Client(base_url="http://127.0.0.1:18090", timeout=30) as client:
                sign_in(client, engine, who)
                for query in QUERIES[:4]:  # warm up
                    client.get(f"/tickets{query}")
                latencies = []
                for _ in range(requests):
                    query = rng.choice(QUERIES)
                    started = time.perf_counter()
                    response = client.get(f"/tickets{query}")
                    latencies.append(time.perf_counter() - started)
                    assert response.status_code == 200, response.text[:300]
                ordered = sorted(latencies)
                p95 = ordered[int(len(ordered) * 0.95)]
                print(f"  ticket list as {who}: {len(ordered)} requests over {len(QUERIES)} filter mixes, "
                      f"p50 {statistics.median(ordered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
                      f"max {ordered[-1] * 1000:.0f} ms (target p95 < 200 ms)")
        with httpx.Client(base_url="http://127.0.0.1:18090", timeout=60) as client:
            sign_in(client, engine, "zheng_guoqiang")
            last = NOW.date() - timedelta(days=1)
            first = last - timedelta(days=19)
            timings = []
            for _ in range(3):
                started = time.perf_counter()
                response = client.get(f"/export.xlsx?from={first}&to={last}")
                timings.append(time.perf_counter() - started)
                assert response.status_code == 200
            from io import BytesIO

            from openpyxl import load_workbook

            sheet = load_workbook(BytesIO(response.content), read_only=True)["问题交接单"]
            rows = sum(1 for _ in sheet.iter_rows(values_only=True)) - 1
            print(f"  问题交接单 {first}..{last}: {rows:,} rows, {len(response.content) / 1e6:.1f} MB; "
                  f"{', '.join(f'{t:.2f}' for t in timings)} s (target < 5 s)")
    finally:
        server.should_exit = True
        thread.join(10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.postgres)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        print(f"PostgreSQL 15, {args.tickets:,} tickets")
        engine = make_engine(args.postgres, connect_args={"options": f"-csearch_path={schema}"})
        upgrade(engine)
        load(engine, args.tickets)
        measure(engine, args.requests)
        engine.dispose()
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))


if __name__ == "__main__":
    main()
