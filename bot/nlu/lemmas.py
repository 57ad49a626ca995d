"""Russian lemmas for the NLU pipeline, offline, with pymorphy3.

Pupils write «не загружается», «не загрузился», «незагружаеться»; the words differ but the
lemma is shared. This component replaces ``token.lemma`` (which WhitespaceTokenizer sets to
the raw text) with the pymorphy3 normal form, so a ``CountVectorsFeaturizer`` with
``use_lemma: true`` counts lemmas while the others (``use_lemma: false``) keep the words as
written. It must come right after the tokenizer in ``config.yml``.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ACTION_TEXT, RESPONSE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

# Chat shorthand that pymorphy3 does not know; mapped to the lemma of the full word.
DEFAULT_SHORTHAND: dict[str, str] = {
    "спс": "спасибо",
    "спасиб": "спасибо",
    "пасиб": "спасибо",
    "сяп": "спасибо",
    "пж": "пожалуйста",
    "пжл": "пожалуйста",
    "пжлст": "пожалуйста",
    "плз": "пожалуйста",
    "плиз": "пожалуйста",
    "прив": "привет",
    "приветик": "привет",
    "здрасте": "здравствуйте",
    "здрасьте": "здравствуйте",
    "здраствуйте": "здравствуйте",
    "чо": "что",
    "че": "что",
    "шо": "что",
    "щас": "сейчас",
    "ща": "сейчас",
    "норм": "нормально",
    "оч": "очень",
    "мб": "может",
    "лк": "кабинет",
    "емейл": "почта",
    "имейл": "почта",
    "мейл": "почта",
    "мыло": "почта",
    "email": "почта",
    "e-mail": "почта",
    "mail": "почта",
}

_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_ATTRIBUTES = (TEXT, RESPONSE, ACTION_TEXT)


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False
)
class PymorphyLemmatizer(GraphComponent):
    """Sets each token's lemma to its Russian normal form (pymorphy3)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Returns the component's default config.

        ``shorthand`` adds to (or overrides) :data:`DEFAULT_SHORTHAND`.
        """
        return {"shorthand": {}}

    @staticmethod
    def required_packages() -> list[str]:
        """Packages that must be installed for this component."""
        return ["pymorphy3"]

    def __init__(self, config: dict[str, Any], analyzer: Any | None = None) -> None:
        """Creates the component; the dictionary loads here, not at import.

        Args:
            config: Component config (see :meth:`get_default_config`).
            analyzer: A ready ``pymorphy3.MorphAnalyzer`` (tests share one; it takes
                about a second to load).
        """
        if analyzer is None:
            import pymorphy3

            analyzer = pymorphy3.MorphAnalyzer()
        self._analyzer = analyzer
        self._shorthand: dict[str, str] = {**DEFAULT_SHORTHAND, **(config.get("shorthand") or {})}
        self._cache: dict[str, str] = {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PymorphyLemmatizer:
        """Creates the component (the graph calls this for training and inference)."""
        return cls(config)

    def lemma(self, word: str) -> str:
        """Returns the lemma of one token: lower case, «ё» as «е».

        Tokens without Cyrillic letters (logins, e-mails, numbers) are only lower-cased:
        pymorphy3 has nothing to say about them.
        """
        key = word.lower().replace("ё", "е")
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        if key in self._shorthand:
            result = self._shorthand[key]
        elif not _CYRILLIC.search(key):
            result = key
        else:
            result = str(self._analyzer.parse(key)[0].normal_form).replace("ё", "е")
        if len(self._cache) < 200_000:
            self._cache[key] = result
        return result

    def _lemmatize(self, message: Message) -> None:
        for attribute in _ATTRIBUTES:
            for token in message.get(TOKENS_NAMES[attribute]) or []:
                token.lemma = self.lemma(token.text)

    def process(self, messages: list[Message]) -> list[Message]:
        """Sets lemmas on incoming messages (inference)."""
        for message in messages:
            self._lemmatize(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Sets lemmas on the training examples, so training sees what inference sees."""
        for example in training_data.training_examples:
            self._lemmatize(example)
        return training_data
