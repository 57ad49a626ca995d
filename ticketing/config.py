"""Settings of the ticketing service, read from the environment once.

Defaults run on a laptop with nothing installed (SQLite under ``var/``, no Redis);
production switches by environment variables, documented in the README.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "ticketing.sqlite3"


def _sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def normalise_database_url(url: str) -> str:
    """Turn the URLs people usually write into the async drivers SQLAlchemy needs.

    ``postgresql://`` (as Heroku-style platforms and psql print it) becomes
    ``postgresql+asyncpg://`` and ``sqlite:///`` becomes ``sqlite+aiosqlite:///``.
    """
    for plain, async_ in (
        ("postgres://", "postgresql+asyncpg://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("sqlite:///", "sqlite+aiosqlite:///"),
    ):
        if url.startswith(plain):
            return async_ + url[len(plain) :]
    return url


@dataclass(frozen=True)
class Settings:
    """Everything the ticketing service can be configured with.

    Attributes:
        database_url: SQLAlchemy async URL; SQLite file by default, PostgreSQL in production.
        redis_url: Redis for pub/sub, queues and rate limits; ``None`` means in-process.
        host: interface the HTTP server binds to.
        port: HTTP port (8000 by default, a contract with the bot and outside checks).
        timezone: the time zone of deadlines (the Union works on Moscow time).
        workers: Sanic worker processes.
        tickets_per_requester_per_hour: new requests one requester (e-mail, login or chat)
            may register in an hour; a flood gets 429 instead of filling line 1's queue.
    """

    database_url: str = field(default_factory=lambda: _sqlite_url(DEFAULT_SQLITE_PATH))
    redis_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    timezone: str = "Europe/Moscow"
    workers: int = 1
    tickets_per_requester_per_hour: int = 20

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Read the settings from ``env`` (``os.environ`` by default)."""
        env = dict(os.environ if env is None else env)
        defaults = cls()
        return cls(
            database_url=normalise_database_url(env.get("DATABASE_URL") or defaults.database_url),
            redis_url=env.get("REDIS_URL") or None,
            host=env.get("TICKETING_HOST", defaults.host),
            port=int(env.get("TICKETING_PORT", defaults.port)),
            workers=int(env.get("TICKETING_WORKERS", defaults.workers)),
            tickets_per_requester_per_hour=int(
                env.get("TICKETS_PER_REQUESTER_PER_HOUR", defaults.tickets_per_requester_per_hour)
            ),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
