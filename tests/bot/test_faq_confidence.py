"""ScenarioFallback (bot/nlu/faq_confidence.py): an unsure scenario choice becomes nlu_fallback."""

from __future__ import annotations

from rasa.nlu.classifiers.fallback_classifier import undo_fallback_prediction
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.faq_confidence import ScenarioFallback


def parsed(intent: str, *ranking: tuple[str, float]) -> Message:
    msg = Message(data={TEXT: "вопрос"})
    msg.set(INTENT, {"name": intent, "confidence": 0.9})
    msg.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.9}, {"name": "open_appeal", "confidence": 0.05}])
    items = [{"intent_response_key": f"faq/{key}", "confidence": c} for key, c in ranking]
    msg.set("response_selector", {"faq": {"response": items[0] if items else {}, "ranking": items}})
    return msg


def run(*messages: Message) -> list[Message]:
    return ScenarioFallback(ScenarioFallback.get_default_config()).process(list(messages))


def test_a_sure_choice_is_left_alone() -> None:
    (msg,) = run(parsed("faq", ("forgot_password", 0.92), ("confirmation_email", 0.03)))
    assert msg.get(INTENT)["name"] == "faq"


def test_low_confidence_becomes_fallback_and_keeps_the_selector_output() -> None:
    (msg,) = run(parsed("faq", ("forgot_password", 0.41), ("cost", 0.1)))
    assert msg.get(INTENT) == {"name": "nlu_fallback", "confidence": 0.41}
    assert msg.get(INTENT_RANKING_KEY)[1]["name"] == "faq"
    assert msg.get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/forgot_password"


def test_two_close_scenarios_become_fallback() -> None:
    (msg,) = run(parsed("faq", ("forgot_password", 0.55), ("confirmation_email", 0.5)))
    assert msg.get(INTENT)["name"] == "nlu_fallback"


def test_other_intents_are_not_touched() -> None:
    (msg,) = run(parsed("open_appeal", ("forgot_password", 0.2), ("cost", 0.19)))
    assert msg.get(INTENT)["name"] == "open_appeal"


def test_rasa_evaluation_undoes_it_like_the_fallback_classifier() -> None:
    (msg,) = run(parsed("faq", ("forgot_password", 0.3), ("cost", 0.2)))
    undone = undo_fallback_prediction({INTENT: msg.get(INTENT), INTENT_RANKING_KEY: msg.get(INTENT_RANKING_KEY)})
    assert undone[INTENT]["name"] == "faq"
