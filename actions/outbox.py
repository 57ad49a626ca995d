"""A durable local outbox of tickets, so nothing the user wrote is lost (STYLE.md, habit 10).

Every ticket is written here *before* the first HTTP call, with the ``Idempotency-Key``
it will carry on every retry; the ticketing service creates it once whatever happens in
between. An entry goes ``pending`` → ``delivered`` (number known) → notified (the user has
been told), or ``pending`` → ``rejected`` (the service refused the data; kept for staff).

Whoever sends an entry first *claims* it for a while (``lease_until``), so the action that
wrote it and the background flusher do not both send it and both tell the user.
SQLite calls are short and local, so they run inline in the event loop.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass
from typing import Any

PENDING = "pending"
DELIVERED = "delivered"
REJECTED = "rejected"
DELIVERED_GRACE_SECONDS = 24 * 3600

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    idempotency_key TEXT PRIMARY KEY,
    sender_id       TEXT NOT NULL,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    created_at      REAL NOT NULL,
    updated_at      REAL NOT NULL,
    lease_until     REAL,
    ticket_number   TEXT,
    due_at          TEXT,
    notified_at     REAL
);
CREATE INDEX IF NOT EXISTS outbox_status ON outbox (status, notified_at);
"""


@dataclass(frozen=True)
class OutboxEntry:
    """One stored ticket and what has happened to it."""

    idempotency_key: str
    sender_id: str
    payload: dict[str, Any]
    status: str
    attempts: int
    last_error: str | None
    ticket_number: str | None
    due_at: str | None
    notified_at: float | None


