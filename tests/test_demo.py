"""`griddesk demo` works from any directory, with nothing but the package."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_demo(cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM", "WECHATY"))}
    result = subprocess.run([sys.executable, "-m", "bot.cli", "demo"], cwd=cwd, env={
        **env, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_demo_replays_the_morning_deterministically(tmp_path):
    output = run_demo(tmp_path)
    assert output == run_demo(tmp_path), "same transcript every time"
    assert list(tmp_path.iterdir()) == [], "the demo leaves nothing behind"
    assert "登记为 #0001(供电照明)" in output
    assert "现共2户反映" in output, "the duplicate became a co-report"
    assert "请立即拨打120" in output, "the emergency carries hotline advice"
    assert "#0002 网格员刘洋已接单" in output
    assert "只有负责这个工单的工作人员可以操作" in output
    assert "提醒:#0004" in output, "the simulated clock drives a reminder"
    table = output.split("工单一览")[1]
    assert "已办结" in table and "已上报" in table and "已派单,待接单" in table
    group_lines = [line for line in output.splitlines() if "] 🤖" in line and "私聊" not in line]
    assert all("13812345678" not in line for line in group_lines), "no phone in a group"
