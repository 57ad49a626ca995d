"""The form's questions, the start of an appeal, the summary, correction and cancel."""

import uuid

import pytest

from actions import texts
from actions.appeal_form import ValidateAppealForm
from actions.appeal_start import ActionStartAppeal
from actions.form_prompts import ActionAskDescription, ActionAskRegion, ActionAskRole
from actions.summary import ActionCancelAppeal, ActionCorrectField, ActionShowSummary
from procedure.requesters import KIND_LABELS
from tests.actions.ticketing_fakes import FakeTicketing
from tests.actions.tracker_helpers import buttons_of, make_tracker, say, slot_events, texts_of

pytestmark = pytest.mark.asyncio

FILLED = {
    "region": "Республика Татарстан",
    "role": "participant",
    "login": "ivanov2011",
    "email": "ivan@example.ru",
    "question_type": "technical",
    "description": "не загружается тест",
    "request_kind": "complaint",
}


async def test_region_question_then_candidates_as_buttons(domain, dispatcher):
    await ActionAskRegion().run(dispatcher, make_tracker(), domain)
    assert texts_of(dispatcher) == [say("utter_ask_region")]

    dispatcher.messages.clear()
    tracker = make_tracker(slots={"region_candidates": ["Нижегородская область", "Новгородская область"]})
    await ActionAskRegion().run(dispatcher, tracker, domain)
    buttons = dispatcher.messages[0]["buttons"]
    assert [b["title"] for b in buttons] == ["Нижегородская область", "Новгородская область"]
    assert buttons[1]["payload"] == '/inform{"region": "Новгородская область"}'


async def test_question_is_shorter_after_a_failure(domain, dispatcher):
    await ActionAskRole().run(dispatcher, make_tracker(slots={"failed_attempts": {"role": 1}}), domain)
    assert texts_of(dispatcher) == [say("utter_ask_again_role")]


async def test_role_question_has_a_button_per_role(domain, dispatcher):
    await ActionAskRole().run(dispatcher, make_tracker(), domain)
    payloads = [b["payload"] for b in dispatcher.messages[0]["buttons"]]
    roles = ("participant", "parent", "mentor", "venue", "other")
    assert payloads == [f'/inform{{"role": "{role}"}}' for role in roles]


async def test_description_question_offers_the_draft(domain, dispatcher):
    tracker = make_tracker(slots={"description_draft": "не загружается тест"})
    await ActionAskDescription().run(dispatcher, tracker, domain)
    assert "«не загружается тест»" in texts_of(dispatcher)[0]
    assert buttons_of(dispatcher.messages[0]) == [{"title": "Да, так и отправить", "payload": "/affirm"}]


async def test_start_keeps_the_problem_and_the_kind_from_the_first_message(domain, dispatcher):
    text = "Здравствуйте, это возмутительно: не загружается тест, хочу оставить обращение"
    events = await ActionStartAppeal().run(dispatcher, make_tracker(text=text, intent="open_appeal"), domain)
    slots = slot_events(events)
    assert slots["request_kind"] == "complaint"
    assert "не загружается тест" in slots["description_draft"]
    uuid.UUID(slots["appeal_key"])
    assert texts_of(dispatcher) == [f"{texts.HELLO} {texts.START}"]


async def test_start_from_a_button_has_no_draft_and_keeps_an_existing_key(domain, dispatcher):
    tracker = make_tracker(text="/open_appeal", intent="open_appeal", slots={"appeal_key": "k-1"})
    slots = slot_events(await ActionStartAppeal().run(dispatcher, tracker, domain))
    assert "description_draft" not in slots
    assert "appeal_key" not in slots
    assert texts_of(dispatcher) == [texts.START]


async def test_summary_lists_every_field_in_russian(domain, dispatcher):
    events = await ActionShowSummary().run(dispatcher, make_tracker(slots=FILLED), domain)
    text = texts_of(dispatcher)[0]
    for fragment in ("Республика Татарстан", "ученик (участник)", "ivanov2011", "ivan@example.ru",
                     "технический", "жалоба", "не загружается тест"):
        assert fragment in text
    assert dispatcher.messages[0]["buttons"] == texts.SUMMARY_BUTTONS
    assert slot_events(events) == {"awaiting_confirmation": True}


