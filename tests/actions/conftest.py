"""Fixtures for action tests: the real domain and a dispatcher."""

from __future__ import annotations

import pathlib
from typing import Any

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """domain.yml as rasa_sdk receives it (forms, slots...)."""
    domain: dict[str, Any] = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    return domain


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()
