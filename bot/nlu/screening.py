"""The procedure's screening of every chat message, by the ticketing service's one engine.

§4.7–4.8: requests in a foreign language, with obscene or insulting words or with threats are
not considered. The rules live in ``ticketing/domain/screening`` and the bot asks them over
HTTP (``POST /api/v1/screen``), so chat and mail apply exactly the same engine.

This intent classifier runs after the others. For a flagged message it replaces the intent by
``screen_<verdict>`` (answered by rules in ``data/rules/screening.yml``); for every message it
adds the entity ``screening_verdict``, so the verdict stays in the tracker for later review.
If ticketing does not answer, the message passes unscreened (the trained ``screen_*`` intents
still catch the obvious cases) and the bot does not ask again for a while, so a down service
costs users no waiting.
"""

from __future__ import annotations

import json
import logging
import os
import time
import urllib.error
import urllib.request
from typing import Any, Protocol

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

logger = logging.getLogger(__name__)

FLAGGED = ("foreign_language", "abusive", "threat")
ENTITY = "screening_verdict"
# §4.9: «помогите», «?» — nothing concrete to register; the bot asks what the question is.
# A greeting keeps its own answer, and inside answers (affirm, inform) are never overridden.
NO_QUESTION_OVERRIDES = ("open_appeal", "out_of_scope", "nlu_fallback")


class Screener(Protocol):
    def screen(self, text: str) -> dict[str, Any] | None:
        """The verdict for ``text``, or ``None`` when it could not be had."""


class HttpScreener:
    """``POST /api/v1/screen`` with a short timeout and a pause after a failure."""

    def __init__(self, url: str, token: str, timeout: float, pause_after_failure: float) -> None:
        self._url = url.rstrip("/") + "/api/v1/screen"
        self._token = token
        self._timeout = timeout
        self._pause = pause_after_failure
        self._resume_at = 0.0

    def screen(self, text: str) -> dict[str, Any] | None:
        if time.monotonic() < self._resume_at:
            return None
        request = urllib.request.Request(
            self._url,
            data=json.dumps({"text": text}).encode("utf-8"),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {self._token}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                return dict(json.loads(response.read().decode("utf-8")))
        except (urllib.error.URLError, OSError, ValueError) as exc:
            self._resume_at = time.monotonic() + self._pause
            logger.warning("screening unavailable (%s); messages pass unscreened for %.0f s", exc, self._pause)
            return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ProcedureScreening(GraphComponent):
    """Marks messages that §4.7–4.8 leave without an answer; records every verdict."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``timeout`` of one call and ``pause_after_failure``, in seconds."""
        return {"timeout": 1.0, "pause_after_failure": 30.0}

    def __init__(self, config: dict[str, Any], screener: Screener | None = None) -> None:
        if screener is None:
            screener = HttpScreener(
                os.environ.get("TICKETING_URL", "http://localhost:8000"),
                os.environ.get("TICKETING_TOKEN", ""),
                float(config.get("timeout", 1.0)),
                float(config.get("pause_after_failure", 30.0)),
            )
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
