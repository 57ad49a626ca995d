"""The screening component (bot/nlu/screening.py) on real Rasa messages, with a fake screener
and with the real shared engine (procedure/screening) that it runs in the Rasa process."""

from __future__ import annotations

from typing import Any

from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.screening import EngineScreener, ProcedureScreening


class FakeScreener:
    def __init__(self, verdicts: dict[str, str]) -> None:
        self.verdicts = verdicts
        self.seen: list[str] = []

    def screen(self, text: str) -> dict[str, Any] | None:
        self.seen.append(text)
        if text not in self.verdicts:
            return None
        return {"verdict": self.verdicts[text], "language": "ru", "reasons": ["test"], "no_question": False}


def message(text: str, intent: str = "inform") -> Message:
    msg = Message(data={TEXT: text})
    msg.set(INTENT, {"name": intent, "confidence": 0.8})
    msg.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.8}])
    return msg


def test_flagged_messages_get_the_screen_intent_and_every_verdict_is_recorded() -> None:
    screener = FakeScreener({"вы идиоты": "abusive", "Hello": "foreign_language", "привет": "ok"})
    component = ProcedureScreening(ProcedureScreening.get_default_config(), screener)
    abusive, foreign, clean = message("вы идиоты"), message("Hello"), message("привет", "greet")
    component.process([abusive, foreign, clean])
    assert abusive.get(INTENT)["name"] == "screen_abusive"
    assert abusive.get(INTENT_RANKING_KEY)[0]["name"] == "screen_abusive"
    assert foreign.get(INTENT)["name"] == "screen_foreign_language"
    assert clean.get(INTENT)["name"] == "greet"
    assert [e["value"] for e in clean.get(ENTITIES) if e["entity"] == "screening_verdict"] == ["ok"]


def test_button_payloads_are_not_screened_and_failures_pass() -> None:
    screener = FakeScreener({})
    component = ProcedureScreening(ProcedureScreening.get_default_config(), screener)
    payload, unknown = message("/open_appeal", "open_appeal"), message("что-то")
    component.process([payload, unknown])
    assert screener.seen == ["что-то"]
    assert unknown.get(INTENT)["name"] == "inform" and not unknown.get(ENTITIES)


def test_the_real_engine_screens_in_process_with_no_ticketing_service() -> None:
    # No TICKETING_URL, nothing listening: the verdicts come from the shared engine itself.
    component = ProcedureScreening(ProcedureScreening.get_default_config())
    threat, foreign, clean = component.process(
        [
            message("я взорву школу"),
            message("Hello, I cannot log in to my account, please help"),
            message("не могу войти"),
        ]
    )
    assert threat.get(INTENT)["name"] == "screen_threat"
    assert foreign.get(INTENT)["name"] == "screen_foreign_language"
    assert clean.get(INTENT)["name"] == "inform"
    assert [e["value"] for e in clean.get(ENTITIES) if e["entity"] == "screening_verdict"] == ["ok"]


def test_the_engine_is_loaded_once_per_process() -> None:
    assert EngineScreener()._engine is EngineScreener()._engine


def test_no_concrete_question_asks_for_it_but_keeps_greetings_and_answers() -> None:
    class NoQuestion(FakeScreener):
        def screen(self, text: str) -> dict[str, Any] | None:
            return {"verdict": "ok", "language": "ru", "reasons": [], "no_question": True}

    component = ProcedureScreening(ProcedureScreening.get_default_config(), NoQuestion({}))
    help_me, greeting, answer = message("помогите", "open_appeal"), message("привет", "greet"), message("да", "affirm")
    component.process([help_me, greeting, answer])
    assert help_me.get(INTENT)["name"] == "screen_no_question"
    assert greeting.get(INTENT)["name"] == "greet"
    assert answer.get(INTENT)["name"] == "affirm"
