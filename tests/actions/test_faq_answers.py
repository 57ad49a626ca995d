"""After a scenario answer: «Помогло?», the technical appeal after «нет», «это не ответ»."""

import pytest

from actions import texts
from actions.appeal_start import ActionStartAppeal
from actions.faq_answers import (
    ActionAfterFaq,
    ActionAnswerTopic,
    ActionEscalateInstruction,
    ActionInstructionFeedback,
    ActionNotTheAnswer,
)
from actions.outbox import Outbox
from actions.ticket_creation import ActionCreateTicket, ticket_payload
from tests.actions.ticketing_fakes import FakeTicketing
from tests.actions.tracker_helpers import buttons_of, make_tracker, say, selector_output, slot_events, texts_of

pytestmark = pytest.mark.asyncio


def after_faq_tracker(key: str, text: str, **kwargs):
    return make_tracker(text=text, intent="faq", selector=selector_output((key, 0.93), ("cost", 0.02)), **kwargs)


async def test_an_instruction_is_followed_by_helped_buttons(domain, dispatcher):
    tracker = after_faq_tracker("test_not_loading", "не грузится тест")
    slots = slot_events(await ActionAfterFaq(FakeTicketing()).run(dispatcher, tracker, domain))
    assert slots == {
        "last_faq_key": "test_not_loading",
        "last_question": "не грузится тест",
        "awaiting_reply": "instruction_feedback",
    }
    assert texts_of(dispatcher) == ["Помогло?"]
    payloads = [b["payload"] for b in buttons_of(dispatcher.messages[0])]
    assert payloads == ["/affirm", "/deny", "/not_the_answer"]


@pytest.mark.parametrize(
    "key",
    [
        "test_not_loading", "video_not_playing", "forgot_password", "confirmation_email", "system_requirements",
        # The профпроба instruction did not ask before issue 14; nor did the other step-by-step ones.
        "event_signup", "event_cancel", "registration_student", "registration_parent", "change_profile",
    ],
)
async def test_every_technical_answer_asks_whether_it_helped(domain, dispatcher, key):
    slots = slot_events(await ActionAfterFaq(FakeTicketing()).run(dispatcher, after_faq_tracker(key, "вопрос"), domain))
    assert slots["awaiting_reply"] == "instruction_feedback"


async def test_an_informational_answer_asks_nothing(domain, dispatcher):
    tracker = after_faq_tracker("cost", "это платно?")
    slots = slot_events(await ActionAfterFaq(FakeTicketing()).run(dispatcher, tracker, domain))
    assert slots["awaiting_reply"] is None and slots["last_faq_key"] == "cost"
    assert dispatcher.messages == []


async def test_no_helped_question_inside_the_form(domain, dispatcher):
    tracker = after_faq_tracker("test_not_loading", "не грузится тест", active_loop="appeal_form")
    slots = slot_events(await ActionAfterFaq(FakeTicketing()).run(dispatcher, tracker, domain))
    assert slots["awaiting_reply"] is None and dispatcher.messages == []


FEEDBACK_SLOTS = {
    "awaiting_reply": "instruction_feedback", "last_faq_key": "test_not_loading", "last_question": "тест завис",
}


def feedback_tracker(text: str, intent: str, selector=None, **slots):
    return make_tracker(
        text=text, intent=intent, slots={**FEEDBACK_SLOTS, **slots},
        selector=selector if selector is not None else selector_output(("cost", 0.2), ("mentor", 0.1)),
    )


async def feedback(tracker, domain, dispatcher):
    return slot_events(await ActionInstructionFeedback(FakeTicketing()).run(dispatcher, tracker, domain))


@pytest.mark.parametrize(
    "text, intent",
    [("/affirm", "affirm"), ("да, помогло", "affirm"), ("спасибо, заработало", "thanks"), ("ага", "nlu_fallback"),
     ("да всё работает", "inform"), ("ок", "out_of_scope")],
)
async def test_yes_it_helped_closes_the_topic(domain, dispatcher, text, intent):
    slots = await feedback(feedback_tracker(text, intent), domain, dispatcher)
    assert slots == {"awaiting_reply": None}
    assert texts_of(dispatcher) == [say("utter_instruction_helped")]


# Issue 14: whatever NLU made of the typed words, they take the way of the «Нет, не помогло» button.
@pytest.mark.parametrize(
    "text, intent",
    [
        ("/deny", "deny"),
        ("не помогло", "deny"),
        ("не работает всё равно", "open_appeal"),
        ("нет", "deny"),
        ("неа", "deny"),
        ("не получилось", "deny"),
        ("всё так же", "deny"),
        ("не, не вышло", "cancel"),
        ("без изменений", "nlu_fallback"),
        ("нееет", "out_of_scope"),
        ("по-прежнему висит", "inform"),
        ("хочу оставить обращение", "open_appeal"),
    ],
)
async def test_no_in_any_words_is_the_no_button(domain, dispatcher, text, intent):
    slots = await feedback(feedback_tracker(text, intent), domain, dispatcher)
    assert slots == {"awaiting_reply": "instruction_failed"}
    assert dispatcher.messages == []  # action_escalate_instruction speaks next (data/rules/faq.yml)


