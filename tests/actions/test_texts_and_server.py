"""Russian dates and statuses; the action server app and its flusher; outbox durability."""

import asyncio
from datetime import date

import pytest

from actions import texts
from actions.delivery import OutboxDelivery
from actions.outbox import Outbox
from actions.server import flush_forever
from actions.settings import Settings
from tests.actions.ticketing_fakes import FakeNotifier, FakeTicketing


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2026-12-02T23:59:59+03:00", "до 2 декабря 2026 г. (среда)"),
        ("2026-01-01T00:00:00Z", "до 1 января 2026 г. (четверг)"),
        (date(2026, 5, 9), "до 9 мая 2026 г. (суббота)"),
        ("not a date", None),
        (None, None),
    ],
)
def test_due_dates_in_russian(value, expected):
    assert texts.format_due_date(value) == expected


def test_every_api_status_has_a_russian_label():
    for status in ("new", "in_progress", "waiting_line2", "waiting_line3", "answered", "closed",
                   "left_without_answer"):
        assert texts.STATUS_LABELS[status]
        assert all(not ch.isascii() or not ch.isalpha() for ch in texts.STATUS_LABELS[status])


def test_settings_from_the_environment():
    settings = Settings.from_env({"TICKETING_URL": "http://t:1", "TICKETING_TOKEN": "x", "ACTIONS_PORT": "6000",
                                  "ACTIONS_OUTBOX_PATH": "/tmp/o.sqlite3"})
    assert (settings.ticketing_url, settings.ticketing_token, settings.port) == ("http://t:1", "x", 6000)
    assert Settings.from_env({}).outbox_path == "var/actions-outbox.sqlite3"
    assert Settings.from_env({}).rasa_url == "http://localhost:5005"


@pytest.mark.parametrize("raw", ["abc", "0", "-3"])
def test_a_bad_retention_stops_the_action_server_as_it_stops_the_service(raw, monkeypatch, capsys):
    """One parser (procedure.personal_data.retention_days): the same Russian message, exit 2, no traceback."""
    from actions.server import main
    from procedure.personal_data import retention_days

    with pytest.raises(ValueError) as raised:
        retention_days(raw)
    with pytest.raises(ValueError) as from_settings:
        Settings.from_env({"PD_RETENTION_DAYS": raw})
    assert str(from_settings.value) == str(raised.value)
    monkeypatch.setenv("PD_RETENTION_DAYS", raw)
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "secret")
    with pytest.raises(SystemExit) as stopped:
        main([])
    assert stopped.value.code == 2
    assert capsys.readouterr().err == f"actions.server: {raised.value}\n"
    assert Settings.from_env({"PD_RETENTION_DAYS": " 30 "}).pd_retention_days == 30
    assert Settings.from_env({"PD_RETENTION_DAYS": ""}).pd_retention_days == Settings.pd_retention_days


def test_outbox_survives_a_restart(tmp_path):
    path = str(tmp_path / "nested" / "outbox.sqlite3")
    Outbox(path).add("k", "u", {"description": "не грузится", "email": "a@b.ru"})
    reopened = Outbox(path)
    [entry] = reopened.claim_undelivered()
    assert entry.payload == {"description": "не грузится", "email": "a@b.ru"}


def test_expired_lease_can_be_claimed_again(tmp_path):
    now = [1000.0]
    outbox = Outbox(str(tmp_path / "o.sqlite3"), clock=lambda: now[0])
    outbox.add("k", "u", {}, lease_seconds=60)
    assert outbox.claim_undelivered() == []
    now[0] += 61
    assert [e.idempotency_key for e in outbox.claim_undelivered()] == ["k"]
    assert outbox.claim_undelivered() == []  # claimed by the call above


def test_server_app_serves_all_actions_and_starts_the_flusher(monkeypatch, tmp_path):
    monkeypatch.setenv("ACTIONS_OUTBOX_PATH", str(tmp_path / "o.sqlite3"))
    from actions import common
    from actions.server import create_app

    monkeypatch.setattr(common, "_settings", None)
    app = create_app()
    routes = {route.path for route in app.router.routes}
    assert {"webhook", "actions", "health"} <= {r.strip("/") for r in routes}
    events = {(listener.listener.__name__, listener.event) for listener in app._future_listeners}
    assert {("start", "after_server_start"), ("stop", "before_server_stop")} <= events


@pytest.mark.asyncio
async def test_background_flusher_delivers_and_announces(tmp_path):
    outbox = Outbox(str(tmp_path / "o.sqlite3"))
    outbox.add("k", "user-5", {"description": "x"})
    client, notifier = FakeTicketing(down_for=1), FakeNotifier()
    task = asyncio.create_task(flush_forever(OutboxDelivery(outbox, client, notifier), interval=0.01))
    for _ in range(200):
        await asyncio.sleep(0.01)
        if notifier.sent:
            break
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert notifier.sent == [("user-5", "БВБ-000001", "2026-12-02T23:59:59+03:00")]
    assert len(client.tickets) == 1


def test_domain_and_action_server_name_the_same_actions(domain):
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(executor.actions) == set(domain["actions"])
    # Each question of the form is asked by an action or by Rasa itself from a response, never neither.
    for slot in domain["forms"]["appeal_form"]["required_slots"]:
        assert f"action_ask_{slot}" in executor.actions or f"utter_ask_{slot}" in domain["responses"], slot


def test_the_outbox_file_is_private(tmp_path):
    """It holds what children wrote until ticketing takes it: only its owner reads it (152-ФЗ)."""
    import os
    import stat

    previous = os.umask(0o022)
    try:
        path = tmp_path / "var" / "actions-outbox.sqlite3"
        Outbox(str(path)).add("k", "u", {"description": "x"})
    finally:
        os.umask(previous)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