async def test_correct_a_named_field(domain, dispatcher):
    tracker = make_tracker(
        slots={**FILLED, "awaiting_confirmation": True, "failed_attempts": {"email": 1, "login": 1}},
        text="исправить почту", intent="correct_field",
        entities=[{"entity": "field", "value": "email"}],
    )
    slots = slot_events(await ActionCorrectField().run(dispatcher, tracker, domain))
    assert slots["email"] is None
    assert slots["awaiting_confirmation"] is False
    assert slots["failed_attempts"] == {"login": 1}
    assert "region" not in slots
    assert texts_of(dispatcher) == [texts.WILL_CORRECT.format(field="почту")]


async def test_correct_a_field_named_only_in_words(domain, dispatcher):
    tracker = make_tracker(slots={**FILLED, "awaiting_confirmation": True}, text="нет, регион не тот", intent="deny")
    slots = slot_events(await ActionCorrectField().run(dispatcher, tracker, domain))
    assert slots["region"] is None
    assert slots["region_candidates"] is None


async def test_correct_without_a_field_offers_a_button_per_field(domain, dispatcher):
    tracker = make_tracker(
        slots={**FILLED, "awaiting_confirmation": True}, text="/correct_field", intent="correct_field"
    )
    slots = slot_events(await ActionCorrectField().run(dispatcher, tracker, domain))
    assert slots == {"awaiting_confirmation": True}
    titles = [b["title"] for b in dispatcher.messages[0]["buttons"]]
    assert titles == ["Регион", "Роль", "Логин", "Почту", "Тип вопроса", "Вид обращения", "Описание"]


# --- issue 14: the kind of request (§1.1) the bot guessed is corrected at the summary -----------

async def test_the_kind_button_offers_a_button_per_kind(domain, dispatcher):
    tracker = make_tracker(
        slots={**FILLED, "request_kind": "info_request", "awaiting_confirmation": True},
        text='/correct_field{"field": "request_kind"}', intent="correct_field",
        entities=[{"entity": "field", "value": "request_kind"}],
    )
    slots = slot_events(await ActionCorrectField().run(dispatcher, tracker, domain))
    assert slots == {"awaiting_confirmation": True}  # nothing for the form to ask: the summary waits
    assert dispatcher.messages[0]["response"] == "utter_ask_request_kind"
    titles = [b["title"] for b in buttons_of(dispatcher.messages[0])]
    assert titles == ["Жалоба", "Заявление", "Предложение", "Запрос информации"]
    payloads = [b["payload"] for b in buttons_of(dispatcher.messages[0])]
    assert payloads[0] == '/correct_field{"field": "request_kind", "request_kind": "complaint"}'


async def test_a_kind_chosen_is_set_and_the_summary_shown_again(domain, dispatcher):
    tracker = make_tracker(
        slots={**FILLED, "request_kind": "info_request", "awaiting_confirmation": True},
        text='/correct_field{"field": "request_kind", "request_kind": "complaint"}', intent="correct_field",
        entities=[{"entity": "field", "value": "request_kind"}, {"entity": "request_kind", "value": "complaint"}],
    )
    slots = slot_events(await ActionCorrectField().run(dispatcher, tracker, domain))
    assert slots == {"request_kind": "complaint", "request_kind_chosen": True, "awaiting_confirmation": True}
    said = texts_of(dispatcher)
    assert said[0] == say("utter_request_kind_set", kind="жалоба")
    assert "• Вид обращения: жалоба" in said[1]
    assert dispatcher.messages[1]["buttons"] == texts.SUMMARY_BUTTONS


@pytest.mark.parametrize(
    "text, intent, kind",
    [("нет, это жалоба", "deny", "complaint"), ("исправить вид обращения на предложение", "correct_field", "proposal"),
     ("это заявление", "correct_field", "statement")],
)
async def test_a_kind_named_in_words_at_the_summary(domain, dispatcher, text, intent, kind):
    tracker = make_tracker(slots={**FILLED, "request_kind": "info_request", "awaiting_confirmation": True},
                           text=text, intent=intent)
    slots = slot_events(await ActionCorrectField().run(dispatcher, tracker, domain))
    assert slots["request_kind"] == kind and slots["awaiting_confirmation"] is True


