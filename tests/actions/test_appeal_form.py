"""validate_appeal_form: each slot good, bad, ambiguous; two failures → the offer."""

import pytest

from actions.appeal_form import ValidateAppealForm
from actions.form_off_topic import ActionOutOfScopeInForm
from tests.actions.ticketing_fakes import FakeTicketing
from tests.actions.tracker_helpers import buttons_of, make_tracker, say, slot_events, texts_of

pytestmark = pytest.mark.asyncio


async def validate(domain, dispatcher, candidates, client=None, **tracker_args):
    tracker_args.setdefault("slots", {})
    if candidates:
        tracker_args["slots"].setdefault("requested_slot", next(iter(candidates)))
    tracker = make_tracker(candidates=candidates, active_loop="appeal_form", **tracker_args)
    events = await ValidateAppealForm(client or FakeTicketing()).run(dispatcher, tracker, domain)
    return slot_events(events)


@pytest.mark.parametrize(
    "typed, official",
    [
        ("Татарстан", "Республика Татарстан"),
        ("из Свердловской обл.", "Свердловская область"),
        ("ХМАО", "Ханты-Мансийский автономный округ — Югра"),
        ("Питер", "г. Санкт-Петербург"),
        ("Казань", "Республика Татарстан"),
    ],
)
async def test_region_is_resolved_to_its_official_name(domain, dispatcher, typed, official):
    slots = await validate(domain, dispatcher, {"region": typed}, text=typed)
    assert slots["region"] == official
    assert dispatcher.messages == []


async def test_ambiguous_region_keeps_candidates_for_buttons_without_penalty(domain, dispatcher):
    slots = await validate(domain, dispatcher, {"region": "Новгород"}, text="Новгород")
    assert slots["region"] is None
    assert slots["region_candidates"] == ["Нижегородская область", "Новгородская область"]
    assert "failed_attempts" not in slots


async def test_unknown_region_is_rejected_with_a_reason(domain, dispatcher):
    slots = await validate(domain, dispatcher, {"region": "Атлантида"}, text="Атлантида")
    assert slots["region"] is None
    assert slots["failed_attempts"] == {"region": 1}
    assert texts_of(dispatcher) == [say("utter_invalid_region")]
    assert dispatcher.messages[0]["buttons"] == []


# --- issue 14: words that answer none of the form's questions get a way on ----------------------

async def test_a_problem_told_at_the_region_is_kept_and_no_failure(domain, dispatcher):
    slots = await validate(domain, dispatcher, {"region": "ничего не работает"}, text="ничего не работает")
    assert slots["region"] is None
    assert "failed_attempts" not in slots and slots["asked_again"] is None  # the full question again
    assert slots["description_draft"] == "ничего не работает"  # offered back at the description
    assert texts_of(dispatcher) == [say("utter_form_problem_noted")]
    assert say("utter_invalid_region") not in texts_of(dispatcher)


async def test_a_problem_told_at_the_region_keeps_an_earlier_draft(domain, dispatcher):
    slots = await validate(
        domain, dispatcher, {"region": "ничего не работает"}, text="ничего не работает",
        slots={"description_draft": "не грузится тест"},
    )
    assert "description_draft" not in slots


@pytest.mark.parametrize("slot", ["region", "role", "login", "email", "description"])
async def test_a_plea_for_help_anywhere_in_the_form_says_a_person_will_read_it(domain, dispatcher, slot):
    slots = await validate(domain, dispatcher, {slot: "помогитеее!!!"}, text="помогитеее!!!")
    assert slots[slot] is None and "failed_attempts" not in slots
    assert texts_of(dispatcher) == [say("utter_form_help_is_coming")]


async def test_a_problem_at_the_description_is_the_description(domain, dispatcher):
    slots = await validate(domain, dispatcher, {"description": "ничего не работает"}, text="ничего не работает")
    assert slots["description"] == "ничего не работает"
    assert slots["request_kind"] == "complaint"


async def test_second_failure_explains_and_offers_to_leave(domain, dispatcher):
    slots = await validate(
        domain, dispatcher, {"region": "Атлантида"}, text="Атлантида",
        slots={"failed_attempts": {"region": 1}},
    )
    assert slots["failed_attempts"] == {"region": 2}
    message = dispatcher.messages[0]
    # One message: what was wrong, why the region is needed, and the way out.
    assert message["text"] == f'{say("utter_invalid_region")} {say("utter_explain_region")}'
    assert "Если не хотите продолжать, нажмите «Отменить обращение»." in message["text"]
    assert message["buttons"] == [{"title": "Отменить обращение", "payload": "/cancel"}]


