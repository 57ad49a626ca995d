"""The SQLite file of the tickets is created private (0600, its folder 0700) whatever the umask (152-ФЗ)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from ticketing.adapters import migrate


@pytest.fixture
def open_umask() -> Iterator[None]:
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_db_upgrade_makes_the_sqlite_file_private(tmp_path: Path, open_umask: None) -> None:
    path = tmp_path / "var" / "ticketing.sqlite3"
    migrate.upgrade(f"sqlite+aiosqlite:///{path}")
    assert (mode(path.parent), mode(path)) == (0o700, 0o600)
    path.chmod(0o644)  # a file made before: the next upgrade (make run runs one) puts it right
    migrate.upgrade(f"sqlite+aiosqlite:///{path}")
    assert mode(path) == 0o600
