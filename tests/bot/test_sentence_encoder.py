"""Multilingual USE sentence features: offline, deterministic, and close for paraphrases."""

from __future__ import annotations

import numpy as np
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.sentence_encoder import SentenceEncoderFeaturizer, encode, sentence_text


def featurizer() -> SentenceEncoderFeaturizer:
    return SentenceEncoderFeaturizer(SentenceEncoderFeaturizer.get_default_config(), "sentence")


def tokenized(text: str) -> Message:
    message = Message(data={TEXT: text})
    WhitespaceTokenizer(WhitespaceTokenizer.get_default_config()).process([message])
    return message


def test_paraphrases_are_closer_than_other_questions() -> None:
    a, b, other = encode(["как записаться на профпробу", "хочу попасть на профпробу куда нажать", "забыл пароль"])
    assert float(a @ b) > float(a @ other) + 0.1


def test_one_sentence_vector_of_512_and_no_sequence_features() -> None:
    message = tokenized("у меня не грузится тест")
    featurizer().process([message])
    sequence, sentence = message.get_dense_features(TEXT, [])
    assert sequence is None
    assert sentence is not None and sentence.features.shape == (1, 512)
    assert np.isclose(np.linalg.norm(sentence.features), 1.0, atol=1e-3)


def test_training_and_parsing_give_the_same_vector() -> None:
    trained, parsed = tokenized("сколько стоит участие"), tokenized("сколько стоит участие")
    featurizer().process_training_data(TrainingData(training_examples=[trained]))
    featurizer().process([parsed])
    first = trained.get_dense_features(TEXT, [])[1]
    second = parsed.get_dense_features(TEXT, [])[1]
    assert first is not None and second is not None
    assert np.allclose(first.features, second.features)


def test_the_words_read_by_the_pipeline_are_encoded() -> None:
    message = tokenized("kak zaregistrirovatsya")
    for token in message.get(TOKENS_NAMES[TEXT]):
        token.text = {"kak": "как", "zaregistrirovatsya": "зарегистрироваться"}[token.text]
    assert sentence_text(message) == "как зарегистрироваться"


def test_an_empty_text_gets_no_features() -> None:
    message = Message(data={TEXT: ""})
    featurizer().process([message])
    assert message.features == []
