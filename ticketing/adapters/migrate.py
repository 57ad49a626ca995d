"""Programmatic Alembic: ``python -m ticketing db upgrade`` and the tests use it."""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser interpolation would choke on '%' in passwords.
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the schema to ``revision``; creates the SQLite file private (see :func:`private_sqlite_file`)."""
    if database_url.startswith("sqlite") and ":///" in database_url:
        path = database_url.split(":///", 1)[1]
        if path and path != ":memory:":
            private_sqlite_file(Path(path))
    command.upgrade(alembic_config(database_url), revision)


def private_sqlite_file(path: Path) -> None:
    """The file of tickets holds children's and parents' personal data (152-ФЗ): 0600, its new folder 0700.

    Created here before SQLite opens it, whatever the umask; a file made before is put right too
    (``make run`` runs ``db upgrade`` at every start). SQLite gives its WAL and SHM files the same mode.
    """
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    path.chmod(0o600)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def pending(database_url: str) -> bool:
    """Whether the database is behind the newest migration (or has none applied)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine

    script = ScriptDirectory.from_config(alembic_config(database_url))
    if not database_url.startswith("sqlite"):
        return _pending_async(database_url, set(script.get_heads()))
    engine = create_engine(database_url.replace("+aiosqlite", ""))
    try:
        with engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
    finally:
        engine.dispose()
    return current != set(script.get_heads())


def _pending_async(database_url: str, heads: set[str]) -> bool:
    import asyncio

    from alembic.runtime.migration import MigrationContext

    from ticketing.adapters.uow import make_engine

    async def run() -> set[str]:
        engine = make_engine(database_url)
        try:
            async with engine.connect() as conn:
                return set(await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_heads()))
        finally:
            await engine.dispose()

    return asyncio.run(run()) != heads
