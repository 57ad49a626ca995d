"""A threat is registered silently (§4.8): one ticket, no answer, never announced later."""

from __future__ import annotations

import pytest

from actions.delivery import OutboxDelivery
from actions.outbox import Outbox
from actions.screening import ActionRegisterThreat
from tests.actions.ticketing_fakes import FakeNotifier, FakeTicketing
from tests.actions.tracker_helpers import make_tracker


@pytest.fixture
def outbox(tmp_path):
    return Outbox(str(tmp_path / "outbox.sqlite3"))


async def test_threat_is_registered_and_nothing_is_said(domain, dispatcher, outbox):
    client = FakeTicketing()
    tracker = make_tracker(
        text="я приду и взорву вашу школу", intent="screen_threat", slots={"region": "Пермский край"}
    )
    await ActionRegisterThreat(client, outbox).run(dispatcher, tracker, domain)
    assert dispatcher.messages == []
    ((_, payload),) = client.create_calls
    assert payload["description"] == "я приду и взорву вашу школу"
    assert payload["region"] == "Пермский край" and "email" not in payload
    assert payload["conversation_id"] == "test-user"


async def test_threat_while_ticketing_is_down_is_kept_and_never_announced(domain, dispatcher, outbox):
    client = FakeTicketing(down_for=1)
    tracker = make_tracker(text="вам не жить", intent="screen_threat")
    await ActionRegisterThreat(client, outbox).run(dispatcher, tracker, domain)
    assert dispatcher.messages == []
    assert [e.status for e in outbox.entries()] == ["pending"]

    notifier = FakeNotifier()
    report = await OutboxDelivery(outbox, client, notifier).flush()
    assert report.delivered == 1
    assert len(client.tickets) == 1
    assert report.notified == 0 and notifier.sent == []  # the user is never told a number for a threat
