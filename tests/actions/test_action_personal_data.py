"""The action server and personal data (152-ФЗ): no e-mail or login in its logs, an outbox that forgets in time."""

import logging

import pytest

from actions.delivery import OutboxDelivery
from actions.outbox import Outbox
from tests.actions.ticketing_fakes import FakeTicketing


@pytest.mark.asyncio
async def test_a_rejected_ticket_is_logged_without_the_address(monkeypatch, tmp_path, caplog):
    monkeypatch.setenv("ACTIONS_OUTBOX_PATH", str(tmp_path / "o.sqlite3"))
    from sanic import Sanic

    from actions import common
    from actions.server import create_app

    monkeypatch.setattr(common, "_settings", None)
    monkeypatch.setattr(Sanic, "_app_registry", {})  # the app is made again by another test
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


def test_the_outbox_keeps_what_children_wrote_no_longer_than_its_purpose(tmp_path):
    """152-ФЗ ст. 5 ч. 7: a delivered and announced entry is a copy of the ticket; a rejected one expires."""
    now = [1000.0]
    outbox = Outbox(str(tmp_path / "o.sqlite3"), clock=lambda: now[0])
    for key in ("delivered", "rejected", "pending", "untold"):
        outbox.add(key, "u", {"email": "maria.ivanova@mail.ru"})
    outbox.mark_delivered("delivered", {"number": "БВБ-000001"}, notified=True)
    outbox.mark_rejected("rejected", "адрес не принят", notified=True)
    outbox.mark_delivered("untold", {"number": "БВБ-000002"}, notified=False)
    now[0] += 25 * 3600
    assert outbox.prune(retention_seconds=30 * 86400) == 1
    assert {e.idempotency_key for e in outbox.entries()} == {"rejected", "pending", "untold"}
    now[0] += 30 * 86400
    assert outbox.prune(retention_seconds=30 * 86400) == 1
    assert {e.idempotency_key for e in outbox.entries()} == {"pending", "untold"}  # never lost before it's told
