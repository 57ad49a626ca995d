"""Low confidence in two stages, and the regional operator's contacts from the directory."""

import pytest

from actions import texts
from actions.appeal_start import ActionStartAppeal
from actions.fallback import ActionOfferLine1, ActionSuggestTopics, faq_prediction
from actions.faq_answers import ActionAfterFaq
from actions.operator_contacts import ActionOperatorContacts
from tests.actions.ticketing_fakes import FakeTicketing
from tests.actions.tracker_helpers import make_tracker, selector_output, slot_events, texts_of

pytestmark = pytest.mark.asyncio

UNSURE = selector_output(
    ("forgot_password", 0.41), ("confirmation_email", 0.38), ("change_profile", 0.12), ("cost", 0.01)
)


async def test_suggestions_are_the_likely_topics_with_russian_titles(domain, dispatcher):
    tracker = make_tracker(text="не могу попасть в лк письмо не идет", intent="nlu_fallback", selector=UNSURE)
    slots = slot_events(await ActionSuggestTopics().run(dispatcher, tracker, domain))
    message = dispatcher.messages[0]
    assert message["text"] == texts.SUGGEST_TOPICS
    titles = [b["title"] for b in message["buttons"]]
    assert titles == [
        "Забыли пароль или не получается войти",
        "Не пришло письмо с подтверждением почты",
        "Как изменить данные в профиле?",
        "Ничего из этого",
    ]
    assert message["buttons"][0]["payload"] == '/choose_topic{"faq_key": "forgot_password"}'
    assert message["buttons"][-1]["payload"] == "/deny"
    assert slots == {"awaiting_reply": "topic_choice", "last_question": "не могу попасть в лк письмо не идет"}


async def test_an_unlikely_third_topic_is_left_out(domain, dispatcher):
    selector = selector_output(("cost", 0.6), ("certificate", 0.3), ("mentor", 0.01))
    tracker = make_tracker(text="а деньги", intent="nlu_fallback", selector=selector)
    await ActionSuggestTopics().run(dispatcher, tracker, domain)
    assert len(dispatcher.messages[0]["buttons"]) == 3  # two topics and «Ничего из этого»


async def test_without_any_ranking_the_offer_of_line1_comes_at_once(domain, dispatcher):
    tracker = make_tracker(text="ыыы", intent="nlu_fallback")
    slots = slot_events(await ActionSuggestTopics().run(dispatcher, tracker, domain))
    assert texts_of(dispatcher) == [texts.OFFER_LINE1]
    assert slots["awaiting_reply"] is None


async def test_second_stage_offers_line1_and_keeps_both_questions(domain, dispatcher):
    tracker = make_tracker(
        text="ну мне в кабинет не зайти",
        intent="nlu_fallback",
        slots={"awaiting_reply": "topic_choice", "last_question": "не могу попасть в лк"},
    )
    slots = slot_events(await ActionOfferLine1().run(dispatcher, tracker, domain))
    assert texts_of(dispatcher) == [texts.OFFER_LINE1]
    assert dispatcher.messages[0]["buttons"] == texts.OFFER_LINE1_BUTTONS
    assert slots == {"awaiting_reply": None, "last_question": "не могу попасть в лк. ну мне в кабинет не зайти"}


async def test_none_of_these_keeps_the_first_question(domain, dispatcher):
    tracker = make_tracker(
        text="/deny", intent="deny", slots={"awaiting_reply": "topic_choice", "last_question": "не могу попасть в лк"}
    )
    slots = slot_events(await ActionOfferLine1().run(dispatcher, tracker, domain))
    assert slots["last_question"] == "не могу попасть в лк"


async def test_write_to_support_button_drafts_the_unclear_question(domain, dispatcher):
    history = [
        {"event": "user", "text": "не могу попасть в лк", "timestamp": 1.0},
        {"event": "action", "name": "action_suggest_topics", "timestamp": 1.1},
        {"event": "action", "name": "action_listen", "timestamp": 1.2},
        {"event": "user", "text": "/deny", "timestamp": 2.0},
        {"event": "action", "name": "action_offer_line1", "timestamp": 2.1},
        {"event": "action", "name": "action_listen", "timestamp": 2.2},
    ]
    tracker = make_tracker(
        text="/open_appeal", intent="open_appeal", history=history, slots={"last_question": "не могу попасть в лк"}
    )
    slots = slot_events(await ActionStartAppeal().run(dispatcher, tracker, domain))
    assert slots["description_draft"] == "не могу попасть в лк"


async def test_an_old_question_is_not_drafted_from_the_greeting_button(domain, dispatcher):
    history = [{"event": "action", "name": "utter_greet", "timestamp": 1.0}]
    tracker = make_tracker(
        text="/open_appeal", intent="open_appeal", history=history, slots={"last_question": "сколько стоит"}
    )
    slots = slot_events(await ActionStartAppeal().run(dispatcher, tracker, domain))
    assert "description_draft" not in slots


