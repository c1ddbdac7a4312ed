"""`griddesk replay`: a history goes through the real runtime, core and bundled models
on a simulated clock; bad lines are named and skipped; timers, quiet hours and
digests happen at their own moments; the report says what a leader needs."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import main
from bot.replay import replay_history
from bot.replay_input import read_history
from bot.replay_report import build_report
from bot.settings import BUNDLED_CONFIG
from tests.factories import SHANGHAI

MONDAY = "2026-11-23"  # a working Monday; 11-24 is a Tuesday


def line(at: str, who: str, text: str, chat: str | None = "jl-3", **more: Any) -> str:
    record: dict[str, Any] = {"at": at if "T" in at else f"{MONDAY}T{at}:00+08:00", "from": who, "text": text}
    if chat is not None and not more.get("private"):
        record["chat"] = chat
    return json.dumps({**record, **more}, ensure_ascii=False)


def replay(tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: list[str], *extra: str,
           database: str | None = None) -> tuple[int, str, dict[str, Any], list[str]]:
    history = tmp_path / "history.jsonl"
    history.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report, transcript = tmp_path / "report.json", tmp_path / "transcript.txt"
    url = database or f"sqlite:///{tmp_path / 'replay.db'}"
    code = main(["replay", str(history), "--database", url, "--report", str(report),
                 "--transcript", str(transcript), *extra])
    out = capsys.readouterr().out
    data = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    said = transcript.read_text(encoding="utf-8").splitlines() if transcript.exists() else []
    return code, out, data, said


def test_bad_lines_are_named_by_number_and_skipped_and_the_rest_is_replayed(tmp_path, capsys):
    lines = [
        line("08:00", "张阿姨", "早上好"),
        "this is not json",
        line("08:05", "张阿姨", "3号楼2单元楼道灯坏了", id="light"),
        json.dumps({"from": "李大爷", "text": "没有时间", "chat": "jl-3"}, ensure_ascii=False),
        line("07:00", "李大爷", "时间倒退了"),
        line("08:10", "李大爷", "群不存在", chat="jl-99"),
        line("08:11", "李大爷", "平台不对", platform="qq"),
        line("08:12", "王芳", "收到", private=True, reply_to="nowhere"),
        line("08:13", "张阿姨", "重复的编号", id="light"),
        line("08:14", "张阿姨", "   "),
        "",
        line("08:20", "王芳", "收到 上午去换", private=True, reply_to="light"),
    ]
    code, out, report, said = replay(tmp_path, capsys, lines)
    assert code == 0
    skipped = {s["line"]: s["reason"] for s in report["lines"]["skipped"]}
    assert sorted(skipped) == [2, 4, 5, 6, 7, 8, 9, 10]
    assert "JSON" in skipped[2] and '"at"' in skipped[4] and "倒退" in skipped[5]
    assert "jl-99" in skipped[6] and "qq" in skipped[7] and "nowhere" in skipped[8]
    assert "第3行" in skipped[9] and '"text"' in skipped[10]
    assert "第6行:配置里没有 console 群 'jl-99'" in out, "the printed report names them too"
    assert report["lines"]["replayed"] == 3 and report["tickets"]["total"] == 1
    assert any("#0001 网格员王芳已接单" in s for s in said), "the reply after the bad lines still worked"


def test_staff_are_known_by_name_or_id_and_need_an_account_on_the_platform(tmp_path, capsys):
    config = yaml.safe_load(BUNDLED_CONFIG.read_text(encoding="utf-8"))
    for person in config["staff"]:
        if person["id"] == "wang_fang":
            del person["identities"]["telegram"]
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    lines = [
        line("08:05", "张阿姨", "3号楼2单元楼道灯坏了", id="light"),
        line("08:20", "wang_fang", "收到", private=True, reply_to="light"),
        line("08:30", "王芳", "在吗", private=True, platform="telegram"),
    ]
    code, _, report, said = replay(tmp_path, capsys, lines, "--config", str(path))
    assert [s["line"] for s in report["lines"]["skipped"]] == [3]
    assert "王芳在 telegram 上的账号" in report["lines"]["skipped"][0]["reason"]
    assert any("网格员王芳已接单" in s for s in said), "a staff id speaks as that person"


def test_timers_run_on_the_simulated_clock_in_order_up_to_each_line(tmp_path, capsys):
    """A request nobody answers: reminder, overdue, the backup, the grid leader, each at
    its moment and before the next line; a worker who forgets is named in the report."""
    lines = [
        line("09:00", "周叔", "6号楼门口的路灯不亮了 晚上黑乎乎的", chat="jl-6", id="lamp"),
        line("2026-11-24T09:00:00+08:00", "周叔", "早上好", chat="jl-6"),
        line("2026-11-24T09:05:00+08:00", "王芳", "收到 我来", private=True, reply_to="lamp"),
    ]
    code, _, report, said = replay(tmp_path, capsys, lines)
    stamps = {text: s[:5] for s in said for text in ("提醒:#0001", "已超过接单时限", "改由您处理",
                                                     "【超时未接单 #0001】") if text in s}
    # 4 working hours from 09:00 (lunch 12:00-13:30) end at 14:30, the reminder after 3;
    # the backup half the 5.5 h span later, the grid leader a span later
    assert stamps == {"提醒:#0001": "12:00", "已超过接单时限": "14:30", "改由您处理": "17:15",
                      "【超时未接单 #0001】": "20:00"}
    assert said.index(next(s for s in said if "周叔: 早上好" in s)) > said.index(
        next(s for s in said if "【超时未接单" in s)), "Tuesday's line comes after Monday's timers"
    [overdue] = report["overdue"]
    assert (overdue["ticket"], overdue["held_by"], overdue["then_held_by"]) == ("#0001", "刘洋", ["王芳"])
    follow = report["follow_ups"]
    assert (follow["接单提醒"], follow["接单超时通知"], follow["备岗接手"], follow["超时未接单告知网格长"]) == (1, 1, 1, 1)
    deadlines = next(c for c in report["checks"] if c["key"] == "deadlines")
    assert (deadlines["ok"], deadlines["total"], deadlines["failures"]) == (1, 1, [])


def test_an_urgent_ticket_at_night_reaches_its_worker_at_once(tmp_path, capsys):
    lines = [
        line("23:10", "冯大爷", "8号楼水管爆了 水从楼上往下流 快来人关阀门", chat="wh-grid-2", id="pipe"),
        line("2026-11-24T07:05:00+08:00", "孙强", "刚看到 我这就去", private=True, reply_to="pipe"),
    ]
    _, _, report, said = replay(tmp_path, capsys, lines)
    assert any(s.startswith("23:10 [文化里第二网格群] 🤖") and "登记为 #0001" in s for s in said), \
        "the resident has a receipt at once"
    assert any(s.startswith("23:10 [私聊·孙强] 🤖") and "【新工单 #0001】" in s for s in said), \
        "quiet hours do not hold an urgent ticket that nobody has taken on"
    deadlines = next(c for c in report["checks"] if c["key"] == "deadlines")
    assert deadlines["failures"] == []


def test_texts_sent_by_timers_read_local_time(tmp_path, capsys):
    """The clock of a replay reads local time, like the live bot's: a reminder sent by
    a timer names the deadline as the worker knows it."""
    lines = [
        line("09:00", "冯大爷", "8号楼水管爆了 水从楼上往下流", chat="wh-grid-2", id="pipe"),
        line("09:05", "孙强", "收到", private=True, reply_to="pipe"),
        line("2026-11-24T08:30:00+00:00", "冯大爷", "还没修好", chat="wh-grid-2"),  # 16:30 in Beijing
    ]
    _, _, _, said = replay(tmp_path, capsys, lines)
    [reminder] = [s for s in said if "还未办结" in s]
    assert reminder.startswith("07:00 [私聊·孙强]"), "due at 03:00; taken on already, so it waits for the morning"
    assert "办结时限11月24日 09:00" in reminder


def test_an_emergency_is_never_held_and_its_leaders_are_told_within_the_minute(tmp_path, capsys):
    lines = [line("23:30", "唐奶奶", "楼道里冒烟了 好像哪家着火了 快来人", chat="文化里6号楼邻居群",
                  platform="wechat")]
    _, _, report, said = replay(tmp_path, capsys, lines)
    assert sum(1 for s in said if s.startswith("23:30 [微信·私聊·") and "🚨【紧急 #0001】" in s) == 2
    [emergency] = report["emergencies"]
    assert emergency["leaders_told_after_seconds"] == {"周丽": 0, "吴建国": 0}
    check = next(c for c in report["checks"] if c["key"] == "emergency")
    assert (check["ok"], check["total"]) == (1, 1)


def test_a_private_reply_to_a_line_without_a_notification_is_made_in_that_group(tmp_path, capsys):
    """王芳 is 刘洋's backup: before the bot hands her his ticket she answers the
    resident's message itself, as she would have to in the chat."""
    lines = [
        line("09:10", "林姐", "有人在6号楼楼道里给电瓶车充电", chat="jl-6", id="charge"),
        line("09:30", "王芳", "收到 这个我先接了", private=True, reply_to="charge"),
    ]
    _, _, report, said = replay(tmp_path, capsys, lines)
    assert "[吉利花园6号楼邻里群] 王芳: 收到 这个我先接了" in "\n".join(said)
    assert any("#0001 网格员王芳已接单" in s for s in said)
    assert report["lines"]["notices"] == [{"line": 2, "notice": report["lines"]["notices"][0]["notice"]}]


