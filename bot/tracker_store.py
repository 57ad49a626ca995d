"""Rasa's ``SQLTrackerStore`` on an SQLite file, with SQLite set up for a server (``make run``).

``make run`` keeps the conversations in ``var/rasa-tracker.sqlite3`` (endpoints.yml): they survive a
restart and a model swap, and ``make review`` reads them. Rasa's store, as it comes, pays twice on
every message there (py-spy under 50 concurrent conversations, docs/performance.md «Бот»):

- SQLAlchemy 1.4 opens a new connection for each of Rasa's sessions on a file database, and closes it;
- each commit is in SQLite's default rollback journal, with a full fsync of the file.

Together a sixth of the process's time. This store is Rasa's own (the same tables, the same queries,
the same events), with one connection kept in a pool and opened in WAL mode with ``synchronous=NORMAL``,
SQLite's documented setting for WAL: a committed message survives a crash or ``kill -9`` of Rasa; only
a power cut can lose the last commits. Readers (``make review``) don't block it, nor it them.

Production (``make run-prod``, docs/deploy.md) uses Rasa's ``SQL`` store on PostgreSQL, unchanged.

``endpoints.yml``: ``tracker_store: {type: bot.tracker_store.SQLiteTrackerStore, db: var/rasa-tracker.sqlite3}``.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import sqlalchemy as sa
from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.pool import QueuePool


def _wal(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    """SQLAlchemy's ``connect`` event of this store's engine."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class SQLiteTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore(dialect="sqlite")`` with a kept connection in WAL mode."""

    def __init__(
        self,
        domain: Domain | None = None,
        db: str = "var/rasa-tracker.sqlite3",
        event_broker: EventBroker | None = None,
        host: str | None = None,  # Rasa passes the endpoint's url; a file needs none
        **kwargs: Any,
    ) -> None:
        super().__init__(domain=domain, dialect="sqlite", db=db, event_broker=event_broker, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        # Rasa uses the store from its event loop's thread; the pool lends the connection to one
        # session at a time, so it may cross threads safely.
        self.engine = sa.create_engine(url, poolclass=QueuePool, pool_size=1, connect_args={"check_same_thread": False})
        sa.event.listen(self.engine, "connect", _wal)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
