"""Drive tests/wechat_gateway/gateway.mjs: the official Wechaty PuppetServer with the
mock puppet on 127.0.0.1, controlled over its stdin/stdout (newline-delimited JSON).

What the bot sends is pushed by the gateway as it happens and kept here across
gateway restarts, so tests wait on a condition instead of sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import signal
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

GATEWAY_DIR = Path(__file__).resolve().parents[1] / "wechat_gateway"
SCRIPT = GATEWAY_DIR / "gateway.mjs"
TOKEN = "insecure_griddesk_test"
TIMEOUT = 15.0
START_TIMEOUT = 60.0
"""Node's first load of the gateway's packages from a cold disk cache can take seconds."""

BOT = "wxid_griddesk_bot"
BOT_NAME = "网格前台"
ZHANG = "wxid_zhang_ayi"
"""张阿姨, a resident of building 3 (吉利花园)."""
LI = "wxid_li_dayi"
ZHAO = "wxid_zhao_shu"
WANG_FANG = "wxid_wangfang"
"""王芳, grid worker of JL-1 (buildings 1–4) in the bundled config."""
BUILDING_3 = "20001003@chatroom"
BUILDING_3_TOPIC = "吉利花园3号楼业主群"
WH_6 = "20002006@chatroom"
WH_STAFF = "20003000@chatroom"
DANCE = "20009999@chatroom"
"""A room the bot is in that no config names."""

T = TypeVar("T")


def gateway_missing_reason() -> str | None:
    """Why the gateway cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (GATEWAY_DIR / "node_modules" / "wechaty-puppet-service").is_dir():
        return "the WeChat gateway's packages are missing: npm ci --prefix tests/wechat_gateway"
    return None


@dataclass(frozen=True)
class Sent:
    """One message the bot said, as the gateway saw it."""

    id: str
    room: str | None
    to: str | None
    text: str | None
    type: str
    name: str | None

    @property
    def chat(self) -> str | None:
        return self.room or self.to


class Gateway:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.port = 0
        self.sent: list[Sent] = []
        self.restarts = 0
        self._proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self._calls: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._next_id = 0
        self._changed = asyncio.Event()
        self._stderr: list[str] = []

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.port}"

    # --- process ------------------------------------------------------------------
    async def start(self) -> None:
        """Start the gateway (on the same port as before, after a restart)."""
        node = shutil.which("node") or "node"
        env = {**os.environ, "WECHATY_LOG": os.environ.get("WECHATY_LOG", "silent")}
        self._proc = await asyncio.create_subprocess_exec(
            node, str(SCRIPT), "--port", str(self.port), "--token", self.token,
            cwd=GATEWAY_DIR, env=env, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, limit=2**24,
        )
        ready: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._reader = asyncio.create_task(self._read(self._proc, ready))
        asyncio.create_task(self._drain_stderr(self._proc))
        try:
            event = await asyncio.wait_for(ready, START_TIMEOUT)
        except (TimeoutError, EOFError) as exc:
            await self.kill()
            raise RuntimeError("the WeChat gateway did not start:\n" + "".join(self._stderr[-40:])) from exc
        self.port = int(event["port"])

    async def kill(self) -> None:
        """Kill the gateway process outright, as a crash would."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.returncode is None:
            proc.kill()
            await proc.wait()
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(self._reader, TIMEOUT)
            self._reader = None

    def pause(self) -> None:
        """Freeze the gateway process (SIGSTOP): its connections go silent, not closed."""
        assert self._proc is not None
        self._proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self._proc is not None
        self._proc.send_signal(signal.SIGCONT)

    async def restart(self) -> None:
        await self.kill()
        self.restarts += 1
        await self.start()

    async def close(self) -> None:
        if self._proc is not None and self._proc.returncode is None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.call("stop"), 5)
                await asyncio.wait_for(self._proc.wait(), 5)
        await self.kill()

    async def _drain_stderr(self, proc: asyncio.subprocess.Process) -> None:
        assert proc.stderr is not None
        async for line in proc.stderr:
            self._stderr.append(line.decode(errors="replace"))
            del self._stderr[:-200]

    async def _read(self, proc: asyncio.subprocess.Process, ready: asyncio.Future[dict[str, Any]]) -> None:
        assert proc.stdout is not None
        async for raw in proc.stdout:
            line = raw.decode(errors="replace").strip()
            if not line.startswith("{"):
                continue  # a library printing to stdout
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if obj.get("event") == "ready" and not ready.done():
                ready.set_result(obj)
            elif obj.get("event") == "sent":
                m = obj["message"]
                self.sent.append(Sent(m["id"], m.get("room"), m.get("to"), m.get("text"),
                                      m.get("type", ""), m.get("name")))
                self._changed.set()
            elif "id" in obj and obj["id"] in self._calls:
                future = self._calls.pop(obj["id"])
                if not future.done():
                    future.set_result(obj)
        if not ready.done():
            ready.set_exception(EOFError("gateway exited"))
        for future in self._calls.values():
            if not future.done():
                future.set_exception(ConnectionError("gateway exited"))
        self._calls.clear()

    # --- control ------------------------------------------------------------------
    async def call(self, cmd: str, **fields: Any) -> dict[str, Any]:
        assert "id" not in fields, "'id' numbers the request; name the field contact or room"
        proc = self._proc
        if proc is None or proc.stdin is None:
            raise ConnectionError("the gateway is not running")
        self._next_id += 1
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._calls[self._next_id] = future
        proc.stdin.write((json.dumps({"id": self._next_id, "cmd": cmd, **fields}) + "\n").encode())
        await proc.stdin.drain()
        answer = await asyncio.wait_for(future, TIMEOUT)
        if not answer.get("ok"):
            raise RuntimeError(f"gateway {cmd}: {answer.get('error')}")
        return answer

    async def say(self, who: str, text: str, room: str | None = None,
                  mentions: tuple[str, ...] = ()) -> str:
        """``who`` says ``text`` in ``room``, or privately to the bot without one."""
        where = {"room": room} if room else {"to": BOT}
        answer = await self.call("say", **{"from": who}, text=text, mentions=list(mentions), **where)
        return str(answer["message_id"])

    async def quote(self, who: str, quoted_id: str, text: str, room: str | None = None) -> str:
        where = {"room": room} if room else {"to": BOT}
        answer = await self.call("quote", **{"from": who}, quoted=quoted_id, text=text, **where)
        return str(answer["message_id"])

    async def file(self, who: str, name: str = "photo.png", room: str | None = None) -> str:
        where = {"room": room} if room else {"to": BOT}
        answer = await self.call("file", **{"from": who}, name=name, **where)
        return str(answer["message_id"])

    # --- what the bot said ----------------------------------------------------------
    def sent_to(self, chat: str) -> list[Sent]:
        return [s for s in self.sent if s.chat == chat]

    def texts_to(self, chat: str) -> list[str]:
        return [s.text or "" for s in self.sent_to(chat)]

    async def wait_for(self, probe: Callable[[], T], timeout: float = TIMEOUT) -> T:
        """Wake on each message the bot sends (and every 50 ms for outside state) until
        ``probe()`` is truthy; fail after ``timeout``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = probe()
            if result:
                return result
            left = deadline - loop.time()
            if left <= 0:
                raise AssertionError(f"timed out after {timeout}s; the bot sent: {self.sent[-10:]}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(left, 0.05))

    async def wait_sent(self, chat: str, count: int = 1, timeout: float = TIMEOUT) -> list[Sent]:
        await self.wait_for(lambda: len(self.sent_to(chat)) >= count, timeout)
        return self.sent_to(chat)