async def test_success_clears_the_failures_of_that_slot_only(domain, dispatcher):
    slots = await validate(
        domain, dispatcher, {"region": "Татарстан"}, text="Татарстан",
        slots={"failed_attempts": {"region": 2, "email": 1}},
    )
    assert slots["failed_attempts"] == {"email": 1}


async def test_region_is_kept_as_typed_when_the_resolver_is_down(domain, dispatcher):
    slots = await validate(domain, dispatcher, {"region": "Татарстан"}, client=FakeTicketing(down_for=2))
    assert slots["region"] == "Татарстан"


@pytest.mark.parametrize("typed, role", [("participant", "participant"), ("я мама", "parent"), ("учитель", "mentor")])
async def test_role_from_buttons_and_free_text(domain, dispatcher, typed, role):
    slots = await validate(domain, dispatcher, {"role": typed}, text=typed)
    assert slots["role"] == role


async def test_unknown_role_is_rejected(domain, dispatcher):
    slots = await validate(domain, dispatcher, {"role": "космонавт"}, text="космонавт")
    assert slots["role"] is None
    assert texts_of(dispatcher) == [say("utter_invalid_role")]


async def test_login_unknown_is_accepted_with_reassurance(domain, dispatcher):
    slots = await validate(domain, dispatcher, {"login": "не помню"}, text="не помню")
    assert slots["login"] == "не указан"
    assert texts_of(dispatcher) == [say("utter_login_unknown_ok")]


async def test_login_with_spaces_is_rejected(domain, dispatcher):
    slots = await validate(domain, dispatcher, {"login": "меня зовут иван"}, text="меня зовут иван")
    assert slots["login"] is None


async def test_email_good(domain, dispatcher):
    slots = await validate(domain, dispatcher, {"email": "Ivan@Example.ru"}, text="Ivan@Example.ru")
    assert slots["email"] == "ivan@example.ru"


@pytest.mark.parametrize(
    "typed, reason",
    [
        ("не скажу", say("utter_invalid_email_missing")),
        ("иван@mail.ru", say("utter_invalid_email_cyrillic")),
        ("ivan@mail", say("utter_invalid_email_invalid")),
    ],
)
async def test_email_bad_says_what_is_wrong(domain, dispatcher, typed, reason):
    slots = await validate(domain, dispatcher, {"email": typed}, text=typed)
    assert slots["email"] is None
    assert texts_of(dispatcher) == [reason]


async def test_a_refused_answer_asks_the_question_again_in_short_and_an_accepted_one_stops(domain, dispatcher):
    refused = await validate(domain, dispatcher, {"email": "ivan@mail"}, text="ivan@mail")
    assert refused["asked_again"] == "email"  # Rasa then says the shorter variation of utter_ask_email
    accepted = await validate(domain, dispatcher, {"email": "ivan@mail.ru"}, text="ivan@mail.ru", slots=refused)
    assert accepted["asked_again"] is None


async def test_email_typo_suggests_the_address(domain, dispatcher):
    await validate(domain, dispatcher, {"email": "masha@gmial.com"}, text="masha@gmial.com")
    assert "masha@gmail.com" in texts_of(dispatcher)[0]


async def test_email_noticed_while_asking_something_else_is_dropped_silently(domain, dispatcher):
    slots = await validate(
        domain, dispatcher, {"email": "masha@gmial.com"}, text="masha@gmial.com", slots={"requested_slot": "login"}
    )
    assert slots["email"] is None
    assert dispatcher.messages == []


@pytest.mark.parametrize(
    "typed, expected", [("technical", "technical"), ("не грузится", "technical"), ("ошибка", "technical"),
                        ("хочу узнать", "informational")]
)
async def test_question_type(domain, dispatcher, typed, expected):
    slots = await validate(domain, dispatcher, {"question_type": typed}, text=typed)
    assert slots["question_type"] == expected


async def test_question_type_unclear(domain, dispatcher):
    slots = await validate(domain, dispatcher, {"question_type": "ну такое"}, text="ну такое")
    assert slots["question_type"] is None


