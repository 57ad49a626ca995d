"""Fixtures that talk to real databases: a SQLite file and the machine's PostgreSQL.

Every API test runs on both (the ``database_url`` fixture is parametrised), because the
two dialects differ exactly where helpdesks break: time zones, JSON, constraints.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sanic import Sanic
from sanic_testing.testing import ASGI_HOST, ASGI_PORT, SanicASGITestClient, TestingResponse

from ticketing.adapters import migrate
from ticketing.bootstrap import PureParts, build_container
from ticketing.config import Settings
from ticketing.domain.access import ApiRole
from ticketing.http.app import create_app
from ticketing.services.tokens import create_token

ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")

Sanic.test_mode = True


def _pg_url(name: str) -> str:
    base = ADMIN_URL.rsplit("/", 1)[0]
    return f"{base.replace('postgresql://', 'postgresql+asyncpg://', 1)}/{name}"


def _admin(sql: str) -> None:
    async def run() -> None:
        conn = await asyncpg.connect(ADMIN_URL)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


def _new_pg_database(template: str | None = None) -> str:
    name = f"bvb_test_{uuid.uuid4().hex[:10]}"
    try:
        _admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    except (OSError, asyncpg.PostgresError) as exc:
        pytest.fail(f"PostgreSQL недоступен по {ADMIN_URL}: {exc}. Запустите его (см. .ci/run).")
    return name


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh database on the machine's PostgreSQL for this test session, dropped afterwards."""
    name = _new_pg_database()
    yield _pg_url(name)
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Every test gets a database of its own at the newest migration. The migrations run once a session, into a
# template: SQLite tests copy the template's file, PostgreSQL tests CREATE DATABASE … TEMPLATE it (tens of
# milliseconds, against a full Alembic run per test).


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "ticketing.sqlite3"
    migrate.upgrade(f"sqlite+aiosqlite:///{path}")
    return path


def sqlite_copy(template: Path, target: Path) -> str:
    """A migrated SQLite database at ``target`` (the backup API also carries what is still in the WAL)."""
    with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
    return f"sqlite+aiosqlite:///{target}"


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    name = _new_pg_database()
    migrate.upgrade(_pg_url(name))
    yield name
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_copy(request.getfixturevalue("sqlite_template"), tmp_path / "ticketing.sqlite3")
        return
    name = _new_pg_database(template=request.getfixturevalue("postgres_template"))
    yield _pg_url(name)
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class AppClient(SanicASGITestClient):  # type: ignore[misc]
    """Sanic's ASGI test client, but the app is started once, not around every request.

    sanic-testing resets the routers, finalises them, runs TouchUp and the start and stop listeners for
    each request (≈0.1 s each here: most of the integration tests' time). This client starts the app at
    its first request and leaves it running for the other clients of the same app; :func:`stop_app` runs
    the stop listeners when the test is over. Requests go through the same ASGI entry point as before;
    the first element of the pair it returns (the server-side request) is always None.
    """

    async def request(
        self, method: str, url: str, gather_request: bool = True, *args: Any, **kwargs: Any
    ) -> tuple[Any, Any]:
        app = self.sanic_app
        if not getattr(app.ctx, "test_started", False):
            await app._startup()
            await app._server_event("init", "before")
            await app._server_event("init", "after")
            app.ctx.test_started = True
        if not url.startswith(("http:", "https:")):
            url = f"http://{ASGI_HOST}:{ASGI_PORT}{url if url.startswith('/') else '/' + url}"
        response = await httpx.AsyncClient.request(self, method, url, *args, **kwargs)
        response.__class__ = TestingResponse
        return None, response  # no test reads the server-side request


async def stop_app(app: Sanic[Any, Any]) -> None:
    """The stop listeners of an app an :class:`AppClient` started (nothing if none did)."""
    if getattr(app.ctx, "test_started", False):
        app.ctx.test_started = False
        await app._server_event("shutdown", "before")
        await app._server_event("shutdown", "after")


class FixedClock:
    """A clock the test moves by hand."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Api:
    """The app under test, its client, and tokens of every role."""

    app: Sanic[Any, Any]
    client: SanicASGITestClient
    clock: FixedClock
    tokens: dict[str, str]

    def headers(self, role: str = "admin", **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}", **extra}


@pytest.fixture(scope="session")
def parts() -> PureParts:
    """Dictionaries and models, built once for the session: they are stateless."""
    return PureParts.build()


async def issue_token(
    settings: Settings, role: ApiRole, name: str, regions: tuple[str, ...] = (), parts: PureParts | None = None
) -> str:
    container = build_container(settings, parts=parts)
    try:
        secret, _ = await create_token(container.uow(), role=role, name=name, now=datetime.now(UTC), regions=regions)
    finally:
        await container.close()
    return secret


# The token of every role the API tests use: (key in Api.tokens, role, name, regions).
TOKENS = (
    ("admin", ApiRole.ADMIN, "admin", ()),
    ("service", ApiRole.SERVICE, "action-server", ()),
    ("line1", ApiRole.LINE1, "operator-1", ()),
    ("line2_tatarstan", ApiRole.LINE2, "rop-16", ("Республика Татарстан",)),
    ("line3", ApiRole.LINE3, "dev-support", ()),
)


@pytest.fixture
async def api(database_url: str, parts: PureParts, tmp_path: Path) -> AsyncIterator[Api]:
    # Rasa's tracker of the test, not the developer's var/rasa-tracker.sqlite3 (the pd routes erase from it)
    settings = Settings(database_url=database_url, rasa_tracker_url=f"sqlite+aiosqlite:///{tmp_path}/rasa.sqlite3")
    clock = FixedClock(datetime(2026, 11, 27, 9, 30, tzinfo=UTC))
    container = build_container(settings, clock=clock, parts=parts)
    tokens = {}
    for key, role, name, regions in TOKENS:  # through the app's own container: one, not one a token
        tokens[key], _ = await create_token(
            container.uow(), role=role, name=name, now=datetime.now(UTC), regions=regions
        )
    app = create_app(settings, container=container, name=f"test_{uuid.uuid4().hex[:8]}")
    client = AppClient(app)
    try:
        yield Api(app=app, client=client, clock=clock, tokens=tokens)
    finally:
        await stop_app(app)
        await container.close()
