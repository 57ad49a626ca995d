"""The procedure's screening of every chat message, by the one engine that the mail uses too.

§4.7–4.8: requests in a foreign language, with obscene or insulting words or with threats are
not considered. The rules live in ``procedure/screening`` (shared by both environments), and
this component runs them in the Rasa process itself: a message costs a fraction of a
millisecond and no call over the network, so a slow or stopped ticketing service can neither
stall Rasa's event loop nor let a message pass unscreened. The mail and ``POST /api/v1/screen``
run the very same code in the ticketing service.

This intent classifier runs after the others. For a flagged message it replaces the intent by
``screen_<verdict>`` (answered by rules in ``data/rules/screening.yml``); for every message it
adds the entity ``screening_verdict``, so the verdict stays in the tracker for later review.
"""

from __future__ import annotations

import functools
from typing import Any, Protocol

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

FLAGGED = ("foreign_language", "abusive", "threat")
ENTITY = "screening_verdict"
# §4.9: «помогите», «?» — nothing concrete to register; the bot asks what the question is.
# A greeting keeps its own answer, and inside answers (affirm, inform) are never overridden.
NO_QUESTION_OVERRIDES = ("open_appeal", "out_of_scope", "nlu_fallback")


class Screener(Protocol):
    def screen(self, text: str) -> dict[str, Any] | None:
        """The verdict for ``text``, or ``None`` when it could not be had."""


class EngineScreener:
    """The shared engine (``procedure.screening``), loaded once per process and kept."""

    def __init__(self, use_lingua: bool = True) -> None:
        self._engine = _engine(use_lingua)

    def screen(self, text: str) -> dict[str, Any] | None:
        return dict(self._engine.screen(text).to_dict())


@functools.lru_cache(maxsize=2)
def _engine(use_lingua: bool) -> Any:
    # A model reload (``PUT /model``) builds the component again; the engine's dictionaries stay.
    from procedure.screening import ScreeningEngine

    return ScreeningEngine(use_lingua=use_lingua)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ProcedureScreening(GraphComponent):
    """Marks messages that §4.7–4.8 leave without an answer; records every verdict."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``use_lingua``: the statistical language check for longer texts (see the engine)."""
        return {"use_lingua": True}

    def __init__(self, config: dict[str, Any], screener: Screener | None = None) -> None:
        if screener is None:
            screener = EngineScreener(bool(config.get("use_lingua", True)))
        self._screener = screener

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ProcedureScreening:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.strip() or text.startswith("/"):  # button payloads are ours, not the user's
                continue
            verdict = self._screener.screen(text)
            if verdict is None:
                continue
            self._apply(message, verdict)
        return messages

    @staticmethod
    def _apply(message: Message, verdict: dict[str, Any]) -> None:
        value = str(verdict.get("verdict", "ok"))
        entity = {
            "entity": ENTITY,
            "value": value,
            "start": 0,
            "end": len(message.get(TEXT) or ""),
            "extractor": "ProcedureScreening",
            "reasons": list(verdict.get("reasons") or []),
        }
        message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
        current = (message.get(INTENT) or {}).get("name")
        if value in FLAGGED:
            ProcedureScreening._override(message, f"screen_{value}")
        elif verdict.get("no_question") and current in NO_QUESTION_OVERRIDES:
            ProcedureScreening._override(message, "screen_no_question")

    @staticmethod
    def _override(message: Message, name: str) -> None:
        intent = {"name": name, "confidence": 1.0}
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
        message.set(INTENT, intent, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
