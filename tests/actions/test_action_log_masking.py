"""The action server logs no e-mail or login of a requester (procedure/personal_data.py, 152-ФЗ)."""

import logging

import pytest

from actions.delivery import OutboxDelivery
from actions.outbox import Outbox
from tests.actions.ticketing_fakes import FakeTicketing


@pytest.mark.asyncio
async def test_a_rejected_ticket_is_logged_without_the_address(monkeypatch, tmp_path, caplog):
    monkeypatch.setenv("ACTIONS_OUTBOX_PATH", str(tmp_path / "o.sqlite3"))
    from actions import common
    from actions.server import create_app

    monkeypatch.setattr(common, "_settings", None)
    create_app()  # the process's start: what the action server logs from now on is masked
    caplog.set_level(logging.DEBUG)
    outbox = Outbox(str(tmp_path / "o.sqlite3"))
    outbox.add("k", "user-5", {"description": "x", "email": "maria.ivanova@mail.ru", "login": "masha2010"})
    client = FakeTicketing(
        reject_with={"email": "адрес maria.ivanova@mail.ru не принимает почту", "login": "masha2010"}
    )
    await OutboxDelivery(outbox, client).flush()
    assert "ticket k rejected" in caplog.text
    assert "ma***@mail.ru" in caplog.text
    assert "maria.ivanova" not in caplog.text