def test_digests_go_out_every_morning_and_on_mondays_the_weekly(tmp_path, capsys):
    lines = [
        line("2026-11-22T10:00:00+08:00", "张阿姨", "3号楼2单元楼道灯坏了"),  # a Sunday
        line("2026-11-24T09:00:00+08:00", "张阿姨", "早上好"),
    ]
    _, _, report, said = replay(tmp_path, capsys, lines)
    assert report["bot_said"]["daily_digests"] == 10 and report["bot_said"]["weekly_digests"] == 5
    assert any(s.startswith("08:00 [私聊·郑国强] 🤖") and "【网格周报】" in s for s in said)
    assert not any("【网格日报】" in s and "11月21日" in s for s in said), "no digest of a day before the history"


def test_an_existing_database_is_refused_and_the_default_one_is_replaced(tmp_path, capsys, monkeypatch):
    lines = [line("08:05", "张阿姨", "3号楼2单元楼道灯坏了")]
    database = f"sqlite:///{tmp_path / 'used.db'}"
    assert replay(tmp_path, capsys, lines, database=database)[0] == 0
    assert main(["replay", str(tmp_path / "history.jsonl"), "--database", database]) == 2
    assert "已经有工单或消息" in capsys.readouterr().err

    monkeypatch.chdir(tmp_path)
    history = tmp_path / "week.jsonl"
    history.write_text(lines[0] + "\n", encoding="utf-8")
    for _ in range(2):
        assert main(["replay", str(history)]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "week.replay.db").exists() and "GRIDDESK_DATABASE_URL=sqlite:///" in out