async def test_the_same_instruction_asked_again_is_a_no(domain, dispatcher):
    tracker = feedback_tracker("тест опять завис", "faq", selector_output(("test_not_loading", 0.9)))
    assert (await feedback(tracker, domain, dispatcher))["awaiting_reply"] == "instruction_failed"


async def test_another_question_after_helped_is_answered(domain, dispatcher):
    tracker = feedback_tracker("а как восстановить пароль", "faq", selector_output(("forgot_password", 0.9)))
    slots = await feedback(tracker, domain, dispatcher)
    assert dispatcher.messages[0]["response"] == "utter_faq/forgot_password"
    assert slots["last_faq_key"] == "forgot_password" and slots["last_question"] == "а как восстановить пароль"
    assert slots["awaiting_reply"] == "instruction_feedback"  # its own «Помогло?»


async def test_a_reply_that_says_neither_is_asked_again_with_the_buttons(domain, dispatcher):
    slots = await feedback(feedback_tracker("хм", "out_of_scope"), domain, dispatcher)
    assert slots == {"awaiting_reply": "instruction_feedback"}
    assert dispatcher.messages[0]["response"] == "utter_ask_helped_again"
    assert [b["payload"] for b in buttons_of(dispatcher.messages[0])] == ["/affirm", "/deny", "/not_the_answer"]


async def test_a_long_unclear_message_gets_the_suggestions(domain, dispatcher):
    tracker = feedback_tracker(
        "а где посмотреть что я прошёл в этом году", "nlu_fallback",
        selector_output(("diagnostics_results", 0.4), ("certificate", 0.3)),
    )
    slots = await feedback(tracker, domain, dispatcher)
    assert slots["awaiting_reply"] == "topic_choice"


async def test_no_opens_a_technical_appeal_with_the_question_as_draft(domain, dispatcher):
    tracker = make_tracker(
        text="нет, не помогло",
        intent="deny",
        slots={
            "awaiting_reply": "instruction_feedback",
            "last_faq_key": "test_not_loading",
            "last_question": "Здравствуйте, не грузится тест на 3 вопросе",
        },
    )
    slots = slot_events(await ActionEscalateInstruction().run(dispatcher, tracker, domain))
    assert slots["question_type"] == "technical"
    assert slots["request_kind"] == "complaint"
    assert slots["instructions_tried"] == ["test_not_loading"]
    assert slots["description_draft"] == "не грузится тест на 3 вопросе"
    assert slots["awaiting_reply"] is None and slots["awaiting_confirmation"] is False
    assert slots["appeal_key"]
    assert texts_of(dispatcher) == [say("utter_escalate_instruction")]


async def test_the_topic_title_is_the_draft_when_the_question_was_a_button(domain, dispatcher):
    tracker = make_tracker(
        text="/deny", intent="deny",
        slots={"last_faq_key": "video_not_playing", "last_question": None, "instructions_tried": ["test_not_loading"]},
    )
    slots = slot_events(await ActionEscalateInstruction().run(dispatcher, tracker, domain))
    assert slots["description_draft"] == "Не воспроизводится видео"
    assert slots["instructions_tried"] == ["test_not_loading", "video_not_playing"]


async def test_an_instruction_tried_twice_is_recorded_once(domain, dispatcher):
    tracker = make_tracker(
        text="нет", intent="deny",
        slots={
            "last_faq_key": "test_not_loading",
            "last_question": "тест завис",
            "instructions_tried": ["test_not_loading"],
        },
    )
    slots = slot_events(await ActionEscalateInstruction().run(dispatcher, tracker, domain))
    assert "instructions_tried" not in slots


async def test_the_ticket_says_which_instruction_was_tried(domain, dispatcher, tmp_path):
    """From «нет, не помогло» to the ticket payload: instructions_tried and technical reach ticketing."""
    client = FakeTicketing()
    escalated = slot_events(
        await ActionEscalateInstruction().run(
            dispatcher,
            make_tracker(
                text="нет", intent="deny", slots={"last_faq_key": "forgot_password", "last_question": "забыл пароль"}
            ),
            domain,
        )
    )
    filled = {
        "region": "Республика Татарстан", "role": "participant", "login": "ivanov2011", "email": "ivan@example.ru",
        "description": "забыл пароль, письмо для сброса не приходит", "request_kind": "info_request",
        "question_type": escalated["question_type"], "instructions_tried": escalated["instructions_tried"],
        "appeal_key": escalated["appeal_key"], "awaiting_confirmation": True,
    }
    tracker = make_tracker(text="да", intent="affirm", slots=filled)
    assert ticket_payload(tracker)["instructions_tried"] == ["forgot_password"]

    action = ActionCreateTicket(client, Outbox(str(tmp_path / "outbox.sqlite3")))
    await action.run(dispatcher, tracker, domain)
    (_, payload), = client.create_calls
    assert payload["question_type"] == "technical"
    assert payload["instructions_tried"] == ["forgot_password"]


