"""The real Redis the Rasa-side tests use: db 15, a key prefix per test (the ``prefix`` fixture in conftest.py)."""

from typing import Any

REDIS: dict[str, Any] = {"host": "127.0.0.1", "port": 6379, "db": 15}
