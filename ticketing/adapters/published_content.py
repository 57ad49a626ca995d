"""What the help page and the console build from the published scenario content, rebuilt when it changes.

``make publish`` swaps the published version (``procedure.published``); the help page, its search
index and the console's scenario list are built from that version's files and rebuilt on the next
request after the swap, so the site, the console and the bot change together. Before anything is
published (tests, a fresh checkout) the working copy's files are read instead, re-read when one of
them changes. Checking costs a ``realpath`` and a few ``stat`` calls a request.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Generic, TypeVar

from ticketing.adapters.scenarios import help_sources

T = TypeVar("T")


class PublishedContent(Generic[T]):
    """``build(root)`` of the current content root, cached until the root or one of its files changes."""

    def __init__(self, root: Callable[[], Path], build: Callable[[Path], T]) -> None:
        self._root = root
        self._build = build
        self._lock = threading.Lock()
        self._signature: tuple[Any, ...] | None = None
        self._value: T | None = None

    def current(self) -> T:
        root = self._root()
        signature = (
            str(root),
            *((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in help_sources(root) if p.is_file()),
        )
        with self._lock:
            if self._value is None or signature != self._signature:
                self._value = self._build(root)
                self._signature = signature
            return self._value
