"""Messages written in CAPITALS read as if written in lower case.

A pupil with Caps Lock on («СКОЛЬКО СТОИТ УЧАСТИЕ») asks what «сколько стоит участие» asks. The words'
counts are lower-cased by the CountVectorsFeaturizers anyway, but LexicalSyntacticFeaturizer's word
shapes («upper», «title») are features of the intents and the scenarios, and the training examples are
almost never shouted: every token of such a message carried a shape the models had hardly seen, and the
right scenario came first but unsure. This component lower-cases the tokens of a message whose letters
are nearly all capitals; a message with one capitalised word («ЕГЭ», «МЭШ», «Москва») keeps its shapes.

It sits after the reading of Latin letters (which keeps their case: «KAK» → «КАК») and before the
lemmas; the message text stays as written.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


def shouted(words: list[str], min_share: float = 0.8, min_words: int = 2) -> bool:
    """Whether a message's words are written in capitals.

    Args:
        words: The tokens' texts.
        min_share: The share of the letters that must be capitals.
        min_words: How many words of two letters or more must be all capitals: one abbreviation
            («ЕГЭ?», «МЭШ») is not shouting.
    """
    letters = [c for word in words for c in word if c.isalpha()]
    if not letters:
        return False
    capitals = sum(1 for c in letters if c.isupper())
    loud = sum(1 for word in words if len(word) >= 2 and word.isupper())
    return loud >= min_words and capitals >= min_share * len(letters)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class CapitalsReader(GraphComponent):
    """Lower-cases the tokens of a message written in capitals (see the module's text)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """``min_share`` and ``min_words``: see :func:`shouted`."""
        return {"min_share": 0.8, "min_words": 2}

    def __init__(self, config: dict[str, Any]) -> None:
        config = {**self.get_default_config(), **config}
        self._min_share = float(config["min_share"])
        self._min_words = int(config["min_words"])

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CapitalsReader:
        """Creates the component (the graph calls this for training and inference)."""
        return cls(config)

    def _read(self, message: Message) -> None:
        tokens: list[Token] = message.get(TOKENS_NAMES[TEXT]) or []
        if not shouted([token.text for token in tokens], self._min_share, self._min_words):
            return
        for token in tokens:
            token.text = token.text.lower()
            token.lemma = token.text

    def process(self, messages: list[Message]) -> list[Message]:
        """Reads incoming messages' tokens (inference); the message text is left as written."""
        for message in messages:
            self._read(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """The same for the training examples, so a shouted example trains as it will be read."""
        for example in training_data.training_examples:
            self._read(example)
        return training_data