async def test_a_typed_no_reaches_the_ticket_with_the_instruction_noted(domain, dispatcher, tmp_path):
    """Issue 14: «всё так же» after «Помогло?» → the escalation → the ticket says which instruction was tried."""
    client = FakeTicketing()
    tracker = make_tracker(
        text="всё так же", intent="deny",
        slots={"awaiting_reply": "instruction_feedback", "last_faq_key": "confirmation_email",
               "last_question": "не приходит письмо с подтверждением"},
        selector=selector_output(("confirmation_email", 0.3)),
    )
    read = slot_events(await ActionInstructionFeedback(client).run(dispatcher, tracker, domain))
    assert read == {"awaiting_reply": "instruction_failed"}
    # The rules run action_escalate_instruction next, on the same message: as after the button.
    escalated = slot_events(
        await ActionEscalateInstruction().run(
            dispatcher,
            make_tracker(
                text="всё так же", intent="deny",
                slots={"awaiting_reply": "instruction_failed", "last_faq_key": "confirmation_email",
                       "last_question": "не приходит письмо с подтверждением"},
            ),
            domain,
        )
    )
    assert escalated["instructions_tried"] == ["confirmation_email"]
    assert escalated["question_type"] == "technical" and escalated["awaiting_reply"] is None
    assert escalated["description_draft"] == "не приходит письмо с подтверждением"
    assert escalated["request_kind"] == "complaint"  # the summary no longer says «запрос информации»
    assert texts_of(dispatcher) == [say("utter_escalate_instruction")]
    filled = {
        "region": "Республика Татарстан", "role": "participant", "login": "ivanov2011", "email": "ivan@example.ru",
        "description": escalated["description_draft"], "request_kind": escalated["request_kind"],
        "question_type": escalated["question_type"], "instructions_tried": escalated["instructions_tried"],
        "appeal_key": escalated["appeal_key"], "awaiting_confirmation": True,
    }
    await ActionCreateTicket(client, Outbox(str(tmp_path / "outbox.sqlite3"))).run(
        dispatcher, make_tracker(text="да", intent="affirm", slots=filled), domain
    )
    (_, payload), = client.create_calls
    assert payload["instructions_tried"] == ["confirmation_email"]
    assert payload["question_type"] == "technical"


async def test_an_appeal_asked_right_after_an_instruction_records_it(domain, dispatcher):
    tracker = make_tracker(
        text="хочу оставить обращение",
        intent="open_appeal",
        slots={"awaiting_reply": "instruction_feedback", "last_faq_key": "video_not_playing"},
    )
    slots = slot_events(await ActionStartAppeal().run(dispatcher, tracker, domain))
    assert slots["instructions_tried"] == ["video_not_playing"]
    assert slots["question_type"] == "technical"
    assert slots["awaiting_reply"] is None


async def test_not_the_answer_opens_an_appeal_with_the_question(domain, dispatcher):
    tracker = make_tracker(
        text="это не ответ на мой вопрос",
        intent="not_the_answer",
        slots={"last_faq_key": "cost", "last_question": "можно ли оплатить профпробу сертификатом"},
    )
    slots = slot_events(await ActionNotTheAnswer().run(dispatcher, tracker, domain))
    assert slots["description_draft"] == "можно ли оплатить профпробу сертификатом"
    assert "question_type" not in slots and "instructions_tried" not in slots
    assert texts_of(dispatcher) == [texts.NOT_THE_ANSWER]


async def test_not_the_answer_without_a_question_asks_for_a_description(domain, dispatcher):
    tracker = make_tracker(text="мимо", intent="not_the_answer")
    slots = slot_events(await ActionNotTheAnswer().run(dispatcher, tracker, domain))
    assert "description_draft" not in slots and slots["appeal_key"]


async def test_a_suggested_topic_is_answered_with_its_response(domain, dispatcher):
    tracker = make_tracker(
        text='/choose_topic{"faq_key": "forgot_password"}',
        intent="choose_topic",
        entities=[{"entity": "faq_key", "value": "forgot_password"}],
        slots={"last_question": "не могу попасть в лк", "awaiting_reply": "topic_choice"},
    )
    slots = slot_events(await ActionAnswerTopic(FakeTicketing()).run(dispatcher, tracker, domain))
    assert dispatcher.messages[0]["response"] == "utter_faq/forgot_password"
    assert texts_of(dispatcher)[1] == "Помогло?"
    assert slots["last_question"] == "не могу попасть в лк"
    assert slots["awaiting_reply"] == "instruction_feedback"


async def test_an_unknown_topic_is_not_answered(domain, dispatcher):
    tracker = make_tracker(
        text="/choose_topic", intent="choose_topic", entities=[{"entity": "faq_key", "value": "no_such_key"}]
    )
    slots = slot_events(await ActionAnswerTopic(FakeTicketing()).run(dispatcher, tracker, domain))
    assert dispatcher.messages[0]["response"] == "utter_how_can_i_help"
    assert slots == {"awaiting_reply": None}
