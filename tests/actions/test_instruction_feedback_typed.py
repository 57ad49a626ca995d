"""Issue 14, part 4: «инструкция не помогла» typed when the bot asked nothing — e.g. in the personal account.

Before, the phrase opened the form as the whole description and no instruction was noted as tried.
Now it is read as feedback on the instruction: the question is technical, the instruction the bot
gave in this conversation goes to ``instructions_tried``, and the form asks what exactly happened.
"""

import pytest

from actions import texts
from actions.appeal_form import ValidateAppealForm
from actions.appeal_start import ActionStartAppeal
from actions.catalogue import catalogue
from actions.form_prompts import ActionAskDescription
from actions.outbox import Outbox
from actions.ticket_creation import ActionCreateTicket
from tests.actions.ticketing_fakes import FakeTicketing
from tests.actions.tracker_helpers import make_tracker, say, selector_output, slot_events, texts_of

pytestmark = pytest.mark.asyncio

# What the personal account pre-fills before the pupil speaks (ticketing/http/chat/identity.py).
ACCOUNT = {"region": "Республика Татарстан", "role": "participant", "login": "ivanov2011", "email": "ivan@example.ru"}


def slot_event(name, value):
    return {"event": "slot", "name": name, "value": value, "timestamp": 0.0}


# An earlier visit: the password instruction, «Помогло?» left unanswered, then a question about the cost.
EARLIER_VISIT = [
    slot_event("last_faq_key", "forgot_password"),
    slot_event("awaiting_reply", "instruction_feedback"),
    slot_event("last_faq_key", "cost"),
    slot_event("awaiting_reply", None),
]


async def test_in_the_personal_account_the_phrase_is_feedback_not_the_description(domain, dispatcher):
    tracker = make_tracker(text="инструкция не помогла", intent="open_appeal", slots=ACCOUNT, history=EARLIER_VISIT)
    slots = slot_events(await ActionStartAppeal().run(dispatcher, tracker, domain))
    assert slots["description_draft"] is None  # not «инструкция не помогла» as the whole description
    assert slots["question_type"] == "technical"
    assert slots["instructions_tried"] == ["forgot_password"]  # the last instruction given, not «cost»
    assert slots["reported_instruction_failed"] is True
    assert slots["request_kind"] == "complaint"
    assert texts_of(dispatcher) == [say("utter_instruction_failed_noted")]


async def test_the_form_asks_what_exactly_happened_with_that_instruction(domain, dispatcher):
    tracker = make_tracker(
        slots={**ACCOUNT, "question_type": "technical", "instructions_tried": ["forgot_password"],
               "reported_instruction_failed": True}
    )
    await ActionAskDescription().run(dispatcher, tracker, domain)
    title = catalogue().title("forgot_password")
    assert texts_of(dispatcher) == [say("utter_ask_description_after_instruction", instruction=title)]
    assert f"«{title}»" in texts_of(dispatcher)[0]


async def test_from_the_typed_phrase_to_the_ticket(domain, dispatcher, tmp_path):
    """The ticket carries instructions_tried as after the «Нет, не помогло» button, and the pupil's own account."""
    client = FakeTicketing()
    tracker = make_tracker(text="инструкция не помогла", intent="open_appeal", slots=ACCOUNT, history=EARLIER_VISIT)
    started = slot_events(await ActionStartAppeal().run(dispatcher, tracker, domain))
    typed = "письмо для сброса пароля так и не пришло, в спаме тоже нет"
    state = {**ACCOUNT, **{k: v for k, v in started.items() if k != "awaiting_reply"}, "requested_slot": "description"}
    form = make_tracker(candidates={"description": typed}, text=typed, slots=state, active_loop="appeal_form")
    described = slot_events(await ValidateAppealForm(client).run(dispatcher, form, domain))
    assert described["description"] == typed
    filled = {**state, **described, "awaiting_confirmation": True}
    await ActionCreateTicket(client, Outbox(str(tmp_path / "outbox.sqlite3"))).run(
        dispatcher, make_tracker(text="да", intent="affirm", slots=filled), domain
    )
    (_, payload), = client.create_calls
    assert payload["instructions_tried"] == ["forgot_password"]
    assert payload["question_type"] == "technical" and payload["kind"] == "complaint"
    assert payload["description"] == typed
    assert payload["login"] == "ivanov2011"


async def test_without_an_instruction_in_the_conversation_the_pupil_is_asked_which(domain, dispatcher):
    tracker = make_tracker(text="инструкция не помогла", intent="open_appeal", slots=ACCOUNT)
    started = slot_events(await ActionStartAppeal().run(dispatcher, tracker, domain))
    assert "instructions_tried" not in started and started["reported_instruction_failed"] is True
    dispatcher.messages.clear()
    await ActionAskDescription().run(dispatcher, make_tracker(slots={**ACCOUNT, **started}), domain)
    assert texts_of(dispatcher) == [say("utter_ask_description_after_unknown_instruction")]


@pytest.mark.parametrize(
    "ranking, tried",
    [
        ((("forgot_password", 0.91), ("cost", 0.02)), ["forgot_password"]),  # the answer names an instruction
        ((("forgot_password", 0.31), ("cost", 0.2)), None),  # the bot would not answer so unsure: nothing noted
        ((("cost", 0.95),), None),  # no instruction
    ],
)
async def test_the_instruction_named_in_the_answer_is_noted(domain, dispatcher, ranking, tried):
    typed = "по восстановлению пароля, письмо так и не пришло"
    slots = {**ACCOUNT, "question_type": "technical", "reported_instruction_failed": True,
             "requested_slot": "description"}
    form = make_tracker(candidates={"description": typed}, text=typed, slots=slots, active_loop="appeal_form",
                        selector=selector_output(*ranking))
    described = slot_events(await ValidateAppealForm(FakeTicketing()).run(dispatcher, form, domain))
    assert described["description"] == typed
    assert described.get("instructions_tried") == tried


async def test_more_words_than_the_feedback_become_the_draft(domain, dispatcher):
    text = "Инструкция не помогла, тест так и висит на 5 вопросе"
    tracker = make_tracker(text=text, intent="open_appeal", slots=ACCOUNT, history=EARLIER_VISIT)
    slots = slot_events(await ActionStartAppeal().run(dispatcher, tracker, domain))
    assert slots["description_draft"] == "тест так и висит на 5 вопросе"
    assert slots["instructions_tried"] == ["forgot_password"]


async def test_an_ordinary_appeal_still_starts_as_before(domain, dispatcher):
    tracker = make_tracker(text="не грузится тест, хочу оставить обращение", intent="open_appeal", slots=ACCOUNT)
    slots = slot_events(await ActionStartAppeal().run(dispatcher, tracker, domain))
    assert slots["description_draft"] == "не грузится тест"
    assert "reported_instruction_failed" not in slots and "instructions_tried" not in slots
    assert texts_of(dispatcher) == [texts.START]
