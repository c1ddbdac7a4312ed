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


def test_demo_serve_replays_then_serves_the_desk_with_login_links(tmp_path):
    """`griddesk demo --serve`: the morning, then the desk on it, links for three roles."""
    import re
    import socket
    import time

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM", "WECHATY"))}
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "demo", "--serve", "--port", str(port)], cwd=tmp_path,
        env={**env, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines: list[str] = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not any("街道负责人" in line for line in lines):
            line = process.stdout.readline()  # type: ignore[union-attr]
            if not line:
                break
            lines.append(line)
        output = "".join(lines)
        assert "工单一览" in output and f"http://127.0.0.1:{port}/" in output
        links = dict(re.findall(r"(网格员 王芳|网格长 张伟|街道负责人 郑国强): (http\S+)", output))
        assert len(links) == 3
        with httpx.Client(follow_redirects=False) as client:
            for _ in range(50):
                try:
                    page = client.get(links["网格长 张伟"])
                    break
                except httpx.ConnectError:
                    time.sleep(0.1)
            nonce = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
            token = links["网格长 张伟"].rsplit("/", 1)[1]
            base = f"http://127.0.0.1:{port}"
            assert client.post(f"{base}/login", data={"token": token, "csrf": nonce}).status_code == 303
            tickets = client.get(f"{base}/tickets").text
        assert "张伟" in tickets and "共 3 件" in tickets, "the grid leader's three tickets of the morning"
    finally:
        process.terminate()
        process.wait(10)
