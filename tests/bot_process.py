"""`griddesk run` in a process of its own, for the tests that kill it (kill -9) or
read everything it prints: a config written for the test, stdout and stderr kept."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from bot.settings import BUNDLED_CONFIG

ROOT = Path(__file__).resolve().parents[1]


def write_config(folder: Path, database_url: str, **sections: Any) -> Path:
    """The bundled config with another database and, e.g., telegram={"api_url": ...}."""
    config = yaml.safe_load(BUNDLED_CONFIG.read_text(encoding="utf-8"))
    config["database_url"] = database_url
    for key, value in sections.items():
        config[key] = {**config.get(key, {}), **value} if isinstance(value, dict) else value
    path = folder / "config.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


class BotProcess:
    def __init__(self, config: Path, env: dict[str, str], *args: str, command: str = "run") -> None:
        self.argv = [sys.executable, "-m", "bot.cli", *args, command, "--config", str(config)]
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("TELEGRAM_", "WECHATY_", "GRIDDESK_DATABASE"))}
        self.env.update(env)
        self.lines: list[str] = []
        self.started_at = 0.0
        self._proc: asyncio.subprocess.Process | None = None
        self._readers: list[asyncio.Task[None]] = []
        self._changed = asyncio.Event()

    @property
    def output(self) -> str:
        return "".join(self.lines)

    async def start(self) -> BotProcess:
        self.started_at = time.monotonic()
        self._proc = await asyncio.create_subprocess_exec(
            *self.argv, cwd=ROOT, env=self.env, stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, limit=2**24)
        assert self._proc.stdout is not None and self._proc.stderr is not None
        self._readers = [asyncio.create_task(self._read(s)) for s in (self._proc.stdout, self._proc.stderr)]
        return self

    async def _read(self, stream: asyncio.StreamReader) -> None:
        async for raw in stream:
            self.lines.append(raw.decode(errors="replace"))
            self._changed.set()

    async def wait_for_line(self, fragment: str, timeout: float = 30.0) -> str:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = next((line for line in self.lines if fragment in line), None)
            if found is not None:
                return found
            if self._proc is not None and self._proc.returncode is not None:
                raise AssertionError(f"griddesk exited ({self._proc.returncode}):\n{self.output[-3000:]}")
            if loop.time() > deadline:
                raise AssertionError(f"no line with {fragment!r} after {timeout}s:\n{self.output[-3000:]}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), 0.1)

    def kill9(self) -> None:
        assert self._proc is not None
        self._proc.send_signal(signal.SIGKILL)

    async def stop(self, timeout: float = 30.0) -> int:
        """SIGTERM (if still running), then wait; returns the exit code."""
        proc = self._proc
        assert proc is not None
        if proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                proc.send_signal(signal.SIGTERM)
        try:
            code = await asyncio.wait_for(proc.wait(), timeout)
        except TimeoutError:
            proc.kill()
            code = await proc.wait()
        await asyncio.gather(*self._readers, return_exceptions=True)
        return code

    async def wait(self, timeout: float = 30.0) -> int:
        assert self._proc is not None
        code = await asyncio.wait_for(self._proc.wait(), timeout)
        await asyncio.gather(*self._readers, return_exceptions=True)
        return code
