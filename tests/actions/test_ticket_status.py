"""«что с моим обращением БВБ-000123?»"""

import pytest

from actions import texts
from actions.ticket_status import ActionTicketStatus
from tests.actions.ticketing_fakes import FakeTicketing
from tests.actions.tracker_helpers import make_tracker, slot_events, texts_of

pytestmark = pytest.mark.asyncio


@pytest.fixture
def client():
    fake = FakeTicketing()
    due = "2026-12-02T23:59:59+03:00"
    fake.tickets["БВБ-000123"] = {"number": "БВБ-000123", "status": "in_progress", "due_at": due}
    fake.tickets["БВБ-000007"] = {"number": "БВБ-000007", "status": "answered", "due_at": "2026-11-20T23:59:59+03:00"}
    return fake


@pytest.mark.parametrize(
    "text, entities",
    [
        ("что с моим обращением БВБ-000123?", [{"entity": "ticket_number", "value": "БВБ-000123"}]),
        ("бвб 123", [{"entity": "ticket_number", "value": "бвб 123"}]),
        ("BVB-123", []),
    ],
)
async def test_found_ticket_status_and_due_date(domain, dispatcher, client, text, entities):
    tracker = make_tracker(text=text, intent="ticket_status", entities=entities)
    events = await ActionTicketStatus(client).run(dispatcher, tracker, domain)
    assert texts_of(dispatcher) == [
        "Обращение БВБ-000123: в работе у специалиста поддержки. Ответим до 2 декабря 2026 г. (среда)."
    ]
    assert slot_events(events) == {"ticket_number": "БВБ-000123"}


async def test_answered_ticket_says_where_the_answer_went_and_only_that(domain, dispatcher, client):
    client.tickets["БВБ-000007"]["deliveries"] = [
        {"channel": "chat", "status": "delivered", "at": "2026-11-19T10:00:00+03:00"},
        {"channel": "email", "status": "queued", "at": "2026-11-19T10:00:00+03:00"},
    ]
    tracker = make_tracker(text="бвб 7", intent="ticket_status")
    await ActionTicketStatus(client).run(dispatcher, tracker, domain)
    assert texts_of(dispatcher) == [
        "Обращение БВБ-000007: специалист ответил. Ответ отправлен в чат, где вы оставляли обращение; "
        "письмо с ответом скоро уйдёт на вашу почту."
    ]


@pytest.mark.parametrize(
    "deliveries, said",
    [
        ([{"channel": "email", "status": "sent"}], "Письмо с ответом отправлено на вашу почту."),
        ([{"channel": "email", "status": "failed"}], "Письмо на вашу почту не дошло"),
        ([], texts.ANSWER_NOWHERE),
        (  # two answers: the second one's letter is still queued — "sent" would not be true
            [{"channel": "email", "status": "sent"}, {"channel": "email", "status": "queued"}],
            "Письмо с ответом скоро уйдёт на вашу почту.",
        ),
    ],
)
async def test_where_the_answer_went_is_what_the_deliveries_say(domain, dispatcher, client, deliveries, said):
    client.tickets["БВБ-000007"]["deliveries"] = deliveries
    await ActionTicketStatus(client).run(dispatcher, make_tracker(text="бвб 7", intent="ticket_status"), domain)
    (text,) = texts_of(dispatcher)
    assert said in text and "проверьте почту" not in text and "Ответим до" not in text


async def test_unknown_ticket(domain, dispatcher, client):
    tracker = make_tracker(text="БВБ-000999", intent="ticket_status")
    await ActionTicketStatus(client).run(dispatcher, tracker, domain)
    assert texts_of(dispatcher) == [texts.STATUS_NOT_FOUND.format(number="БВБ-000999")]


async def test_without_a_number_the_last_ticket_is_used(domain, dispatcher, client):
    tracker = make_tracker(text="что с моим обращением?", intent="ticket_status", slots={"ticket_number": "БВБ-000123"})
    await ActionTicketStatus(client).run(dispatcher, tracker, domain)
    assert "БВБ-000123" in texts_of(dispatcher)[0]


async def test_without_any_number_asks_for_it(domain, dispatcher, client):
    tracker = make_tracker(text="что с моим обращением?", intent="ticket_status")
    await ActionTicketStatus(client).run(dispatcher, tracker, domain)
    assert texts_of(dispatcher) == [texts.ASK_TICKET_NUMBER]


async def test_ticketing_down(domain, dispatcher):
    tracker = make_tracker(text="БВБ-000123", intent="ticket_status")
    await ActionTicketStatus(FakeTicketing(down_for=1)).run(dispatcher, tracker, domain)
    assert texts_of(dispatcher) == [texts.STATUS_UNAVAILABLE]
