"""A TCP proxy in front of PostgreSQL that a test can cut and restore: to the bot
it is the database going away (refused connections, dropped sessions) and coming
back, without stopping a server other people's tests use.

It runs its own event loop in a thread: the bot's database calls block the test's
loop, so a proxy on that loop could never answer them."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from typing import Any


class CuttableProxy:
    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self.connections = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.StreamWriter] = set()

    def __enter__(self) -> CuttableProxy:
        self._thread.start()
        self.restore()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.cut()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def _run(self, coro: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    def restore(self) -> None:
        """Accept connections (again, on the same port)."""
        self._run(self._listen())

    def cut(self) -> None:
        """Refuse new connections and drop every open one."""
        self._run(self._close())

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._pipe, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def _close(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for writer in list(self._pipes):
            writer.transport.abort()
        self._pipes.clear()

    async def _pipe(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.transport.abort()
            return
        self.connections += 1
        self._pipes.update({client_writer, server_writer})

        async def copy(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            with contextlib.suppress(Exception):
                while data := await reader.read(65536):
                    writer.write(data)
                    await writer.drain()
            writer.transport.abort()

        await asyncio.gather(copy(client_reader, server_writer), copy(server_reader, client_writer))
        self._pipes.difference_update({client_writer, server_writer})
