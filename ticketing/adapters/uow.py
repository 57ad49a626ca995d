"""The SQLAlchemy unit of work and the engine it runs on."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from ticketing.adapters.calendar_repository import SqlCalendarRepository
from ticketing.adapters.console_queries import SqlConsoleQueries
from ticketing.adapters.deliveries_repository import SqlDeliveryRepository
from ticketing.adapters.known_issues_repository import SqlKnownIssueRepository
from ticketing.adapters.mail_repository import SqlMailRepository, SqlRegistrationRepository
from ticketing.adapters.operators_repository import SqlOperatorRepository
from ticketing.adapters.personal_data import SqlPersonalData
from ticketing.adapters.reports import SqlReports
from ticketing.adapters.repository import SqlTicketRepository, SqlTokenRepository
from ticketing.adapters.staff_repository import SqlStaffRepository
from ticketing.services.unit_of_work import AbstractUnitOfWork


def make_engine(database_url: str, **kwargs: Any) -> AsyncEngine:
    """An async engine; on SQLite, with WAL and foreign keys so it behaves like the server.

    ``hide_parameters``: the statements' parameters are e-mails, logins and children's text, and a
    login has no shape the log masking could recognise (procedure.personal_data), so neither
    SQLAlchemy's echo nor the text of a database error shows them; nor aiosqlite's DEBUG log, which
    prints every call with its arguments.
    """
    kwargs.setdefault("hide_parameters", True)
    if database_url.startswith("sqlite"):
        logging.getLogger("aiosqlite").setLevel(max(logging.INFO, logging.getLogger("aiosqlite").level))
        engine = create_async_engine(database_url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(database_url, **kwargs)


class SqlAlchemyUnitOfWork(AbstractUnitOfWork):
    """A transaction on one pooled connection, opened by ``async with``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._conn: AsyncConnection | None = None

    async def __aenter__(self) -> SqlAlchemyUnitOfWork:
        self._conn = await self._engine.connect()
        await self._conn.begin()
        self.tickets = SqlTicketRepository(self._conn)
        self.tokens = SqlTokenRepository(self._conn)
        self.calendar = SqlCalendarRepository(self._conn)
        self.reports = SqlReports(self._conn)
        self.operators = SqlOperatorRepository(self._conn)
        self.staff = SqlStaffRepository(self._conn)
        self.known_issues = SqlKnownIssueRepository(self._conn)
        self.deliveries = SqlDeliveryRepository(self._conn)
        self.console = SqlConsoleQueries(self._conn)
        self.mail = SqlMailRepository(self._conn)
        self.registration = SqlRegistrationRepository(self._conn)
        self.personal_data = SqlPersonalData(self._conn)
        return self

    async def __aexit__(self, *args: Any) -> None:
        try:
            await super().__aexit__(*args)
        finally:
            assert self._conn is not None
            await self._conn.close()
            self._conn = None

    async def commit(self) -> None:
        assert self._conn is not None, "commit outside `async with uow`"
        await self._conn.commit()

    async def rollback(self) -> None:
        if self._conn is not None and self._conn.in_transaction():
            await self._conn.rollback()
