"""Rasa 3.6's RedisTrackerStore as ticketing.adapters.rasa_tracker.RedisConversationStore reads it, pinned
against the real store and the machine's Redis: one key ``{key_prefix}:tracker:{sender_id}`` per conversation,
holding the JSON of ``Dialogue.as_dict()`` (``name``, ``events`` with their ``timestamp``). If an upgrade of
Rasa changes this, the erasure of a person's conversations (152-ФЗ) would silently find nothing."""

from __future__ import annotations

import asyncio
import json

import redis
from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tests.bot.redis_db import REDIS


def test_a_conversation_is_one_key_of_json_events(prefix: str) -> None:
    domain = Domain.from_yaml("slots:\n  email:\n    type: text\n    mappings: [{type: custom}]\n")
    store = RedisTrackerStore(domain, key_prefix=prefix, **REDIS)
    events = [
        UserUttered("Здравствуйте, не загружается тест", timestamp=1_700_000_001.5),
        SlotSet("email", "ivan.petrov@example.ru", timestamp=1_700_000_002.25),
    ]
    asyncio.run(store.save(DialogueStateTracker.from_events("chat-42", events, slots=domain.slots)))

    client = redis.Redis(decode_responses=True, **REDIS)
    assert list(client.scan_iter(f"{prefix}:*")) == [f"{prefix}:tracker:chat-42"]
    stored = json.loads(client.get(f"{prefix}:tracker:chat-42"))
    assert stored["name"] == "chat-42"
    moments = [(e["event"], e["timestamp"]) for e in stored["events"]]
    assert moments == [("user", 1_700_000_001.5), ("slot", 1_700_000_002.25)]
    client.delete(f"{prefix}:tracker:chat-42")
    assert asyncio.run(store.retrieve("chat-42")) is None  # deleting the key is forgetting the conversation
