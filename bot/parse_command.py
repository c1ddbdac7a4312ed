"""``griddesk parse``: JSON lines in, one JSON line out per line, in order.

The input is read as bytes and decoded line by line with ``errors="replace"``
so one badly encoded line cannot stop a batch; every input line, blank or
broken, gets exactly one output line.

Residents' messages: ``{"is_request", "category", "urgency", "location",
"confidence", "emergency_score"}``. With ``--staff``, staff replies:
``{"intent", "confidence"}``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TextIO

from handlers.parsing import ParseContext, Reading, read_message
from handlers.parsing.staff_intent import read_staff_reply

_BATCH = 512


def as_output(reading: Reading) -> dict[str, Any]:
    """The CLI's (and the corpus's) view of a reading."""
    loc = reading.location
    return {
        "is_request": reading.is_request,
        "category": reading.category.value if reading.is_request else None,
        "urgency": reading.urgency.value if reading.is_request else None,
        "location": {"building": loc.building, "unit": loc.unit, "room": loc.room,
                     "landmark": loc.landmark},
        "confidence": round(reading.confidence, 3),
        "emergency_score": round(reading.emergency_score, 3),
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


def parse_line(line: str, context_for_chat: Callable[[str | None], ParseContext], staff: bool = False) -> str:
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
        if staff:
            said = read_staff_reply(record["text"])
            return json.dumps({"intent": said.intent.value, "confidence": round(said.confidence, 3)})
        reading = read_message(record["text"], context_for_chat(chat_id))
    except Exception as exc:  # one message must never stop the batch
        return _error(f"parser failed: {type(exc).__name__}")
    return json.dumps(as_output(reading), ensure_ascii=False)


def run_parse(stdin: TextIO, stdout: TextIO,
              context_for_chat: Callable[[str | None], ParseContext], staff: bool = False) -> int:
    out: list[str] = []
    for line in _lines(stdin):
        out.append(parse_line(line, context_for_chat, staff))
        if len(out) >= _BATCH:
            stdout.write("\n".join(out) + "\n")
            out.clear()
    if out:
        stdout.write("\n".join(out) + "\n")
    stdout.flush()
    return 0