def test_prediction_is_read_from_the_response_selector():
    tracker = make_tracker(text="?", intent="faq", selector=UNSURE)
    prediction = faq_prediction(tracker)
    assert (prediction.key, prediction.confidence) == ("forgot_password", 0.41)
    assert prediction.ranking[1] == ("confirmation_email", 0.38)


# --- the regional operator's contacts ----------------------------------------------------


def operator_question(text: str, **kwargs):
    selector = selector_output(("regional_operator_contacts", 0.95))
    return make_tracker(text=text, intent="faq", selector=selector, **kwargs)


async def test_contacts_of_the_region_named_in_the_question(domain, dispatcher):
    client = FakeTicketing()
    tracker = operator_question("дайте контакты оператора в татарстане")
    slots = slot_events(await ActionAfterFaq(client).run(dispatcher, tracker, domain))
    text = texts_of(dispatcher)[0]
    assert "ГАУ ДО «Центр профориентации»" in text and "anna@center.ru" in text and "+7 843 111-22-33" in text
    assert client.operator_queries == ["Республика Татарстан"]
    assert slots["region"] == "Республика Татарстан" and slots["awaiting_reply"] is None


async def test_contacts_of_the_region_already_known(domain, dispatcher):
    client = FakeTicketing()
    tracker = operator_question("кто региональный оператор", slots={"region": "Республика Татарстан"})
    await ActionAfterFaq(client).run(dispatcher, tracker, domain)
    assert "anna@center.ru" in texts_of(dispatcher)[0]


async def test_unknown_region_is_asked_then_resolved(domain, dispatcher):
    client = FakeTicketing()
    slots = slot_events(await ActionAfterFaq(client).run(dispatcher, operator_question("контакты оператора"), domain))
    assert texts_of(dispatcher) == [texts.OPERATOR_ASK_REGION]
    assert slots["awaiting_reply"] == "operator_region" and client.operator_queries == []

    dispatcher.messages.clear()
    answer = make_tracker(text="Казань", intent="inform", slots={"awaiting_reply": "operator_region"})
    slots = slot_events(await ActionOperatorContacts(client).run(dispatcher, answer, domain))
    assert "anna@center.ru" in texts_of(dispatcher)[0]
    assert slots["region"] == "Республика Татарстан" and slots["awaiting_reply"] is None


async def test_region_without_an_entry_says_so_and_offers_support(domain, dispatcher):
    answer = make_tracker(text="ХМАО", intent="inform", slots={"awaiting_reply": "operator_region"})
    slots = slot_events(await ActionOperatorContacts(FakeTicketing()).run(dispatcher, answer, domain))
    assert texts_of(dispatcher) == [texts.OPERATOR_NOT_FOUND.format(region="Ханты-Мансийский автономный округ — Югра")]
    assert dispatcher.messages[0]["buttons"] == texts.OFFER_LINE1_BUTTONS
    assert slots["awaiting_reply"] is None


async def test_ambiguous_region_gets_buttons_and_a_button_gets_the_contacts(domain, dispatcher):
    client = FakeTicketing()
    client.operators["Новгородская область"] = {
        "region": "Новгородская область", "organisation": "Центр «Навигатор»", "contact_person": "Петрова Ольга",
        "email": "novgorod@navigator.ru", "phone": "+7 8162 11-22-33", "is_sample": False,
    }
    answer = make_tracker(text="Новгород", intent="inform", slots={"awaiting_reply": "operator_region"})
    slots = slot_events(await ActionOperatorContacts(client).run(dispatcher, answer, domain))
    assert [b["title"] for b in dispatcher.messages[0]["buttons"]] == ["Нижегородская область", "Новгородская область"]
    assert slots == {"awaiting_reply": "operator_region"}

    dispatcher.messages.clear()
    button = make_tracker(
        text='/inform{"region": "Новгородская область"}', intent="inform",
        entities=[{"entity": "region", "value": "Новгородская область"}], slots={"awaiting_reply": "operator_region"},
    )
    await ActionOperatorContacts(client).run(dispatcher, button, domain)
    assert "novgorod@navigator.ru" in texts_of(dispatcher)[0]


async def test_a_region_with_only_sample_contacts_is_passed_on_by_line1(domain, dispatcher):
    """The service answers 404 for a sample row: the pupil hears who will pass the question on, not «(пример)»."""
    client = FakeTicketing()
    client.operators["Пермский край"] = {
        "region": "Пермский край", "organisation": "«Краевой центр» (пример)", "contact_person": "Лунёв (пример)",
        "email": "bvb-perm@example.ru", "phone": "+7 (342) 000-00-59", "is_sample": True,
    }
    tracker = operator_question("дайте контакты регионального оператора", slots={"region": "Пермский край"})
    slots = slot_events(await ActionAfterFaq(client).run(dispatcher, tracker, domain))
    text = texts_of(dispatcher)[0]
    assert text == texts.OPERATOR_NOT_FOUND.format(region="Пермский край")
    assert "передадут его региональному оператору" in text
    assert "example.ru" not in text and "пример" not in text and "000-00" not in text
    assert dispatcher.messages[0]["buttons"] == texts.OFFER_LINE1_BUTTONS
    assert slots["region"] == "Пермский край" and slots["awaiting_reply"] is None


