"""Fixtures of the Rasa-side tests: a key prefix of their own in the real Redis (db 15), removed afterwards."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
import redis

from tests.bot.redis_db import REDIS


@pytest.fixture
def prefix() -> Iterator[str]:
    try:
        redis.Redis(**REDIS).ping()
    except redis.ConnectionError:
        pytest.fail("Нет Redis на 127.0.0.1:6379: запустите его (команда — в .ci/run).")
    value = "t" + secrets.token_hex(6)
    yield value
    client = redis.Redis(**REDIS)
    for key in client.scan_iter(f"{value}:*"):
        client.delete(key)
