"""Creating the ticket: OK, ticketing down → outbox → later flush delivers exactly once."""

import pytest

from actions import texts
from actions.delivery import OutboxDelivery
from actions.outbox import Outbox
from actions.ticket_creation import (
    ActionCreateTicket,
    ActionNotifyTicketFailed,
    ActionNotifyTicketRegistered,
    ticket_payload,
)
from tests.actions.ticketing_fakes import FakeNotifier, FakeTicketing
from tests.actions.tracker_helpers import make_tracker, slot_events, texts_of

pytestmark = pytest.mark.asyncio

FILLED = {
    "region": "Республика Татарстан",
    "role": "participant",
    "login": "ivanov2011",
    "email": "ivan@example.ru",
    "question_type": "technical",
    "description": "Не загружается тест. Крутится колёсико и всё.",
    "request_kind": "info_request",
    "appeal_key": "key-1",
    "awaiting_confirmation": True,
}
HISTORY = [
    {"event": "user", "text": "EXTERNAL: EXTERNAL_ticket_registered", "timestamp": 0.5,
     "parse_data": {"intent": {"name": "EXTERNAL_ticket_registered"}}},
    {"event": "user", "text": "не загружается тест", "timestamp": 1.0},
    {"event": "action", "name": "action_start_appeal", "timestamp": 1.5},
    {"event": "bot", "text": "Помогу оставить обращение.", "timestamp": 2.0},
]


def confirm(sender_id="user-1", **slots):
    return make_tracker(slots={**FILLED, **slots}, text="да", intent="affirm", history=HISTORY, sender_id=sender_id)


@pytest.fixture
def outbox(tmp_path):
    return Outbox(str(tmp_path / "outbox.sqlite3"))


async def test_payload_follows_the_ticketing_contract():
    payload = ticket_payload(confirm())
    assert payload["channel"] == "chat"
    assert payload["kind"] == "info_request"
    assert payload["subject"] == "Не загружается тест."
    assert payload["conversation_id"] == "user-1"
    assert payload["instructions_tried"] == []
    assert payload["transcript"][:2] == [
        {"sender": "user", "text": "не загружается тест", "timestamp": 1.0},
        {"sender": "bot", "text": "Помогу оставить обращение.", "timestamp": 2.0},
    ]
    assert payload["transcript"][-1]["text"] == "да"


async def test_ticket_created_answers_number_and_russian_date(domain, dispatcher, outbox):
    client = FakeTicketing()
    events = await ActionCreateTicket(client, outbox).run(dispatcher, confirm(), domain)
    assert client.create_calls[0][0] == "key-1"
    text = texts_of(dispatcher)[0]
    assert "БВБ-000001" in text
    assert "до 2 декабря 2026 г. (среда)" in text
    slots = slot_events(events)
    assert slots["ticket_number"] == "БВБ-000001"
    assert slots["awaiting_confirmation"] is False
    assert slots["description"] is None and slots["appeal_key"] is None
    # Delivered and already told: the flusher must not announce it again.
    entry = outbox.get("key-1")
    assert entry.status == "delivered" and entry.notified_at is not None
    notifier = FakeNotifier()
    await OutboxDelivery(outbox, client, notifier).flush()
    assert notifier.sent == []


async def test_ticketing_down_keeps_the_payload_and_a_later_flush_delivers_it_once(domain, dispatcher, outbox):
    client = FakeTicketing(down_for=1)
    tracker = confirm()
    events = await ActionCreateTicket(client, outbox).run(dispatcher, tracker, domain)
    assert texts_of(dispatcher) == [texts.SAVED_FOR_LATER]
    assert slot_events(events)["awaiting_confirmation"] is False

    [entry] = outbox.entries()
    assert entry.status == "pending"
    assert entry.payload == ticket_payload(tracker)
    assert entry.sender_id == "user-1"

    notifier = FakeNotifier()
    delivery = OutboxDelivery(outbox, client, notifier)
    report = await delivery.flush()
    assert report.delivered == 1 and report.notified == 1
    assert notifier.sent == [("user-1", "БВБ-000001", "2026-12-02T23:59:59+03:00")]

    again = await delivery.flush()
    assert again.delivered == 0 and again.notified == 0
    assert len(client.tickets) == 1
    assert [key for key, _ in client.create_calls] == ["key-1", "key-1"]


async def test_flush_leaves_alone_an_entry_an_action_is_sending(outbox):
    outbox.add("busy", "user-1", {"description": "x"}, lease_seconds=120)
    client = FakeTicketing()
    report = await OutboxDelivery(outbox, client, FakeNotifier()).flush()
    assert report.delivered == 0 and client.create_calls == []
    outbox.release("busy")
    assert (await OutboxDelivery(outbox, client, FakeNotifier()).flush()).delivered == 1


