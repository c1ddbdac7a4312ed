"""Just enough HTTP/1.1 on asyncio streams for the fake Bot API: keep-alive,
Content-Length bodies, urlencoded / multipart / JSON request bodies."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)


class Closed(Exception):
    """The client went away (or sent something we cannot read)."""


async def read_request(reader: asyncio.StreamReader) -> Request:
    line = await reader.readline()
    if not line:
        raise Closed
    try:
        method, target, _ = line.decode("latin-1").split(" ", 2)
    except ValueError as exc:
        raise Closed from exc
    headers: dict[str, str] = {}
    while True:
        raw = await reader.readline()
        if raw in (b"\r\n", b"\n", b""):
            break
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = b""
    if "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        body = await _read_chunked(reader)
    url = urlsplit(target)
    params: dict[str, Any] = dict(parse_qsl(url.query))
    files: dict[str, bytes] = {}
    ctype = headers.get("content-type", "")
    if ctype.startswith("application/x-www-form-urlencoded"):
        params.update(parse_qsl(body.decode("utf-8")))
    elif ctype.startswith("application/json") and body:
        params.update(json.loads(body))
    elif ctype.startswith("multipart/form-data"):
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {ctype}\r\n\r\n".encode("latin-1") + body
        )
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            payload = part.get_payload(decode=True) or b""
            if part.get_filename() is not None:
                files[name] = payload
            else:
                params[name] = payload.decode("utf-8")
    return Request(method, url.path, headers, params, files)


async def _read_chunked(reader: asyncio.StreamReader) -> bytes:
    body = b""
    while True:
        size = int((await reader.readline()).split(b";")[0], 16)
        if size == 0:
            await reader.readline()
            return body
        body += await reader.readexactly(size)
        await reader.readline()


def response(status: int, payload: dict[str, Any]) -> bytes:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    reason = {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found",
              409: "Conflict", 429: "Too Many Requests"}.get(status, "Error")
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        "Connection: keep-alive\r\n\r\n"
    )
    return head.encode("latin-1") + body
