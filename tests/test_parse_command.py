"""``run_parse``: one JSON line out per line in, in order, whatever comes in."""

from __future__ import annotations

import io
import json

from bot.parse_command import run_parse
from handlers.parsing import ParseContext


def _run(data: bytes | str, contexts: dict[str | None, ParseContext] | None = None) -> list[dict[str, object]]:
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8") if isinstance(data, bytes) else io.StringIO(data)
    stdout = io.StringIO()
    table = contexts or {}
    assert run_parse(stdin, stdout, lambda chat: table.get(chat, ParseContext())) == 0
    out = stdout.getvalue()
    assert out == "" or out.endswith("\n")
    return [json.loads(line) for line in out.splitlines()]


def test_a_request_and_a_non_request() -> None:
    lines = "\n".join([
        json.dumps({"text": "3号楼2单元电梯里困了人 快来"}, ensure_ascii=False),
        json.dumps({"text": "收到"}, ensure_ascii=False),
    ]) + "\n"
    first, second = _run(lines)
    assert {k: first[k] for k in ("is_request", "category", "urgency", "location")} == {
        "is_request": True, "category": "elevator", "urgency": "emergency",
        "location": {"building": "3", "unit": "2", "room": None, "landmark": None}}
    assert first["confidence"] > 0.9 and first["emergency_score"] > 0.5
    assert {k: second[k] for k in ("is_request", "category", "urgency", "location")} == {
        "is_request": False, "category": None, "urgency": None,
        "location": {"building": None, "unit": None, "room": None, "landmark": None}}
    assert second["confidence"] < 0.1 and second["emergency_score"] < 0.1


def test_output_is_not_ascii_escaped() -> None:
    stdout = io.StringIO()
    run_parse(io.StringIO('{"text": "老菜市场那边路灯不亮"}\n'), stdout,
              lambda chat: ParseContext(landmarks=frozenset({"老菜市场"})))
    assert "老菜市场" in stdout.getvalue()


def test_chat_context_is_looked_up_per_line() -> None:
    contexts = {"building-7": ParseContext(default_building="7")}
    lines = ('{"text": "电梯又坏了", "chat": "building-7"}\n'
             '{"text": "电梯又坏了"}\n'
             '{"text": "电梯又坏了", "chat": 42}\n')
    a, b, c = _run(lines, contexts)
    assert a["location"]["building"] == "7"  # type: ignore[index]
    assert b["location"]["building"] is None  # type: ignore[index]
    assert c["is_request"] is True


def test_every_bad_line_gets_an_error_line_and_processing_continues() -> None:
    lines = [
        "not json",
        "",
        "   ",
        "[1, 2]",
        '{"text": 5}',
        '{"chat": "x"}',
        '"just a string"',
        '{"text": "楼道灯坏了"}',
    ]
    out = _run("\n".join(lines) + "\n")
    assert len(out) == len(lines)
    assert all("error" in o for o in out[:-1])
    assert out[-1]["category"] == "power_lighting"


def test_bad_encoding_is_replaced_not_fatal() -> None:
    data = b'{"text": "\xff\xfe\xe7\x94\xb5\xe6\xa2\xaf\xe5\x9d\x8f\xe4\xba\x86"}\n\xff\xff\n{"text": "\xe6\x94\xb6\xe5\x88\xb0"}\n'
    out = _run(data)
    assert len(out) == 3
    assert out[0]["category"] == "elevator"
    assert "error" in out[1]
    assert out[2]["is_request"] is False


def test_crlf_and_missing_final_newline() -> None:
    out = _run('{"text": "收到"}\r\n{"text": "没水了"}')
    assert [o["is_request"] for o in out] == [False, True]


def test_many_lines_keep_their_order() -> None:
    texts = ["收到", "16号楼没水了", "not json"] * 700
    lines = "".join((json.dumps({"text": t}, ensure_ascii=False) if t != "not json" else t) + "\n" for t in texts)
    out = _run(lines)
    assert len(out) == len(texts)
    for text, o in zip(texts, out, strict=True):
        if text == "not json":
            assert "error" in o
        else:
            assert o["is_request"] is (text != "收到")


def test_empty_input_writes_nothing() -> None:
    stdout = io.StringIO()
    assert run_parse(io.StringIO(""), stdout, lambda chat: ParseContext()) == 0
    assert stdout.getvalue() == ""
