# ruff: noqa: F811 - pytest fixtures are imported by name and then requested as parameters
"""API tokens can be listed and revoked, and expire (issue 13): a leaked token is not good forever."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.integration.conftest import Api
from tests.integration.console_helpers import Console, cheap_password_hashes, console  # noqa: F401
from ticketing.domain.access import ApiRole
from ticketing.services.tokens import DEFAULT_LIFETIME, create_token

ROOT = Path(__file__).resolve().parents[2]


def cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ticketing", "token", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        check=False,
    )


async def test_a_token_expires_after_its_lifetime(api: Api) -> None:
    container = api.app.ctx.container
    secret, token = await create_token(container.uow(), role=ApiRole.LINE1, name="olga", now=api.clock())
    assert token.expires_at == api.clock() + DEFAULT_LIFETIME
    headers = {"Authorization": f"Bearer {secret}"}
    _, response = await api.client.get("/api/v1/tickets", headers=headers)
    assert response.status == 200
    api.clock.now += DEFAULT_LIFETIME
    container.token_cache.clear()  # the expiry is checked on cached tokens too; here the cache is cleared
    _, response = await api.client.get("/api/v1/tickets", headers=headers)
    assert response.status == 401
    assert "истёк" in response.json["error"]["message"]


async def test_an_expiry_is_checked_on_a_cached_token(api: Api) -> None:
    container = api.app.ctx.container
    secret, _ = await create_token(
        container.uow(), role=ApiRole.LINE1, name="olga", now=api.clock(), lifetime=timedelta(hours=1)
    )
    headers = {"Authorization": f"Bearer {secret}"}
    assert (await api.client.get("/api/v1/tickets", headers=headers))[1].status == 200  # now cached
    api.clock.now += timedelta(hours=1)
    assert (await api.client.get("/api/v1/tickets", headers=headers))[1].status == 401


def test_token_create_list_revoke_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/tokens.sqlite3"
    done = cli(url, "create", "--role", "line3", "--name", "Денис")
    assert done.returncode == 0, done.stderr
    assert "действует до" in done.stdout
    secret = done.stdout.strip().splitlines()[-1]
    done = cli(url, "create", "--role", "admin", "--name", "ненадолго", "--days", "7")
    assert done.returncode == 0, done.stderr

    listed = cli(url, "list")
    assert listed.returncode == 0, listed.stderr
    rows = listed.stdout.strip().splitlines()
    assert rows[0].split("\t") == ["номер", "имя", "роль", "регионы", "выпущен", "действует до", "состояние"]
    denis = next(r.split("\t") for r in rows if "Денис" in r)
    assert denis[2] == "line3" and denis[-1] == "действует"
    assert secret not in listed.stdout  # only hashes are stored; nothing to show

    revoked = cli(url, "revoke", denis[0])
    assert revoked.returncode == 0 and "отозван" in revoked.stdout
    assert cli(url, "revoke", denis[0]).returncode == 2  # already revoked: said so, not done twice
    assert cli(url, "revoke", "999").returncode == 2
    listed = cli(url, "list")
    assert next(r.split("\t") for r in listed.stdout.splitlines() if "Денис" in r)[-1].startswith("отозван")


def test_a_lifetime_is_bounded(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/tokens.sqlite3"
    for days in ("0", "-1", "4000", "год"):
        done = cli(url, "create", "--role", "line1", "--name", "x", "--days", days)
        assert done.returncode == 2, days
        assert "--days" in done.stderr


def test_migration_gives_old_tokens_an_expiry(tmp_path: Path) -> None:
    """Tokens issued before expiries existed get the default lifetime from the upgrade, not «never»."""
    import asyncio

    from sqlalchemy import text

    from ticketing.adapters import migrate
    from ticketing.adapters.uow import make_engine

    url = f"sqlite+aiosqlite:///{tmp_path}/old.sqlite3"
    migrate.upgrade(url, "0010")

    async def insert_old() -> None:
        engine = make_engine(url)
        async with engine.begin() as conn:
            await conn.execute(
                text(
                    "INSERT INTO api_tokens (name, role, regions, token_hash, created_at)"
                    " VALUES ('old', 'service', '[]', 'h', '2026-01-01 00:00:00')"
                )
            )
        await engine.dispose()

    asyncio.run(insert_old())
    before = datetime.now(UTC)
    migrate.upgrade(url)

    async def expiry() -> datetime:
        from ticketing.adapters.uow import SqlAlchemyUnitOfWork

        engine = make_engine(url)
        try:
            async with SqlAlchemyUnitOfWork(engine) as uow:
                token = await uow.tokens.get_by_hash("h")
            assert token is not None and token.expires_at is not None
            return token.expires_at
        finally:
            await engine.dispose()

    assert (
        before + DEFAULT_LIFETIME - timedelta(minutes=1)
        <= asyncio.run(expiry())
        <= datetime.now(UTC) + DEFAULT_LIFETIME
    )


async def test_admins_see_and_revoke_tokens_in_the_console(console: Console) -> None:
    api = console.api
    container = api.app.ctx.container
    secret, token = await create_token(container.uow(), role=ApiRole.LINE3, name="Денис", now=api.clock())
    headers = {"Authorization": f"Bearer {secret}"}
    assert (await console["line1"].get("/console/admin/tokens")).status == 403
    page = await console["admin"].get("/console/admin/tokens")
    assert page.status == 200
    assert "Денис" in page.text and "line3" in page.text and "действует" in page.text
    assert secret not in page.text
    response = await console["line1"].post("/console/admin/tokens/revoke", {"id": str(token.id)})
    assert response.status == 403
    response = await console["admin"].post("/console/admin/tokens/revoke", {"id": str(token.id)})
    assert response.status == 303
    container.token_cache.clear()
    assert (await api.client.get("/api/v1/tickets", headers=headers))[1].status == 401
    page = await console["admin"].get("/console/admin/tokens")
    assert "отозван" in page.text
    response = await console["admin"].post("/console/admin/tokens/revoke", {"id": str(token.id)})
    assert response.status == 422 and "уже отозван или его нет" in response.text