async def test_description_refines_the_kind_of_request(domain, dispatcher):
    typed = "предлагаю добавить тёмную тему"
    slots = await validate(
        domain, dispatcher, {"description": typed}, text=typed, slots={"request_kind": "info_request"}
    )
    assert slots["description"] == typed
    assert slots["request_kind"] == "proposal"


async def test_description_keeps_a_stronger_kind_from_the_first_message(domain, dispatcher):
    slots = await validate(
        domain, dispatcher, {"description": "не грузится тест"}, text="не грузится тест",
        slots={"request_kind": "complaint"},
    )
    assert slots["request_kind"] == "complaint"


async def test_description_draft_accepted_with_yes(domain, dispatcher):
    slots = await validate(
        domain, dispatcher, {"description": "/affirm"}, text="/affirm", intent="affirm",
        slots={"description_draft": "не загружается тест"},
    )
    assert slots["description"] == "не загружается тест"


async def test_details_after_the_draft_are_added_to_it(domain, dispatcher):
    typed = "после второго вопроса белый экран"
    slots = await validate(
        domain, dispatcher, {"description": typed}, text=typed,
        slots={"description_draft": "не загружается тест", "requested_slot": "description"},
    )
    assert slots["description"] == "не загружается тест. после второго вопроса белый экран"


async def test_description_draft_declined_asks_for_own_words_without_penalty(domain, dispatcher):
    slots = await validate(
        domain, dispatcher, {"description": "нет"}, text="нет", intent="deny",
        slots={"description_draft": "не загружается тест"},
    )
    assert slots["description"] is None
    assert slots["description_draft"] is None
    assert "failed_attempts" not in slots
    assert texts_of(dispatcher) == [say("utter_draft_declined")]


async def test_description_too_short(domain, dispatcher):
    slots = await validate(domain, dispatcher, {"description": "да"}, text="да", intent="affirm")
    assert slots["description"] is None
    assert slots["failed_attempts"] == {"description": 1}


@pytest.mark.parametrize("typed, intent", [("Казань", "goodbye"), ("привет, я из казани", "greet")])
async def test_region_taken_for_small_talk_is_rescued(domain, dispatcher, typed, intent):
    # The form's mappings skip digressions, so no candidate arrives: extraction finds it.
    slots = await validate(domain, dispatcher, {}, text=typed, intent=intent, slots={"requested_slot": "region"})
    assert slots["region"] == "Республика Татарстан"


@pytest.mark.parametrize(
    "typed, intent, slot",
    [
        ("пока", "goodbye", "region"),
        ("какая погода в казани", "out_of_scope", "region"),
        ("Казань", "cancel", "region"),
        ("Казань", "goodbye", "email"),
        ("спасибо", "thanks", "role"),
    ],
)
async def test_real_small_talk_is_left_to_the_rules(domain, dispatcher, typed, intent, slot):
    slots = await validate(domain, dispatcher, {}, text=typed, intent=intent, slots={"requested_slot": slot})
    assert slots.get("region") is None and slots.get("role") is None


async def test_role_taken_for_a_greeting_is_rescued(domain, dispatcher):
    slots = await validate(
        domain, dispatcher, {}, text="привет, я мама", intent="greet", slots={"requested_slot": "role"}
    )
    assert slots["role"] == "parent"


@pytest.mark.parametrize(
    "text, response, buttons",
    [
        ("помогитеее!!!", "utter_form_help_is_coming", []),
        ("какая сегодня погода", "utter_out_of_scope_in_form", ["/cancel"]),
    ],
)
async def test_out_of_scope_inside_the_form_is_no_dead_end(domain, dispatcher, text, response, buttons):
    """Issue 14: «С этим я не помогу» with no way to a person is gone; the form's question follows (rules)."""
    tracker = make_tracker(text=text, intent="out_of_scope", active_loop="appeal_form",
                           slots={"requested_slot": "region"})
    await ActionOutOfScopeInForm().run(dispatcher, tracker, domain)
    (message,) = dispatcher.messages
    assert message["response"] == response
    assert [b["payload"] for b in buttons_of(message)] == buttons
    assert "С этим я не помогу" not in texts_of(dispatcher)[0]


async def test_out_of_scope_outside_the_form_offers_a_person(domain):
    (variation,) = domain["responses"]["utter_out_of_scope"]
    assert [b["payload"] for b in variation["buttons"]] == ["/open_appeal", "/ticket_status"]