async def test_a_new_ticket_flushes_the_backlog_first(domain, dispatcher, outbox):
    outbox.add("old-key", "user-0", {"description": "старое обращение"})
    client = FakeTicketing()
    await ActionCreateTicket(client, outbox).run(dispatcher, confirm(), domain)
    assert [key for key, _ in client.create_calls] == ["old-key", "key-1"]
    old = outbox.get("old-key")
    assert old.status == "delivered" and old.notified_at is None  # the flusher will announce it


async def test_backlog_flush_finding_ticketing_down_saves_without_a_second_wait(domain, dispatcher, outbox):
    outbox.add("old-key", "user-0", {"description": "старое обращение"})
    client = FakeTicketing(down_for=5)
    await ActionCreateTicket(client, outbox).run(dispatcher, confirm(), domain)
    assert [key for key, _ in client.create_calls] == ["old-key"]
    assert outbox.get("key-1").status == "pending"
    assert texts_of(dispatcher) == [texts.SAVED_FOR_LATER]


async def test_notification_retried_when_rasa_was_unreachable(outbox):
    client = FakeTicketing()
    outbox.add("k1", "user-9", {"description": "x"})
    outbox.add("k2", "user-8", {"description": "y"})
    notifier = FakeNotifier(down_for=1)
    delivery = OutboxDelivery(outbox, client, notifier)
    first = await delivery.flush()
    assert first.delivered == 2 and first.notified == 0
    second = await delivery.flush()  # nothing is left claimed after the failure
    assert second.notified == 2
    assert sorted(notifier.sent) == [("user-8", "БВБ-000002", "2026-12-02T23:59:59+03:00"),
                                     ("user-9", "БВБ-000001", "2026-12-02T23:59:59+03:00")]
    assert len(client.create_calls) == 2


async def test_rejected_data_keeps_the_summary_open(domain, dispatcher, outbox):
    client = FakeTicketing(reject_with={"email": "invalid"})
    events = await ActionCreateTicket(client, outbox).run(dispatcher, confirm(), domain)
    slots = slot_events(events)
    assert slots["awaiting_confirmation"] is True
    assert slots["appeal_key"] != "key-1"
    assert "«Почта»" in texts_of(dispatcher)[0]
    entry = outbox.get("key-1")
    assert entry.status == "rejected" and entry.notified_at is not None  # the user just saw why


async def test_refused_after_a_delay_the_user_is_told_why_once(outbox):
    outbox.add("k", "user-3", {"region": "Новгород"})
    reason = "регион «Новгород» неоднозначен, уточните: «Нижегородская область», «Новгородская область»"
    client = FakeTicketing(reject_with={"region": reason})
    notifier = FakeNotifier()
    delivery = OutboxDelivery(outbox, client, notifier)
    report = await delivery.flush()
    assert report.rejected == 1 and report.notified == 1
    assert notifier.failures == [("user-3", reason)]
    assert outbox.get("k").payload == {"region": "Новгород"}  # kept for staff
    await delivery.flush()
    assert len(notifier.failures) == 1 and len(client.create_calls) == 1


async def test_refusal_is_announced_in_russian(domain, dispatcher):
    tracker = make_tracker(
        intent="EXTERNAL_ticket_failed", entities=[{"entity": "reason", "value": "регион не найден"}]
    )
    await ActionNotifyTicketFailed().run(dispatcher, tracker, domain)
    assert "Причина: регион не найден." in texts_of(dispatcher)[0]
    assert dispatcher.messages[0]["buttons"] == texts.FAILED_LATER_BUTTONS


async def test_double_confirmation_is_one_ticket(domain, dispatcher, outbox):
    client = FakeTicketing()
    await ActionCreateTicket(client, outbox).run(dispatcher, confirm(), domain)
    await ActionCreateTicket(client, outbox).run(dispatcher, confirm(), domain)
    assert len(client.tickets) == 1
    assert all("БВБ-000001" in t for t in texts_of(dispatcher))


async def test_nothing_to_send(domain, dispatcher, outbox):
    client = FakeTicketing()
    await ActionCreateTicket(client, outbox).run(dispatcher, confirm(description=None), domain)
    assert client.create_calls == []
    assert texts_of(dispatcher) == [texts.NOTHING_TO_SEND]


async def test_late_number_is_announced_in_russian(domain, dispatcher):
    tracker = make_tracker(
        intent="EXTERNAL_ticket_registered",
        entities=[{"entity": "ticket_number", "value": "БВБ-000042"},
                  {"entity": "due_at", "value": "2026-12-02T23:59:59+03:00"}],
    )
    events = await ActionNotifyTicketRegistered().run(dispatcher, tracker, domain)
    assert texts_of(dispatcher) == [
        "Ваше обращение зарегистрировано ✅\nНомер: БВБ-000042\nОтветим до 2 декабря 2026 г. (среда)."
    ]
    assert slot_events(events) == {"ticket_number": "БВБ-000042"}
