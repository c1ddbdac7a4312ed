"""The bundled sample month, replayed through the bot with its bundled models: the
report must say what the file implies. Each line carries what it is meant to be
(``expect``, ``late``, ``redone``: see data/write_sample_month.py); the figures are
worked out here from those marks, not from the bot.

If the models are retrained and a line reads differently, the first test names the
line: reword it or change its mark in data/write_sample_month.py, and regenerate.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bot.replay import ReplayRun, replay_history
from bot.replay_input import History, read_history
from bot.replay_report import build_report
from bot.replay_transcript import ChatNames, transcript_lines
from storage.database import session_scope
from storage.replay_queries import ReplayFacts, replay_facts
from tests.databases import sqlite_engine

MONTH = Path(__file__).resolve().parents[1] / "data" / "sample-month.jsonl"
PHONE = re.compile(r"1[3-9]\d{9}")
RATING_NAMES = {"satisfied": "满意", "basically": "基本满意", "dissatisfied": "不满意"}


class Month:
    def __init__(self, history: History, run: ReplayRun, report: dict[str, Any], facts: ReplayFacts,
                 said: list[str]) -> None:
        self.history, self.run, self.report, self.facts, self.said = history, run, report, facts, said
        self.marks = {n: json.loads(text) for n, text in enumerate(MONTH.read_text("utf-8").splitlines(), 1)}
        self.ticket_of_line = {int(t.source_message_id[1:]): t for t in facts.tickets}

    def lines(self, **wanted: Any) -> list[int]:
        return [n for n, mark in self.marks.items() if all(mark.get(k) == v for k, v in wanted.items())]

    def count(self, expect: str) -> int:
        return len(self.lines(expect=expect))

    def codes(self, late: str) -> set[str]:
        return {self.ticket_of_line[n].label for n, m in self.marks.items() if late in m.get("late", "")}


@pytest.fixture(scope="module")
def month(settings, tmp_path_factory) -> Month:  # type: ignore[no-untyped-def]
    directory = settings.directory()
    history = read_history(MONTH, directory, settings.timezone)
    with sqlite_engine(str(tmp_path_factory.mktemp("month") / "month.db")) as engine:
        run = replay_history(settings, engine, history)
        report = build_report(settings, directory, engine, history, run, "test")
        with session_scope(engine) as session:
            facts = replay_facts(session)
    said = list(transcript_lines(run.journal, ChatNames(settings, directory), settings.timezone))
    return Month(history, run, report, facts, said)


def test_every_line_is_read_as_the_file_says(month):
    cards = {c.message_id: c for c in month.facts.cards}
    joined = {message_id for (_, _, message_id) in month.facts.links}
    wrong = []
    for n, mark in month.marks.items():
        if "expect" not in mark or month.history.lines[n - 1].staff_id is not None:
            continue
        ticket = month.ticket_of_line.get(n)
        if f"L{n}" in cards:
            got = "card"
        elif ticket is not None:
            got = "emergency" if ticket.emergency_kind or ticket.urgency.value == "emergency" or any(
                e.action == "urgency" and e.note.startswith("emergency→")
                for e in month.facts.events[ticket.id]) else "ticket"
        elif f"L{n}" in joined:
            got = "co-report"
        else:
            got = "chat"
        meant = mark["expect"] if not mark["expect"].startswith("rate:") else "chat"
        if got != meant:
            wrong.append(f"line {n}: meant {meant}, the bot made it {got}: {mark['text']}")
    assert not wrong, "\n".join(wrong)


def test_the_whole_file_is_replayed_without_a_skipped_line_or_an_error(month):
    lines = month.report["lines"]
    assert lines["read"] == len(month.marks) == lines["replayed"]
    assert lines["skipped"] == [] and lines["errors"] == []


def test_tickets_cards_co_reports_corrections_and_ratings_are_counted_as_the_file_implies(month):
    r = month.report
    assert r["lines"]["opened_ticket"] == month.count("ticket") + month.count("emergency")
    assert r["lines"]["joined_ticket"] == month.count("co-report")
    filed, ignored = month.count("立案"), month.count("忽略")
    assert r["cards"] == {"total": month.count("card"), "filed": filed, "ignored": ignored,
                          "pending": month.count("card") - filed - ignored}
    assert r["tickets"]["total"] == month.count("ticket") + month.count("emergency") + filed
    corrections = {k: v for k, v in r["corrections"].items() if v}
    expected = {
        "误报": month.count("误报"), "不是诉求": month.count("不是诉求"), "改类别": month.count("改类别"),
        "改紧急程度": month.count("改紧急程度"), "改位置": month.count("改位置"),
        "立案(可能的诉求)": filed, "忽略(可能的诉求)": ignored, "合并": month.count("合并")}
    assert corrections == {k: v for k, v in expected.items() if v}
    given = Counter(m["expect"].split(":")[1] for m in month.marks.values()
                    if m.get("expect", "").startswith("rate:"))
    assert {name: r["ratings"][name] for name in RATING_NAMES.values()} == {
        RATING_NAMES[k]: given[k] for k in RATING_NAMES}
    assert len({e["ticket"] for e in r["emergencies"]}) == month.count("emergency")


def test_the_late_tickets_are_the_ones_the_file_marks_and_the_report_names_who_held_them(month):
    overdue = month.report["overdue"]
    assert {o["ticket"] for o in overdue if o["missed"] == "接单"} == month.codes("ack")
    assert {o["ticket"] for o in overdue if o["missed"] == "办结"} == month.codes("fix")
    late_acks = {o["ticket"]: o for o in overdue if o["missed"] == "接单"}
    forgotten = [o for o in late_acks.values() if o["held_by"] == "刘洋"]
    assert len(forgotten) == len(late_acks) - 1, "刘洋 forgets; the other is the pipe that burst at night"
    assert all(o["then_held_by"] == ["王芳"] for o in forgotten if o["met_by"] == "接单"), \
        "his backup takes them over"
    assert not any(t.assignee == "chen_jing" for t in month.facts.tickets), "陈静 is on leave all month"
    third_grid = [t for t in month.facts.tickets if t.grid == "JL-3"]
    assert third_grid and {t.assignee for t in third_grid} == {"li_na"}


def test_the_three_rates_follow_from_the_file(month):
    rates = month.report["rates"]["total"]
    not_counted = month.count("误报") + month.count("不是诉求") + month.count("合并") + 1  # one withdrawn
    tickets = month.report["tickets"]["total"]
    late_acks = len(month.codes("ack")) - 1  # the late merged one is not counted
    assert (rates["response"]["total"], rates["response"]["ok"]) == (tickets - not_counted,
                                                                      tickets - not_counted - late_acks)
    counted = tickets - not_counted - len(month.codes("open"))
    assert (rates["resolution"]["total"], rates["resolution"]["ok"]) == (counted, counted - len(month.codes("fix")))
    ratings = [m for m in month.marks.values() if m.get("expect", "").startswith("rate:")]
    final = [m for m in ratings if not m.get("redone")]
    unhappy = sum(1 for m in final if m["expect"] == "rate:dissatisfied")
    assert (rates["satisfaction"]["total"], rates["satisfaction"]["ok"]) == (len(final), len(final) - unhappy)


def test_the_promises_fail_only_where_the_file_shows_they_must(month):
    checks = {c["key"]: c for c in month.report["checks"]}
    card_lines = {month.ticket_of_line[n].label for n in month.lines(expect="card") if n in month.ticket_of_line}
    assert {f["ticket"] for f in checks["receipt"]["failures"]} == card_lines, \
        "only messages the bot was unsure of waited for a worker's 立案"
    assert checks["deadlines"]["failures"] == [], \
        "the pipe that bursts at 23:10 is urgent: its worker is told at once, not at 07:00"
    assert checks["follow_up"]["failures"] == [] and checks["follow_up"]["total"] > 80
    assert checks["emergency"]["failures"] == [] and checks["emergency"]["ok"] == month.count("emergency")


def test_holidays_and_the_working_saturday_set_the_deadlines_residents_are_told(month):
    def receipt_of(line_id: str) -> str:
        label = month.ticket_of_line[month.lines(id=line_id)[0]].label
        return next(s for s in month.said if f"登记为 {label}" in s)

    assert "10月8日(周四)" in receipt_of("d4-reno"), "国庆: the office opens again on 10月8日"
    assert "今天14:30前" in receipt_of("d13-seep"), "10月10日 is a 调休 working Saturday"
    assert "后天(周一)" in receipt_of("d20-gate2"), "an ordinary Saturday waits for Monday"


def test_digests_every_morning_and_on_mondays_and_no_phone_in_any_group_or_report(month):
    said = month.report["bot_said"]
    assert (said["daily_digests"], said["weekly_digests"]) == (29 * 5, 4 * 5)
    assert set(said["groups"]) == {"吉利花园3号楼业主群", "吉利花园6号楼邻里群", "文化里第二网格群",
                                   "微信·文化里6号楼邻居群", "吉利社区工作群"}
    phones = {p for m in month.marks.values() for p in PHONE.findall(m["text"])}
    assert phones, "the month has a resident who gives a phone number"
    group_lines = [s for s in month.said if "] 🤖" in s and "私聊" not in s]
    assert not any(p in s for p in phones for s in group_lines)
    assert not any(p in json.dumps(month.report, ensure_ascii=False) for p in phones)


def test_the_file_is_what_its_writer_writes():
    """data/sample-month.jsonl is generated: edit data/write_sample_month.py, then regenerate."""
    import subprocess
    import sys

    writer = MONTH.parent / "write_sample_month.py"
    written = subprocess.run([sys.executable, str(writer)], capture_output=True, text=True, check=True).stdout
    assert written == MONTH.read_text(encoding="utf-8"), "regenerate: python data/write_sample_month.py > data/sample-month.jsonl"
