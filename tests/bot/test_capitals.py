"""A message in CAPITALS reads as lower case (bot/nlu/capitals.py)."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.lexical_syntactic_featurizer import LexicalSyntacticFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.capitals import CapitalsReader, shouted


@pytest.fixture(scope="module")
def tokenizer() -> WhitespaceTokenizer:
    return WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())


def tokens_of(tokenizer: WhitespaceTokenizer, text: str) -> list[str]:
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    CapitalsReader({}).process([message])
    return [token.text for token in message.get(TOKENS_NAMES[TEXT])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("СКОЛЬКО СТОИТ УЧАСТИЕ", ["сколько", "стоит", "участие"]),
        ("А ИЗ КОЛЛЕДЖА МОЖНО", ["а", "из", "колледжа", "можно"]),
        ("НЕ ГРУЗИТСЯ ТЕСТ В МЭШ", ["не", "грузится", "тест", "в", "мэш"]),
    ],
)
def test_a_shouted_message_reads_in_lower_case(tokenizer, text, expected) -> None:
    assert tokens_of(tokenizer, text) == expected


@pytest.mark.parametrize(
    "text",
    ["как сдать ЕГЭ", "Москва участвует?", "не работает ЛК МЭШ", "ЕГЭ", "ОК", "123 456", "Что такое КТ"],
)
def test_an_abbreviation_or_a_capital_letter_is_not_shouting(tokenizer, text) -> None:
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    written = [token.text for token in message.get(TOKENS_NAMES[TEXT])]
    assert tokens_of(tokenizer, text) == written
    assert not shouted(written)


def test_the_word_shapes_of_a_shouted_message_are_those_of_the_lower_case_one(tokenizer, tmp_path) -> None:
    context = ExecutionContext(graph_schema=None, model_id="1", node_name="lexical")  # type: ignore[arg-type]
    lexical = LexicalSyntacticFeaturizer.create(
        LexicalSyntacticFeaturizer.get_default_config(), LocalModelStorage(tmp_path), Resource("lexical"), context
    )
    data = TrainingData([Message(data={TEXT: "сколько стоит участие", INTENT: "faq"})])
    tokenizer.process_training_data(data)
    lexical.train(data)

    def shapes(text: str):
        message = Message(data={TEXT: text})
        tokenizer.process([message])
        CapitalsReader({}).process([message])
        lexical.process([message])
        return message.features[0].features.toarray()  # type: ignore[union-attr]

    assert (shapes("СКОЛЬКО СТОИТ УЧАСТИЕ") == shapes("сколько стоит участие")).all()
    assert message_text_unchanged(tokenizer)


def message_text_unchanged(tokenizer: WhitespaceTokenizer) -> bool:
    message = Message(data={TEXT: "СКОЛЬКО СТОИТ"})
    tokenizer.process([message])
    CapitalsReader({}).process([message])
    return bool(message.get(TEXT) == "СКОЛЬКО СТОИТ")
