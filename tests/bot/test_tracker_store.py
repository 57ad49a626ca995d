"""bot/tracker_store.py: Rasa's SQL tracker store on SQLite, kept connection, WAL mode."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot.tracker_store import SQLiteTrackerStore


def store_at(path: Path) -> TrackerStore:
    """As Rasa builds it from endpoints.yml."""
    config = EndpointConfig(type="bot.tracker_store.SQLiteTrackerStore", db=str(path))
    return TrackerStore.create(config, Domain.empty())


def test_rasa_builds_it_from_the_endpoints_file(tmp_path: Path) -> None:
    store = store_at(tmp_path / "tracker.sqlite3")
    assert isinstance(store, SQLiteTrackerStore)


def test_wal_and_a_kept_connection(tmp_path: Path) -> None:
    store = store_at(tmp_path / "tracker.sqlite3")
    assert isinstance(store, SQLiteTrackerStore)
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
        first = connection.connection.dbapi_connection
    with store.engine.connect() as connection:
        assert connection.connection.dbapi_connection is first


def test_conversations_read_back_as_rasas_own_store_writes_them(tmp_path: Path) -> None:
    path = tmp_path / "tracker.sqlite3"
    ours = store_at(path)
    events = [
        ActionExecuted("action_listen"),
        UserUttered("забыл пароль", {"name": "faq", "confidence": 0.9}),
        ActionExecuted("utter_faq"),
        SlotSet("awaiting_reply", "instruction_feedback"),
    ]
    asyncio.run(ours.save(DialogueStateTracker.from_events("pupil", events)))
    # One more message, saved again: only the new events are added.
    tracker = asyncio.run(ours.retrieve("pupil"))
    assert tracker is not None
    tracker.update(UserUttered("да", {"name": "affirm", "confidence": 0.99}))
    asyncio.run(ours.save(tracker))

    stock = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(path))
    again = asyncio.run(stock.retrieve("pupil"))
    assert again is not None
    assert [e.as_dict()["event"] for e in again.events] == ["action", "user", "action", "slot", "user"]
    assert again.latest_message is not None and again.latest_message.text == "да"
    with sqlite3.connect(path) as raw:  # nothing stored twice
        assert raw.execute("SELECT count(*) FROM events WHERE sender_id = 'pupil'").fetchone()[0] == 5
