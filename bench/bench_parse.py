"""Throughput and latency of the parse command.

Usage: python bench/bench_parse.py [--n 20000] [--cli]

Builds N messages by cycling the corpus with variations (numerals, traditional
script, full-width digits, mentions, emoji, noise, broken lines), then:
1. runs the parse loop as a separate process over all of them and reports
   messages/s for the whole process, Python start-up included;
2. times ``parse_message`` per message in-process and reports p50/p99.
With --cli it runs ``griddesk parse`` instead of calling run_parse directly.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from latency import machine  # noqa: E402

from handlers.parsing import ParseContext, parse_message  # noqa: E402

CORPUS = ROOT / "data" / "corpus" / "legacy-dev.jsonl"
RUNNER = (
    "import sys; from bot.parse_command import run_parse; "
    "from handlers.parsing import ParseContext; "
    "ctx = {'b7': ParseContext(default_building='7')}; "
    "sys.exit(run_parse(sys.stdin, sys.stdout, lambda chat: ctx.get(chat or '', ParseContext())))"
)

_CN = "〇一二三四五六七八九"
_TRAD = str.maketrans("电梯坏楼没气暖热灯门谢问请单", "電梯壞樓沒氣暖熱燈門謝問請單")
_FULL = str.maketrans("0123456789-#", "０１２３４５６７８９－＃")


def _vary(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.15:
        return text.translate(_TRAD)
    if roll < 0.25:
        return text.translate(_FULL)
    if roll < 0.35:
        return "@网格员王芳 " + text
    if roll < 0.45:
        return text + rng.choice(["😭", "🙏🙏", "[捂脸]", "!!!", "。。。", " 谢谢"])
    if roll < 0.50:
        return "".join(_CN[int(c)] if c.isdigit() and rng.random() < 0.5 else c for c in text)
    if roll < 0.52:
        return text * rng.randint(3, 8)  # pasted twice over, voice-to-text run-ons
    if roll < 0.521:
        return text * 400  # the odd 10 KB paste
    return text


def build_lines(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    texts = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    lines = []
    for i in range(n):
        text = _vary(texts[i % len(texts)], rng)
        if i % 997 == 0:
            lines.append("{not json")
            continue
        record: dict[str, str] = {"text": text}
        if i % 5 == 0:
            record["chat"] = "b7"
        lines.append(json.dumps(record, ensure_ascii=False))
    return lines


def run_process(lines: list[str], cli: bool) -> tuple[float, int]:
    payload = ("\n".join(lines) + "\n").encode("utf-8")
    command = [str(ROOT / ".venv" / "bin" / "griddesk"), "parse"] if cli else [sys.executable, "-c", RUNNER]
    start = time.perf_counter()
    done = subprocess.run(command, input=payload, capture_output=True, cwd=ROOT, check=True)
    elapsed = time.perf_counter() - start
    return elapsed, done.stdout.count(b"\n")


def per_message(lines: list[str]) -> list[float]:
    contexts = {"b7": ParseContext(default_building="7")}
    timings = []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        context = contexts.get(record.get("chat", ""), ParseContext())
        start = time.perf_counter()
        parse_message(record["text"], context)
        timings.append(time.perf_counter() - start)
    return sorted(timings)


def main(argv: list[str]) -> int:
    n = int(argv[argv.index("--n") + 1]) if "--n" in argv else 20_000
    print(machine())
    lines = build_lines(n)
    elapsed, out_lines = run_process(lines, "--cli" in argv)
    assert out_lines == n, f"{out_lines} output lines for {n} input lines"
    print(f"whole process (Python start-up and model load included): {n} messages in "
          f"{elapsed:.2f} s = {n / elapsed:,.0f} messages/s")
    timings = per_message(lines)
    p50 = timings[len(timings) // 2] * 1e6
    p99 = timings[int(len(timings) * 0.99)] * 1e6
    print(f"in-process parse_message: p50 {p50:.0f} µs, p99 {p99:.0f} µs, max {timings[-1] * 1e6:.0f} µs")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
