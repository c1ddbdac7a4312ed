"""Test databases: a SQLite file, and a real PostgreSQL in a schema of its own.

PostgreSQL is taken from GRIDDESK_TEST_PG_URL, else the local server on
127.0.0.1:5432 (database ``test``). Without a server the PostgreSQL tests skip
with the reason — unless GRIDDESK_REQUIRE_POSTGRES=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.engine import Engine

from storage.database import make_engine, upgrade

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@cache
def postgres_url() -> str | None:
    """The server URL if one answers, else None."""
    url = os.environ.get("GRIDDESK_TEST_PG_URL", DEFAULT_PG_URL)
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "no server here"
        postgres_url.reason = f"no PostgreSQL at {url}: {type(exc).__name__}"  # type: ignore[attr-defined]
        return None
    return url


def require_postgres() -> str:
    url = postgres_url()
    if url is None:
        reason = getattr(postgres_url, "reason", "no PostgreSQL")
        if os.environ.get("GRIDDESK_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{reason} (GRIDDESK_REQUIRE_POSTGRES=1)")
        pytest.skip(f"{reason}; set GRIDDESK_TEST_PG_URL to run the PostgreSQL tests")
    return url


@contextmanager
def postgres_engine(port: int | None = None, **kwargs) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """A migrated engine whose tables live in a fresh schema, dropped afterwards;
    connecting through ``port`` on 127.0.0.1 (a proxy) if given."""
    url = require_postgres()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    target = make_url(url).set(host="127.0.0.1", port=port) if port else make_url(url)
    engine = make_engine(target.render_as_string(hide_password=False),
                         connect_args={"options": f"-csearch_path={schema}", "connect_timeout": 3},
                         **kwargs)
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@contextmanager
def sqlite_engine(path: str) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    try:
        yield engine
    finally:
        engine.dispose()
