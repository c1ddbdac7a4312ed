"""``griddesk parse``: JSON lines in, one JSON line out per line, in order.

The input is read as bytes and decoded line by line with ``errors="replace"``
so one badly encoded line cannot stop a batch; every input line, blank or
broken, gets exactly one output line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from handlers.parsing import ParseContext, ParsedRequest, parse_message

_NOT_A_REQUEST = '{"is_request": false, "category": null, "urgency": null, "location": {"building": null, "unit": null, "room": null, "landmark": null}}'
_BATCH = 512


def as_output(parsed: ParsedRequest | None) -> dict[str, Any]:
    """The CLI's (and the corpus's) view of a parse result."""
    if parsed is None:
        return {"is_request": False, "category": None, "urgency": None,
                "location": {"building": None, "unit": None, "room": None, "landmark": None}}
    loc = parsed.location
    return {
        "is_request": True,
        "category": parsed.category.value,
        "urgency": parsed.urgency.value,
        "location": {"building": loc.building, "unit": loc.unit, "room": loc.room,
                     "landmark": loc.landmark},
    }


def _error(message: str) -> str:
    return json.dumps({"error": message}, ensure_ascii=False)


def _lines(stdin: TextIO) -> Iterator[str]:
    raw = getattr(stdin, "buffer", None)
    source: Iterable[bytes | str] = raw if raw is not None else stdin
    for line in source:
        if isinstance(line, bytes):
            line = line.decode("utf-8", errors="replace")
        yield line


def parse_line(line: str, context_for_chat: Callable[[str | None], ParseContext]) -> str:
    line = line.strip("\r\n")
    if not line.strip():
        return _error("blank line")
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):
        return _error("not valid JSON")
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return _error('expected an object with a string "text"')
    chat = record.get("chat")
    chat_id = None if chat is None else str(chat)
    try:
        parsed = parse_message(record["text"], context_for_chat(chat_id))
    except Exception as exc:  # one message must never stop the batch
        return _error(f"parser failed: {type(exc).__name__}")
    if parsed is None:
        return _NOT_A_REQUEST
    return json.dumps(as_output(parsed), ensure_ascii=False)


def run_parse(stdin: TextIO, stdout: TextIO,
              context_for_chat: Callable[[str | None], ParseContext]) -> int:
    out: list[str] = []
    for line in _lines(stdin):
        out.append(parse_line(line, context_for_chat))
        if len(out) >= _BATCH:
            stdout.write("\n".join(out) + "\n")
            out.clear()
    if out:
        stdout.write("\n".join(out) + "\n")
    stdout.flush()
    return 0