async def test_cancel_forgets_the_appeal(domain, dispatcher):
    tracker = make_tracker(
        slots={**FILLED, "appeal_key": "k", "awaiting_confirmation": True}, text="отмена", intent="cancel"
    )
    slots = slot_events(await ActionCancelAppeal().run(dispatcher, tracker, domain))
    for name in ("region", "role", "login", "email", "question_type", "description", "request_kind", "appeal_key"):
        assert slots[name] is None
    assert slots["awaiting_confirmation"] is False
    assert texts_of(dispatcher) == [texts.CANCELLED]


# --- issue 14: a kind typed at the summary works like its button --------------------------------

@pytest.mark.parametrize(
    "text, kind",
    # NLU reads these as open_appeal (data/rules/appeal.yml routes it at the summary to the correction).
    [("нет, это жалоба", "complaint"), ("это не вопрос, а жалоба", "complaint"), ("предложение", "proposal"),
     ("не жалоба, а предложение", "proposal"), ("это заявление, а не вопрос", "statement")],
)
async def test_a_kind_typed_at_the_summary_is_set_like_the_button(domain, dispatcher, text, kind):
    tracker = make_tracker(slots={**FILLED, "request_kind": "info_request", "awaiting_confirmation": True},
                           text=text, intent="open_appeal")
    slots = slot_events(await ActionCorrectField().run(dispatcher, tracker, domain))
    assert slots == {"request_kind": kind, "request_kind_chosen": True, "awaiting_confirmation": True}
    said = texts_of(dispatcher)
    assert said[0] == say("utter_request_kind_set", kind=KIND_LABELS[kind])
    assert f"• Вид обращения: {KIND_LABELS[kind]}" in said[1]
    assert dispatcher.messages[1]["buttons"] == texts.SUMMARY_BUTTONS


async def test_a_kind_only_denied_at_the_summary_offers_the_kinds(domain, dispatcher):
    tracker = make_tracker(slots={**FILLED, "request_kind": "complaint", "awaiting_confirmation": True},
                           text="это не жалоба", intent="open_appeal")
    slots = slot_events(await ActionCorrectField().run(dispatcher, tracker, domain))
    assert slots == {"awaiting_confirmation": True}  # still «жалоба» until the pupil picks another
    assert dispatcher.messages[0]["response"] == "utter_ask_request_kind"
    assert [b["title"] for b in buttons_of(dispatcher.messages[0])] == ["Жалоба", "Заявление", "Предложение",
                                                                      "Запрос информации"]


async def test_the_kind_the_pupil_chose_survives_a_corrected_description(domain, dispatcher):
    """«предложение» chosen, then the description corrected to «тест не грузится»: still a proposal."""
    typed = "тест не грузится уже третий день"
    slots = {**FILLED, "description": None, "request_kind": "proposal", "request_kind_chosen": True,
             "requested_slot": "description"}
    tracker = make_tracker(candidates={"description": typed}, text=typed, slots=slots, active_loop="appeal_form")
    validated = slot_events(await ValidateAppealForm(FakeTicketing()).run(dispatcher, tracker, domain))
    assert validated["description"] == typed and validated["request_kind"] == "proposal"
    # Not chosen by the pupil, the same words make the bot's guess a complaint.
    tracker = make_tracker(candidates={"description": typed}, text=typed, active_loop="appeal_form",
                           slots={**slots, "request_kind_chosen": None})
    validated = slot_events(await ValidateAppealForm(FakeTicketing()).run(dispatcher, tracker, domain))
    assert validated["request_kind"] == "complaint"


async def test_a_new_appeal_forgets_the_chosen_kind(domain, dispatcher):
    tracker = make_tracker(slots={**FILLED, "request_kind_chosen": True, "awaiting_confirmation": True},
                           text="отмена", intent="cancel")
    slots = slot_events(await ActionCancelAppeal().run(dispatcher, tracker, domain))
    assert slots["request_kind_chosen"] is None and slots["request_kind"] is None
