"""Fixtures that talk to real databases: a SQLite file and the machine's PostgreSQL.

Every API test runs on both (the ``database_url`` fixture is parametrised), because the
two dialects differ exactly where helpdesks break: time zones, JSON, constraints.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
from sanic import Sanic
from sanic_testing.testing import SanicASGITestClient

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


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh database on the machine's PostgreSQL for this test session, dropped afterwards."""
    name = f"bvb_test_{uuid.uuid4().hex[:10]}"

    async def run(sql: str) -> None:
        conn = await asyncpg.connect(ADMIN_URL)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    try:
        asyncio.run(run(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError) as exc:
        pytest.fail(f"PostgreSQL недоступен по {ADMIN_URL}: {exc}. Запустите его (см. .ci/run).")
    yield _pg_url(name)
    asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path}/ticketing.sqlite3"
        migrate.upgrade(url)
        yield url
        return
    url = request.getfixturevalue("postgres_database")
    migrate.upgrade(url)
    yield url
    _truncate(url)


def _truncate(url: str) -> None:
    async def run() -> None:
        conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://", 1))
        try:
            await conn.execute("TRUNCATE tickets, ticket_events, api_tokens RESTART IDENTITY CASCADE")
        finally:
            await conn.close()

    asyncio.run(run())


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


@pytest.fixture
async def api(database_url: str, parts: PureParts) -> AsyncIterator[Api]:
    settings = Settings(database_url=database_url)
    tokens = {
        "admin": await issue_token(settings, ApiRole.ADMIN, "admin", parts=parts),
        "service": await issue_token(settings, ApiRole.SERVICE, "action-server", parts=parts),
        "line1": await issue_token(settings, ApiRole.LINE1, "operator-1", parts=parts),
        "line2_tatarstan": await issue_token(settings, ApiRole.LINE2, "rop-16", ("Республика Татарстан",), parts=parts),
        "line3": await issue_token(settings, ApiRole.LINE3, "dev-support", parts=parts),
    }
    clock = FixedClock(datetime(2026, 11, 27, 9, 30, tzinfo=UTC))
    container = build_container(settings, clock=clock, parts=parts)
    app = create_app(settings, container=container, name=f"test_{uuid.uuid4().hex[:8]}")
    client = SanicASGITestClient(app)
    try:
        yield Api(app=app, client=client, clock=clock, tokens=tokens)
    finally:
        await container.close()