class Outbox:
    """The outbox table in one SQLite file (``ACTIONS_OUTBOX_PATH``)."""

    def __init__(self, path: str, clock: Callable[[], float] = time.time) -> None:
        self._path = path
        self._clock = clock
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            os.makedirs(directory, mode=0o700)
        # What children wrote waits here: the file is its owner's alone (152-ФЗ), whatever the umask.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        os.chmod(path, 0o600)
        with closing(self._connect()) as connection:
            connection.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self._path, timeout=5.0, isolation_level=None)
        connection.row_factory = sqlite3.Row
        connection.execute("PRAGMA journal_mode=WAL")
        return connection

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> int:
        with closing(self._connect()) as connection:
            return connection.execute(sql, params).rowcount

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> Iterator[sqlite3.Row]:
        with closing(self._connect()) as connection:
            yield from connection.execute(sql, params).fetchall()

    def add(
        self, idempotency_key: str, sender_id: str, payload: Mapping[str, Any], lease_seconds: float = 0.0
    ) -> OutboxEntry:
        """Stores a ticket to send; optionally claimed at once by the caller.

        Adding the same key again keeps the first payload: a double «Отправить» is one ticket.
        """
        now = self._clock()
        lease = now + lease_seconds if lease_seconds else None
        self._run(
            "INSERT OR IGNORE INTO outbox (idempotency_key, sender_id, payload, created_at, updated_at, lease_until)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (idempotency_key, sender_id, json.dumps(dict(payload), ensure_ascii=False), now, now, lease),
        )
        entry = self.get(idempotency_key)
        assert entry is not None
        return entry

    def get(self, idempotency_key: str) -> OutboxEntry | None:
        """Returns the entry with this key, if any."""
        rows = list(self._rows("SELECT * FROM outbox WHERE idempotency_key = ?", (idempotency_key,)))
        return _entry(rows[0]) if rows else None

    def claim_undelivered(self, limit: int = 20, lease_seconds: float = 60.0) -> list[OutboxEntry]:
        """Claims pending entries nobody is sending right now, oldest first."""
        return self._claim(f"status = '{PENDING}'", limit, lease_seconds)

    def claim_unnotified(self, limit: int = 20, lease_seconds: float = 60.0) -> list[OutboxEntry]:
        """Claims delivered or rejected entries whose user has not been told the outcome."""
        return self._claim(f"status IN ('{DELIVERED}', '{REJECTED}') AND notified_at IS NULL", limit, lease_seconds)

    def _claim(self, condition: str, limit: int, lease_seconds: float) -> list[OutboxEntry]:
        now = self._clock()
        claimed: list[OutboxEntry] = []
        candidates = self._rows(
            f"SELECT idempotency_key FROM outbox WHERE {condition}"
            " AND (lease_until IS NULL OR lease_until < ?) ORDER BY created_at LIMIT ?",
            (now, limit),
        )
        for row in list(candidates):
            key = row["idempotency_key"]
            won = self._run(
                f"UPDATE outbox SET lease_until = ? WHERE idempotency_key = ? AND {condition}"
                " AND (lease_until IS NULL OR lease_until < ?)",
                (now + lease_seconds, key, now),
            )
            if won:
                entry = self.get(key)
                if entry:
                    claimed.append(entry)
        return claimed

    def mark_delivered(self, idempotency_key: str, ticket: Mapping[str, Any], notified: bool) -> None:
        """Records the created ticket; ``notified`` when the user already saw the number.

        An entry marked notified earlier (a threat, which is never announced) stays so.
        """
        now = self._clock()
        self._run(
            "UPDATE outbox SET status = ?, ticket_number = ?, due_at = ?, notified_at = COALESCE(notified_at, ?),"
            " lease_until = NULL,"
            " attempts = attempts + 1, last_error = NULL, updated_at = ? WHERE idempotency_key = ?",
            (DELIVERED, ticket.get("number"), ticket.get("due_at"), now if notified else None, now, idempotency_key),
        )

    def mark_failed(self, idempotency_key: str, error: str) -> None:
        """Releases the claim after a failed attempt; the entry stays pending."""
        self._run(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, lease_until = NULL, updated_at = ?"
            " WHERE idempotency_key = ?",
            (error[:500], self._clock(), idempotency_key),
        )

    def mark_rejected(self, idempotency_key: str, error: str, notified: bool) -> None:
        """Stops retrying: the service refused the data. The payload stays for staff.

        ``notified`` when the user already saw why; otherwise the flusher tells them.
        """
        now = self._clock()
        self._run(
            "UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, lease_until = NULL,"
            " notified_at = ?, updated_at = ? WHERE idempotency_key = ?",
            (REJECTED, error[:1000], now if notified else None, now, idempotency_key),
        )

    def mark_notified(self, idempotency_key: str) -> None:
        """Records that the user has been told the ticket number."""
        now = self._clock()
        self._run(
            "UPDATE outbox SET notified_at = ?, lease_until = NULL, updated_at = ? WHERE idempotency_key = ?",
            (now, now, idempotency_key),
        )

    def release(self, idempotency_key: str) -> None:
        """Gives up a claim without counting an attempt (e.g. the notification failed)."""
        self._run("UPDATE outbox SET lease_until = NULL WHERE idempotency_key = ?", (idempotency_key,))

    def prune(self, retention_seconds: float, delivered_grace_seconds: float = DELIVERED_GRACE_SECONDS) -> int:
        """Deletes what has served its purpose (152-ФЗ, ст. 5 ч. 7); returns how many entries went.

        A delivered entry whose user has been told is a copy of the ticket, which ticketing keeps
        (and anonymises in its time): it goes after a day. A rejected one never became a ticket;
        it is kept for staff for the retention period (``PD_RETENTION_DAYS``), then goes too.
        Entries still pending or not yet told are never touched: nothing a user wrote is lost.
        """
        now = self._clock()
        return self._run(
            "DELETE FROM outbox WHERE notified_at IS NOT NULL AND lease_until IS NULL AND ("
            f"(status = '{DELIVERED}' AND updated_at < ?) OR (status = '{REJECTED}' AND updated_at < ?))",
            (now - delivered_grace_seconds, now - retention_seconds),
        )

    def entries(self, status: str | None = None) -> list[OutboxEntry]:
        """All entries (optionally of one status), oldest first: for tests and operators."""
        if status:
            rows = self._rows("SELECT * FROM outbox WHERE status = ? ORDER BY created_at", (status,))
        else:
            rows = self._rows("SELECT * FROM outbox ORDER BY created_at")
        return [_entry(row) for row in rows]


def _entry(row: sqlite3.Row) -> OutboxEntry:
    return OutboxEntry(
        idempotency_key=row["idempotency_key"],
        sender_id=row["sender_id"],
        payload=json.loads(row["payload"]),
        status=row["status"],
        attempts=row["attempts"],
        last_error=row["last_error"],
        ticket_number=row["ticket_number"],
        due_at=row["due_at"],
        notified_at=row["notified_at"],
    )
