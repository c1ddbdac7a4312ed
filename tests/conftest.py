from __future__ import annotations

import socket

import pytest

from bot.settings import Settings, load_settings


@pytest.fixture(autouse=True)
def _no_real_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any connection to a non-loopback address fails the test."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address):  # type: ignore[no-untyped-def]
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")
        ) and self.family in (socket.AF_INET, socket.AF_INET6):
            raise AssertionError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path):  # type: ignore[no-untyped-def]
    """The same storage tests run on SQLite and on a real PostgreSQL."""
    from tests.databases import postgres_engine, sqlite_engine

    if request.param == "sqlite":
        with sqlite_engine(str(tmp_path / "griddesk.db")) as e:
            yield e
    else:
        with postgres_engine() as e:
            yield e
