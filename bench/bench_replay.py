"""A month of a large street through `griddesk replay`: 10,000 lines built from the
sample month, timers and digests included, on SQLite and (with --postgres) PostgreSQL.

    .venv/bin/python bench/bench_replay.py [--lines 10000] [--postgres URL] [--keep DIR]

The street is the sample month's two communities copied 18 times (36 communities,
85 grids, 69 leaders): every copy has its own chats, staff and residents, and its
lines are shifted by a few seconds so the copies interleave. Lines that name a
ticket by its code (#0012 合并 #0007, 进度, 撤销, 回访) are left out: codes are
numbered across the whole street, so the month's codes mean other tickets here.
With --postgres the URL must name an empty database (the bench fills it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.replay import replay_engine, replay_history  # noqa: E402
from bot.replay_input import read_history  # noqa: E402
from bot.replay_report import build_report  # noqa: E402
from bot.settings import BUNDLED_CONFIG, load_settings  # noqa: E402
from storage.database import upgrade  # noqa: E402

MONTH = ROOT / "data" / "sample-month.jsonl"
CODE = re.compile(r"#\d{4}")


def street_config(copies: int) -> dict[str, Any]:
    base = yaml.safe_load(BUNDLED_CONFIG.read_text(encoding="utf-8"))
    config = {k: v for k, v in base.items() if k not in ("communities", "staff", "chats")}
    config["communities"], config["staff"], config["chats"] = [], [], []
    street_leaders = set(base["street"]["leaders"])
    config["staff"] += [s for s in base["staff"] if s["id"] in street_leaders]
    for k in range(1, copies + 1):
        tag = f"{k:02d}"
        for c in base["communities"]:
            code = f"{c['code']}{tag}"
            config["communities"].append({
                **c, "code": code, "name": f"{c['name']}{tag}", "duty_worker": f"{c['duty_worker']}_{tag}",
                "grids": [{**g, "code": f"{code}-{g['code'].split('-')[1]}", "name": f"{g['name']}{tag}"}
                          for g in c["grids"]]})
        for s in base["staff"]:
            if s["id"] in street_leaders:
                continue
            config["staff"].append({
                **s, "id": f"{s['id']}_{tag}", "name": f"{s['name']}{tag}",
                "grids": [f"{g.split('-')[0]}{tag}-{g.split('-')[1]}" for g in s.get("grids", [])],
                "communities": [f"{c}{tag}" for c in s.get("communities", [])],
                **({"backup": f"{s['backup']}_{tag}"} if s.get("backup") else {}),
                "identities": {"console": f"{s['name']}{tag}", "wechat": f"{s['identities']['wechat']}_{tag}"}})
        for chat in base["chats"]:
            if chat["platform"] == "telegram":
                continue
            copy = {**chat, "community": f"{chat['community']}{tag}"}
            if chat.get("grid"):
                copy["grid"] = f"{chat['grid'].split('-')[0]}{tag}-{chat['grid'].split('-')[1]}"
            if chat.get("id"):
                copy["id"] = f"{chat['id']}-{tag}"
            if chat.get("topic"):
                copy["topic"] = f"{chat['topic']}{tag}"
            config["chats"].append(copy)
    return config


def street_lines(copies: int, limit: int, staff_names: set[str]) -> list[str]:
    month = [json.loads(line) for line in MONTH.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = []
    for k in range(1, copies + 1):
        tag = f"{k:02d}"
        for r in month:
            if CODE.search(r["text"]):
                continue
            at = datetime.fromisoformat(r["at"]) + timedelta(seconds=7 * k)
            copy = {**r, "at": at.isoformat(), "from": f"{r['from']}{tag}" if r["from"] in staff_names
                    else f"{r['from']}·{tag}"}
            if "chat" in r:
                copy["chat"] = f"{r['chat']}{tag}" if r.get("platform") == "wechat" else f"{r['chat']}-{tag}"
            for key in ("id", "reply_to"):
                if key in r:
                    copy[key] = f"{tag}-{r[key]}"
            records.append(copy)
    records.sort(key=lambda r: r["at"])
    return [json.dumps(r, ensure_ascii=False) for r in records[:limit]]


def run(url: str, settings_path: Path, history_path: Path, label: str) -> None:
    settings = load_settings(settings_path)
    directory = settings.directory()
    began = time.perf_counter()
    history = read_history(history_path, directory, settings.timezone)
    read = time.perf_counter()
    engine = replay_engine(url)
    upgrade(engine)
    replayed = replay_history(settings, engine, history)
    done = time.perf_counter()
    report = build_report(settings, directory, engine, history, replayed, label)
    reported = time.perf_counter()
    engine.dispose()
    timers = sum(1 for c in replayed.journal.causes if c.what == "timer")
    digests = sum(1 for c in replayed.journal.causes if c.what == "digest")
    print(f"{label}: {len(history.lines)} lines ({len(history.skipped)} skipped) in "
          f"{reported - began:.1f} s: read {read - began:.1f} s, replay {done - read:.1f} s "
          f"({len(history.lines) / (done - read):.0f} lines/s), report {reported - done:.1f} s")
    print(f"  {report['tickets']['total']} tickets, {timers} timers run, {digests} digests, "
          f"{report['bot_said']['total']} messages sent; 响应率 {report['rates']['total']['response']['rate']}, "
          f"checks failed: {sum(len(c['failures']) for c in report['checks'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000)
    parser.add_argument("--copies", type=int, default=18)
    parser.add_argument("--postgres", help="an empty PostgreSQL database to replay into as well")
    parser.add_argument("--keep", help="write the street's config and history here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(args.keep or tmp)
        out.mkdir(parents=True, exist_ok=True)
        config = street_config(args.copies)
        staff_names = {s["name"] for s in yaml.safe_load(BUNDLED_CONFIG.read_text("utf-8"))["staff"]}
        (out / "street.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        (out / "street.jsonl").write_text("\n".join(street_lines(args.copies, args.lines, staff_names)) + "\n",
                                          encoding="utf-8")
        print(f"a street of {len(config['communities'])} communities, "
              f"{sum(len(c['grids']) for c in config['communities'])} grids, {len(config['staff'])} staff")
        for suffix in ("", "-wal", "-shm"):  # a replay goes into an empty database
            (out / f"street.db{suffix}").unlink(missing_ok=True)
        run(f"sqlite:///{out / 'street.db'}", out / "street.yaml", out / "street.jsonl", "SQLite")
        if args.postgres:
            run(args.postgres, out / "street.yaml", out / "street.jsonl", "PostgreSQL")


if __name__ == "__main__":
    main()