def test_the_same_history_gives_the_same_figures_on_sqlite_and_postgresql(settings, engine):
    """The replay's database is the bot's: both engines, one answer."""
    path = Path(__file__).resolve().parents[1] / "bot" / "data" / "demo.jsonl"
    directory = settings.directory()
    history = read_history(path, directory, settings.timezone)
    run = replay_history(settings, engine, history, until=datetime(2026, 11, 23, 14, tzinfo=SHANGHAI))
    report = build_report(settings, directory, engine, history, run, "test")
    assert report["tickets"]["by_status"] == {"已办结": 2, "已上报": 1, "已派单,待接单": 1}
    # the fourth ticket (09:20) is not answered at 14:00 but its deadline is 14:50: judged later
    assert report["rates"]["total"]["response"] == {"ok": 3, "total": 3, "rate": 1.0}
    assert report["lines"]["joined_ticket"] == 1 and report["follow_ups"]["接单提醒"] == 1
    assert [c["failures"] for c in report["checks"]] == [[], [], [], []]


def test_until_runs_the_clock_on_after_the_last_line(tmp_path, capsys):
    lines = [line("09:00", "周叔", "6号楼门口的路灯不亮了 晚上黑乎乎的", chat="jl-6")]
    _, _, stopped, _ = replay(tmp_path, capsys, lines)
    assert stopped["follow_ups"]["接单提醒"] == 0 and stopped["period"]["to"].endswith("09:00+08:00")

    (tmp_path / "replay.db").unlink()
    _, _, report, said = replay(tmp_path, capsys, lines, "--until", "2026-11-24T09:00")
    assert report["follow_ups"]["接单提醒"] == 1 and report["bot_said"]["daily_digests"] == 5
    assert report["period"]["to"] == "2026-11-24T09:00+08:00"
    stamped = [s for s in said if s[:2].isdigit()]
    assert stamped[-1].startswith("08:00 [私聊·郑国强]"), "Tuesday's digests are the last thing said"
