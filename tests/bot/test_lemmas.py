"""The pymorphy3 lemma component (bot/nlu/lemmas.py) inside a real Rasa NLU pipeline."""

import pytest
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.lemmas import PymorphyLemmatizer


@pytest.fixture(scope="module")
def lemmatizer():
    return PymorphyLemmatizer(PymorphyLemmatizer.get_default_config())


@pytest.fixture(scope="module")
def tokenizer():
    return WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())


def lemmas_of(text, tokenizer, lemmatizer):
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    lemmatizer.process([message])
    return [token.lemma for token in message.get(TOKENS_NAMES[TEXT])]


@pytest.mark.parametrize(
    "word, lemma",
    [
        ("загружается", "загружаться"),
        ("тесты", "тест"),
        ("почту", "почта"),
        ("Жалобу", "жалоба"),
        ("родителя", "родитель"),
        ("Казани", "казань"),
        ("ошибкой", "ошибка"),
        ("ёлки", "елка"),
    ],
)
def test_russian_words_get_their_normal_form(lemmatizer, word, lemma):
    assert lemmatizer.lemma(word) == lemma


@pytest.mark.parametrize("word, lemma", [("спс", "спасибо"), ("пж", "пожалуйста"), ("Емейл", "почта")])
def test_chat_shorthand(lemmatizer, word, lemma):
    assert lemmatizer.lemma(word) == lemma


@pytest.mark.parametrize("word", ["ivanov2011", "БВБ", "123"])
def test_logins_numbers_and_unknown_words_stay(lemmatizer, word):
    assert lemmatizer.lemma(word) == word.lower()


def test_config_adds_shorthand():
    component = PymorphyLemmatizer({"shorthand": {"бвбшка": "билет"}}, analyzer=None)
    assert component.lemma("бвбшка") == "билет"


def test_tokens_keep_their_text_and_get_lemmas(tokenizer, lemmatizer):
    message = Message(data={TEXT: "Не загружается тест"})
    tokenizer.process([message])
    lemmatizer.process([message])
    tokens = message.get(TOKENS_NAMES[TEXT])
    assert [t.text for t in tokens] == ["Не", "загружается", "тест"]
    assert [t.lemma for t in tokens] == ["не", "загружаться", "тест"]


def test_training_data_gets_the_same_lemmas(tokenizer, lemmatizer):
    data = TrainingData([Message(data={TEXT: "тесты не грузятся", "intent": "open_appeal"})])
    tokenizer.process_training_data(data)
    lemmatizer.process_training_data(data)
    assert [t.lemma for t in data.training_examples[0].get(TOKENS_NAMES[TEXT])] == ["тест", "не", "грузиться"]


def test_a_lemma_count_vectorizer_treats_word_forms_alike(tokenizer, lemmatizer, tmp_path):
    """The point of the component: «тесты не грузятся» and «тест не грузится» share features."""
    from rasa.engine.graph import ExecutionContext
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    train = TrainingData([
        Message(data={TEXT: "тест не грузится", "intent": "open_appeal"}),
        Message(data={TEXT: "привет", "intent": "greet"}),
    ])
    tokenizer.process_training_data(train)
    lemmatizer.process_training_data(train)
    config = {**CountVectorsFeaturizer.get_default_config(), "use_lemma": True}
    featurizer = CountVectorsFeaturizer.create(
        config, LocalModelStorage(tmp_path), Resource("cvf"), ExecutionContext(graph_schema=None, model_id="1")  # type: ignore[arg-type]
    )
    featurizer.train(train)

    def vector(text):
        message = Message(data={TEXT: text})
        tokenizer.process([message])
        lemmatizer.process([message])
        featurizer.process([message])
        _sequence, sentence = message.get_sparse_features(TEXT)
        assert sentence is not None
        return sentence.features.toarray().tolist()  # type: ignore[union-attr]

    assert vector("тесты не грузятся") == vector("тест не грузится")
    assert vector("тесты не грузятся") != vector("привет")


def test_registered_with_the_default_recipe():
    registered = DefaultV1Recipe._from_registry("bot.nlu.lemmas.PymorphyLemmatizer")
    assert registered.clazz is PymorphyLemmatizer
    assert DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER in registered.types
    assert registered.is_trainable is False
