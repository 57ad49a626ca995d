"""Low confidence, in two stages: «Возможно, вы имели в виду…», then the offer to write to line 1.

Stage 1 (``action_suggest_topics``): the two or three scenario keys the ResponseSelector ranks
highest become buttons with their Russian titles (``/faq{"faq_key": ...}``), plus «Ничего из
этого». Stage 2 (``action_offer_line1``): after «Ничего из этого» or a second unclear message,
the user is offered to write to line 1; the «Написать в поддержку» button opens the form with
the unclear question as the draft description (actions/appeal_start.py).

Rasa's built-in ``action_two_stage_fallback`` is not used: its buttons can only carry intents,
not the ``faq/<key>`` the ResponseSelector ranks, and its second stage asks to rephrase in a
loop where §4.4 wants the question handed to people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing, texts
from actions.catalogue import catalogue
from actions.common import latest_text

RETRIEVAL_INTENT = "faq"
MAX_SUGGESTIONS = 3
MIN_SUGGESTIONS = 2
# A third suggestion is shown only if it is at least this likely.
MIN_SUGGESTION_CONFIDENCE = 0.05
QUESTION_LIMIT = 500


@dataclass(frozen=True)
class FaqPrediction:
    """The ResponseSelector's view of the last message: best key and the ranking (key, confidence)."""

    key: str | None = None
    confidence: float = 0.0
    ranking: list[tuple[str, float]] = field(default_factory=list)


def _key_of(intent_response_key: Any) -> str | None:
    """``faq/test_not_loading`` → ``test_not_loading``."""
    if not isinstance(intent_response_key, str) or "/" not in intent_response_key:
        return None
    prefix, _, key = intent_response_key.partition("/")
    return key if prefix == RETRIEVAL_INTENT and key else None


def faq_prediction(tracker: Tracker) -> FaqPrediction:
    """Reads ``response_selector.faq`` of the latest message (also present on ``nlu_fallback``)."""
    selector = tracker.latest_message.get("response_selector") or {}
    result = selector.get(RETRIEVAL_INTENT) or selector.get("default") or {}
    ranking: list[tuple[str, float]] = []
    for item in result.get("ranking") or []:
        key = _key_of(item.get("intent_response_key"))
        if key:
            ranking.append((key, float(item.get("confidence") or 0.0)))
    response = result.get("response") or {}
    key = _key_of(response.get("intent_response_key"))
    if key is None and ranking:
        key = ranking[0][0]
    confidence = float(response.get("confidence") or (ranking[0][1] if ranking else 0.0))
    return FaqPrediction(key, confidence, ranking)


def likely_topics(prediction: FaqPrediction) -> list[tuple[str, str]]:
    """Two or three (key, Russian title) pairs to suggest, most likely first."""
    known = catalogue().topics
    ranked = [(key, confidence) for key, confidence in prediction.ranking if key in known]
    chosen = [
        key for i, (key, confidence) in enumerate(ranked[:MAX_SUGGESTIONS])
        if i < MIN_SUGGESTIONS or confidence >= MIN_SUGGESTION_CONFIDENCE
    ]
    return [(key, catalogue().title(key)) for key in chosen]


def _question(tracker: Tracker) -> str | None:
    text = latest_text(tracker).strip()
    return None if not text or parsing.is_payload(text) else text[:QUESTION_LIMIT]


def offer_line1(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """Stage 2: the offer to write to line 1; the unclear words are kept for the draft."""
    dispatcher.utter_message(text=texts.OFFER_LINE1, buttons=texts.OFFER_LINE1_BUTTONS)
    earlier, now = tracker.get_slot("last_question"), _question(tracker)
    if earlier and now and now.casefold() != earlier.casefold():
        question: str | None = f"{earlier.rstrip('.!? ')}. {now}"[:QUESTION_LIMIT]
    else:
        question = now or earlier
    return [SlotSet("awaiting_reply", None), SlotSet("last_question", question)]


def suggest_topics(dispatcher: CollectingDispatcher, tracker: Tracker, prediction: FaqPrediction) -> list[EventType]:
    """Stage 1: «Возможно, вы имели в виду…» with the likely topics; stage 2 if there are none."""
    topics = likely_topics(prediction)
    question = _question(tracker)
    if not topics:
        dispatcher.utter_message(text=texts.OFFER_LINE1, buttons=texts.OFFER_LINE1_BUTTONS)
        return [SlotSet("awaiting_reply", None), SlotSet("last_question", question)]
    dispatcher.utter_message(text=texts.SUGGEST_TOPICS, buttons=[*texts.topic_buttons(topics), texts.NONE_OF_THESE])
    return [SlotSet("awaiting_reply", "topic_choice"), SlotSet("last_question", question)]


class ActionSuggestTopics(Action):
    """``nlu_fallback``: the likely scenario topics as buttons (stage 1)."""

    def name(self) -> str:
        return "action_suggest_topics"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return suggest_topics(dispatcher, tracker, faq_prediction(tracker))


class ActionOfferLine1(Action):
    """Still unclear after the suggestions: offer to write to line 1 (stage 2)."""

    def name(self) -> str:
        return "action_offer_line1"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return offer_line1(dispatcher, tracker)
