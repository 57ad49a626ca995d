"""A person's conversations in Rasa's Redis tracker store are erased with their tickets (152-ФЗ ст. 21) and the
idle ones after the retention period, like those of the SQL store (adapters.rasa_tracker.RedisConversationStore).
Against the machine's Redis, in a database of the tests and a key prefix of each test; the layout is Rasa 3.6's,
pinned against Rasa itself in tests/bot/test_redis_tracker_layout.py."""

from __future__ import annotations

import dataclasses
import json
import os
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from redis.asyncio import Redis

from tests.integration.conftest import Api
from tests.integration.test_api_tickets import CHAT_TICKET, create
from tests.integration.test_personal_data import ADMIN, RETENTION, answered_ticket, row_of
from ticketing.adapters.rasa_tracker import RedisConversationStore
from ticketing.bootstrap import conversation_store
from ticketing.config import Settings
from ticketing.services import personal_data as pd

pytestmark = pytest.mark.redis
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def dialogue(sender: str, at: float) -> str:
    """What Rasa 3.6's RedisTrackerStore stores: ``json.dumps(tracker.as_dialogue().as_dict())``."""
    events = [
        {"event": "action", "timestamp": at - 1, "name": "action_listen", "policy": None, "confidence": None},
        {"event": "user", "timestamp": at - 0.5, "text": "Здравствуйте, не загружается тест", "metadata": {}},
        {"event": "slot", "timestamp": at, "name": "email", "value": "ivan.petrov@example.ru"},
    ]
    return json.dumps({"events": events, "name": sender})


@pytest.fixture
async def redis_prefix() -> AsyncIterator[tuple[Redis, str]]:
    client = Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        await client.ping()
    except OSError as exc:
        pytest.fail(f"Redis недоступен по {REDIS_URL}: {exc}. Запустите его (см. .ci/run).")
    prefix = "t" + uuid.uuid4().hex[:12]  # Rasa's key_prefix: letters and digits only
    yield client, prefix
    async for key in client.scan_iter(match=f"{prefix}*"):
        await client.delete(key)
    await client.aclose()


async def test_erasure_on_request_deletes_the_persons_conversations_from_redis(
    api: Api, redis_prefix: tuple[Redis, str]
) -> None:
    client, prefix = redis_prefix
    closed = await answered_ticket(api)  # conversation chat-42
    still_open = str((await create(api, {**CHAT_TICKET, "conversation_id": "chat-44"})).json["number"])
    at = api.clock.now.timestamp()
    for sender in ("chat-42", "chat-44", "chat-99"):
        await client.set(f"{prefix}:tracker:{sender}", dialogue(sender, at))
    await client.set(f"{prefix}x:tracker:chat-42", dialogue("chat-42", at))  # another store's prefix: not ours
    url = f"{REDIS_URL}?key_prefix={prefix}"
    container = api.app.ctx.container
    container.settings = dataclasses.replace(container.settings, rasa_tracker_url=url)
    chosen = conversation_store(container.settings)
    assert isinstance(chosen, RedisConversationStore)
    await chosen.close()

    _, response = await api.client.post(
        "/api/v1/admin/pd/erase", json={"email": "ivan.petrov@example.ru"}, headers=api.headers()
    )
    assert response.status == 409 and still_open in response.json["error"]["message"]  # the open one is kept
    assert (await row_of(api, closed)).email is None
    keys = {key async for key in client.scan_iter(match=f"{prefix}*")}
    assert keys == {f"{prefix}:tracker:chat-44", f"{prefix}:tracker:chat-99", f"{prefix}x:tracker:chat-42"}


async def test_retention_forgets_idle_conversations_in_redis(api: Api, redis_prefix: tuple[Redis, str]) -> None:
    client, prefix = redis_prefix
    old = await answered_ticket(api)  # chat-42, answered now
    now = api.clock.now + RETENTION + timedelta(days=1)
    await client.set(f"{prefix}:tracker:chat-42", dialogue("chat-42", api.clock.now.timestamp()))
    await client.set(f"{prefix}:tracker:idle-visitor", dialogue("idle-visitor", api.clock.now.timestamp()))
    await client.set(f"{prefix}:tracker:today", dialogue("today", now.timestamp() - 60))
    await client.set(f"{prefix}:tracker:broken", "not json")  # never ours to judge: left alone
    store = RedisConversationStore(f"{REDIS_URL}?key_prefix={prefix}")
    try:
        assert await store.idle(now - RETENTION) == ["chat-42", "idle-visitor"]
        report = await pd.anonymise_expired(api.app.ctx.container.uow, store, now=now, retention=RETENTION,
                                            accessor=ADMIN)  # fmt: skip
    finally:
        await store.close()
    assert report.tickets == [old] and report.conversations == 2 * 3  # two conversations, three events each
    keys = {key async for key in client.scan_iter(match=f"{prefix}*")}
    assert keys == {f"{prefix}:tracker:today", f"{prefix}:tracker:broken"}


def test_the_store_is_chosen_by_the_url_and_the_prefix_checked_in_russian() -> None:
    store = conversation_store(Settings(rasa_tracker_url="redis://127.0.0.1:6379/2"))
    assert isinstance(store, RedisConversationStore) and store.prefix == "tracker:"  # Rasa's default
    with pytest.raises(ValueError, match="key_prefix «bvb-1» — Rasa принимает только буквы и цифры"):
        RedisConversationStore("redis://127.0.0.1:6379/2?key_prefix=bvb-1")
