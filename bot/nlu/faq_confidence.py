"""Low confidence of the scenario choice becomes ``nlu_fallback``, like low intent confidence.

Rasa's ``FallbackClassifier`` only looks at intents: «faq» can be certain while the
ResponseSelector hesitates between two scenarios (``forgot_password`` 0.41, ``confirmation_email``
0.38). Answering then would be a coin toss, so this component does for the scenario what the
FallbackClassifier does for the intent: below ``threshold``, or with the runner-up closer than
``ambiguity_threshold``, the intent becomes ``nlu_fallback`` and the bot offers the likely topics
instead (actions/fallback.py). The ResponseSelector's own output is left as it is, so
``/model/parse`` still reports the key it would have chosen, and ``rasa test nlu`` undoes the
fallback the same way it undoes the FallbackClassifier's (the fallback is first in the ranking).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

logger = logging.getLogger(__name__)

RESPONSE_SELECTOR = "response_selector"


def unsure(best: float, second: float, threshold: float, margin: float) -> bool:
    """Below the threshold, or the runner-up within the margin: the rule of both fallbacks (Rasa's and ours)."""
    return best < threshold or best - second < margin


def scenario_confidences(message: Message, retrieval_intent: str) -> tuple[float, float] | None:
    """The ResponseSelector's best and second-best confidence, or None if it said nothing."""
    selector = (message.get(RESPONSE_SELECTOR) or {}).get(retrieval_intent) or {}
    ranking = selector.get("ranking") or []
    if not ranking:
        return None
    best = float(ranking[0].get(PREDICTED_CONFIDENCE_KEY) or 0.0)
    second = float(ranking[1].get(PREDICTED_CONFIDENCE_KEY) or 0.0) if len(ranking) > 1 else 0.0
    return best, second


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ScenarioFallback(GraphComponent):
    """Turns an unsure scenario choice into ``nlu_fallback``; must come after the ResponseSelector."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``retrieval_intent``; ``threshold`` and ``ambiguity_threshold`` on the selector's confidence."""
        return {"retrieval_intent": "faq", "threshold": 0.5, "ambiguity_threshold": 0.1}

    def __init__(self, config: dict[str, Any]) -> None:
        self._intent = str(config.get("retrieval_intent", "faq"))
        self._threshold = float(config.get("threshold", 0.5))
        self._ambiguity = float(config.get("ambiguity_threshold", 0.1))

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ScenarioFallback:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) != self._intent:
                continue
            confidences = scenario_confidences(message, self._intent)
            if confidences is None:
                continue
            best, second = confidences
            if not unsure(best, second, self._threshold, self._ambiguity):
                continue
            logger.debug("scenario choice unsure (%.2f, runner-up %.2f): nlu_fallback", best, second)
            fallback = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: best}
            message.set(INTENT, fallback, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [fallback, *(message.get(INTENT_RANKING_KEY) or [])], add_to_output=True)
        return messages
