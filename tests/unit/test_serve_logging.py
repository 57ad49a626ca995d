"""``serve``'s workers print the service's own INFO lines (the nightly anonymisation's summary), not only Sanic's."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from ticketing.config import Settings
from ticketing.entrypoints.cli import _served_app, log_to_stderr


def test_a_served_worker_logs_the_services_info_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ours = logging.getLogger("ticketing")
    saved = (list(ours.handlers), ours.level, ours.propagate)
    ours.handlers.clear()
    try:
        _served_app(Settings(database_url=f"sqlite+aiosqlite:///{tmp_path}/t.sqlite3"))
        logging.getLogger("ticketing.http.background").info("обезличивание по сроку хранения: проверка")
        assert "INFO ticketing.http.background: обезличивание по сроку хранения: проверка" in capsys.readouterr().err
        handlers = len(ours.handlers)
        log_to_stderr()
        assert len(ours.handlers) == handlers == 1  # once per process
    finally:
        ours.handlers[:] = saved[0]
        ours.setLevel(saved[1])
        ours.propagate = saved[2]