async def test_two_unclear_regions_hand_over_to_support(domain, dispatcher):
    client = FakeTicketing()
    first = make_tracker(text="Атлантида", intent="inform", slots={"awaiting_reply": "operator_region"})
    slots = slot_events(await ActionOperatorContacts(client).run(dispatcher, first, domain))
    assert texts_of(dispatcher) == [texts.OPERATOR_REGION_UNKNOWN]
    assert slots["awaiting_reply"] == "operator_region"

    dispatcher.messages.clear()
    second = make_tracker(
        text="Нарния", intent="nlu_fallback",
        slots={"awaiting_reply": "operator_region", "failed_attempts": slots["failed_attempts"]},
    )
    slots = slot_events(await ActionOperatorContacts(client).run(dispatcher, second, domain))
    assert texts_of(dispatcher) == [texts.OPERATOR_GIVE_UP]
    assert slots["awaiting_reply"] is None and slots["failed_attempts"] == {}


async def test_directory_down_falls_back_to_the_general_text(domain, dispatcher):
    answer = make_tracker(text="Татарстан", intent="inform", slots={"awaiting_reply": "operator_region"})
    slots = slot_events(await ActionOperatorContacts(FakeTicketing(down_for=5)).run(dispatcher, answer, domain))
    assert dispatcher.messages[0]["response"] == "utter_faq/regional_operator_contacts"
    assert slots == {"awaiting_reply": None}


async def test_directory_down_after_utter_faq_does_not_repeat_it(domain, dispatcher):
    tracker = operator_question("контакты оператора в татарстане")
    await ActionAfterFaq(FakeTicketing(down_for=5)).run(dispatcher, tracker, domain)
    assert dispatcher.messages == []


def test_a_scenario_added_while_the_action_server_runs_is_known(tmp_path, monkeypatch):
    """make publish does not restart the action server: a new key's title and mark arrive by themselves."""
    import os

    from actions.catalogue import catalogue

    themes = tmp_path / "faq_themes.yml"
    themes.write_text("themes:\n  - title: О проекте\n    questions:\n      - key: cost\n        title: Цена\n",
                      encoding="utf-8")
    monkeypatch.setenv("FAQ_THEMES_PATH", str(themes))
    assert catalogue().title("cost") == "Цена" and "support_hours" not in catalogue().topics
    themes.write_text(
        themes.read_text(encoding="utf-8")
        + "      - key: support_hours\n        title: Когда работает поддержка?\n        instruction: true\n",
        encoding="utf-8",
    )
    stat = themes.stat()
    os.utime(themes, (stat.st_atime, stat.st_mtime + 1))  # a coarse file-system clock must not hide the edit
    assert catalogue().title("support_hours") == "Когда работает поддержка?"
    assert catalogue().is_instruction("support_hours")


def test_the_bot_titles_follow_the_published_content_not_the_saved_file(tmp_path, monkeypatch):
    """Issue 14: an edit saved with a YAML slip changes nothing until make publish; then the new title shows."""
    from actions.catalogue import catalogue
    from procedure import published

    project = tmp_path / "project"
    themes = project / "content" / "faq_themes.yml"
    themes.parent.mkdir(parents=True)
    (project / "domain.yml").write_text("version: '3.1'\n", encoding="utf-8")
    themes.write_text("themes:\n  - title: О проекте\n    questions:\n      - key: cost\n        title: Цена\n",
                      encoding="utf-8")
    published.publish(project, tmp_path / "published", lambda path: None)
    monkeypatch.delenv("FAQ_THEMES_PATH", raising=False)
    monkeypatch.setenv("PUBLISHED_CONTENT", str(tmp_path / "published"))
    assert catalogue().title("cost") == "Цена"
    themes.write_text("themes:\n  - title: О проекте\n    questions:\n      - key: cost\n        title: \"Сколько\n",
                      encoding="utf-8")  # saved, not published, and broken: the quote is never closed
    assert catalogue().title("cost") == "Цена"
    themes.write_text(themes.read_text(encoding="utf-8").replace('"Сколько', "Сколько стоит?"), encoding="utf-8")
    published.publish(project, tmp_path / "published", lambda path: None)
    assert catalogue().title("cost") == "Сколько стоит?"
    monkeypatch.setenv("PUBLISHED_CONTENT", str(tmp_path / "nothing-published-yet"))
    assert "forgot_password" in catalogue().topics  # before any publish: the working copy, the repository's file
