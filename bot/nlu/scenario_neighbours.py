"""The scenario choice checked against the nearest examples: the ResponseSelector plus sentence similarity.

The ResponseSelector (config.yml) learns the scenarios from counted words and character n-grams; a
question in words no example uses gets a low, flat ranking. Sentence vectors (bot/nlu/sentence_encoder.py)
see meaning rather than words, and the two make different mistakes. This component, right after the
ResponseSelector, scores every scenario key by the mean cosine similarity of the message to that key's
``neighbours`` closest training examples, and ranks the keys by

    (selector confidence + weight × similarity) / (1 + weight)

It rewrites ``response_selector.faq`` — the chosen key, its responses and the ranking — so
``/model/parse``, ScenarioFallback (bot/nlu/faq_confidence.py, after this) and «Возможно, вы имели в
виду…» (actions/fallback.py) all read the combined choice; the thresholds there are chosen for this
scale by ``make calibrate`` (bot/tools/calibration.py).

``weight`` 4 and ``neighbours`` 2 were chosen on the cross-validation folds of the training data (3
folds, seed 0; right key first 81.9 % by the selector alone, 86.6 % combined — README, «Сценарии
ответов»), never on the held-out sets of tests/content.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT_RESPONSE_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.faq_confidence import RESPONSE_SELECTOR
from bot.nlu.sentence_encoder import SentenceEncoderFeaturizer, encode, sentence_text

logger = logging.getLogger(__name__)

_VECTORS = "vectors.npy"
_INDEX = "index.json"


def key_similarities(vector: np.ndarray[Any, Any], vectors: np.ndarray[Any, Any], keys: list[str],
                     neighbours: int) -> dict[str, float]:
    """Each key's mean similarity over its ``neighbours`` most similar examples."""
    if not keys:
        return {}
    similarities = vectors @ vector
    by_key: dict[str, list[float]] = {}
    for key, similarity in zip(keys, similarities.tolist(), strict=True):
        by_key.setdefault(key, []).append(similarity)
    return {key: float(np.mean(sorted(values)[-neighbours:])) for key, values in by_key.items()}


def combine(ranking: list[dict[str, Any]], similarities: dict[str, float], weight: float,
            retrieval_intent: str, length: int) -> list[dict[str, Any]]:
    """The selector's ranking and the similarities as one ranking, best first, ``length`` long."""
    selector = {
        str(item.get(INTENT_RESPONSE_KEY) or ""): float(item.get(PREDICTED_CONFIDENCE_KEY) or 0.0) for item in ranking
    }
    prefix = f"{retrieval_intent}/"
    keys = set(similarities) | {k.removeprefix(prefix) for k in selector if k.startswith(prefix)}
    scored = [
        (
            (selector.get(prefix + key, 0.0) + weight * max(similarities.get(key, 0.0), 0.0)) / (1.0 + weight),
            prefix + key,
        )
        for key in keys
    ]
    scored.sort(key=lambda pair: (-pair[0], pair[1]))
    return [{PREDICTED_CONFIDENCE_KEY: score, INTENT_RESPONSE_KEY: key} for score, key in scored[:length]]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class NearestScenarioExamples(GraphComponent):
    """Re-ranks the ResponseSelector's scenarios with the nearest training examples; right after it."""

    @classmethod
    def required_components(cls) -> list[type]:
        # Not the ResponseSelector: Rasa checks the training graph, where this node learns from the featurised
        # examples and not from the selector; config.yml puts it right after the selector for parsing.
        return [SentenceEncoderFeaturizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"retrieval_intent": "faq", "weight": 4.0, "neighbours": 2, "ranking_length": 10}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vectors: np.ndarray[Any, Any] | None = None,
        keys: list[str] | None = None,
        responses: dict[str, Any] | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._intent = str(self._config["retrieval_intent"])
        self._weight = float(self._config["weight"])
        self._neighbours = max(1, int(self._config["neighbours"]))
        self._length = max(1, int(self._config["ranking_length"]))
        self._storage = model_storage
        self._resource = resource
        self._vectors = vectors if vectors is not None else np.zeros((0, 512), dtype=np.float32)
        self._keys = keys or []
        self._responses = responses or {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> NearestScenarioExamples:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Keeps the sentence vector and key of every scenario example, and the scenarios' responses."""
        examples = [
            m for m in training_data.intent_examples
            if m.get("intent") == self._intent and m.get(INTENT_RESPONSE_KEY) and m.get(TEXT)
        ]
        vectors = np.stack([_vector(m) for m in examples]) if examples else np.zeros((0, 512), dtype=np.float32)
        keys = [str(m.get(INTENT_RESPONSE_KEY)).removeprefix(f"{self._intent}/") for m in examples]
        with self._storage.write_to(self._resource) as directory:
            np.save(directory / _VECTORS, vectors.astype(np.float32))
            (directory / _INDEX).write_text(
                json.dumps({"keys": keys, "responses": training_data.responses}, ensure_ascii=False), encoding="utf-8"
            )
        self._vectors, self._keys, self._responses = vectors, keys, dict(training_data.responses)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> NearestScenarioExamples:
        try:
            with model_storage.read_from(resource) as directory:
                vectors = np.load(directory / _VECTORS)
                index = json.loads((directory / _INDEX).read_text(encoding="utf-8"))
        except ValueError:
            logger.warning("NearestScenarioExamples: no trained examples in the model; the selector decides alone")
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, vectors, list(index["keys"]), dict(index["responses"]))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            selectors = message.get(RESPONSE_SELECTOR) or {}
            selected = selectors.get(self._intent)
            if not selected or not self._keys:
                continue
            similarities = key_similarities(_vector(message), self._vectors, self._keys, self._neighbours)
            ranking = combine(selected.get("ranking") or [], similarities, self._weight, self._intent, self._length)
            if not ranking:
                continue
            best = ranking[0]
            key = str(best[INTENT_RESPONSE_KEY])
            template = "utter_" + key
            response = {
                **(selected.get("response") or {}),
                PREDICTED_CONFIDENCE_KEY: best[PREDICTED_CONFIDENCE_KEY],
                INTENT_RESPONSE_KEY: key,
                "utter_action": template,
                "responses": self._responses.get(template) or (selected.get("response") or {}).get("responses"),
            }
            message.set(
                RESPONSE_SELECTOR,
                {**selectors, self._intent: {"response": response, "ranking": ranking}},
                add_to_output=True,
            )
        return messages


def _vector(message: Message) -> np.ndarray[Any, Any]:
    """The message's sentence vector from SentenceEncoderFeaturizer, or encoded here if it has none."""
    for features in message.features:
        if features.attribute == TEXT and features.is_dense() and features.type == "sentence":
            if features.features.shape[-1] == 512:
                return np.asarray(features.features, dtype=np.float32).reshape(-1)
    vector: np.ndarray[Any, Any] = encode([sentence_text(message)])[0]
    return vector
