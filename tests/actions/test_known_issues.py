"""The bot tells a pupil about a known issue line 3 published (§5.5) and links the ticket they still send."""

from datetime import date

import pytest

from actions import texts
from actions.outbox import Outbox
from actions.ticket_creation import ActionCreateTicket, ticket_payload
from tests.actions.test_appeal_form import validate
from tests.actions.test_ticket_creation import confirm
from tests.actions.ticketing_fakes import FakeTicketing
from tests.actions.tracker_helpers import texts_of

pytestmark = pytest.mark.asyncio

WHITE_SCREEN = {
    "id": 7,
    "title": "Белый экран после второго вопроса теста",
    "description": "Ошибка в Chrome 120; исправление в релизе 2.4.",
    "status": "fixing",
    "status_label": "исправляем",
    "expected_on": "2099-12-01",  # ahead of any day the tests run on
    "updated_at": "2026-11-27T12:30:00+03:00",
}
TYPED = "после второго вопроса теста белый экран"


def ticketing_with_issue(**changes):
    client = FakeTicketing()
    client.known_issues["белый экран"] = {**WHITE_SCREEN, **changes}
    return client


async def test_a_technical_description_that_matches_hears_what_is_wrong_and_when(domain, dispatcher):
    client = ticketing_with_issue()
    slots = await validate(
        domain, dispatcher, {"description": TYPED}, client=client, text=TYPED,
        slots={"question_type": "technical", "requested_slot": "description"},
    )
    assert slots["description"] == TYPED and slots["known_issue_id"] == 7
    assert client.known_issue_queries == [TYPED]
    [said] = texts_of(dispatcher)
    assert "«Белый экран после второго вопроса теста»" in said
    assert "уже исправляют" in said
    assert "Обещают исправить до 1 декабря 2099 г. (вторник)." in said
    assert "напишем вам, как только всё заработает" in said


async def test_an_informational_question_is_not_matched(domain, dispatcher):
    client = ticketing_with_issue()
    slots = await validate(
        domain, dispatcher, {"description": TYPED}, client=client, text=TYPED,
        slots={"question_type": "informational", "requested_slot": "description"},
    )
    assert slots["known_issue_id"] is None and client.known_issue_queries == []
    assert texts_of(dispatcher) == []


async def test_no_match_or_ticketing_down_says_nothing_and_the_form_goes_on(domain, dispatcher):
    typed = "не приходит письмо для подтверждения почты"
    slots = await validate(
        domain, dispatcher, {"description": typed}, client=ticketing_with_issue(), text=typed,
        slots={"question_type": "technical", "requested_slot": "description"},
    )
    assert slots["description"] == typed and slots["known_issue_id"] is None
    down = ticketing_with_issue()
    down.down_for = 5
    slots = await validate(
        domain, dispatcher, {"description": TYPED}, client=down, text=TYPED,
        slots={"question_type": "technical", "requested_slot": "description"},
    )
    assert slots["description"] == TYPED and slots["known_issue_id"] is None
    assert texts_of(dispatcher) == []


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"status": "investigating", "expected_on": None}, "выясняют, в чём причина. Когда исправят, пока неизвестно."),
        ({"status": "planned_update", "expected_on": "2026-12-03"}, "Обновление ожидается до 3 декабря 2026 г."),
        ({"expected_on": "2026-11-20"}, "уже исправляют ошибку. Когда исправят, пока неизвестно."),  # past: no promise
    ],
)
async def test_the_words_follow_the_state_and_the_date(changes, expected):
    said = texts.known_issue_text({**WHITE_SCREEN, **changes}, today=date(2026, 11, 27))
    assert expected in said


async def test_the_ticket_sent_after_the_mention_is_linked(domain, dispatcher, tmp_path):
    client = FakeTicketing()
    await ActionCreateTicket(client, Outbox(str(tmp_path / "outbox.sqlite3"))).run(
        dispatcher, confirm(known_issue_id=7), domain
    )
    [(_, payload)] = client.create_calls
    assert payload["known_issue_id"] == 7
    # Corrected to an informational question at the summary: no longer the platform error.
    assert "known_issue_id" not in ticket_payload(confirm(known_issue_id=7, question_type="informational"))
    assert "known_issue_id" not in ticket_payload(confirm())
