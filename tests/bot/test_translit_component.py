"""Russian typed in Latin letters read into Cyrillic tokens (bot/nlu/translit.py), inside a real Rasa pipeline."""

from pathlib import Path

import pytest
import yaml
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.count_vectors_featurizer import CountVectorsFeaturizer
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.lemmas import PymorphyLemmatizer
from bot.nlu.translit import VOCABULARY_FILE, TransliterationReader

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = [
    ("как зарегистрироваться на платформе", "faq"),
    ("не могу войти в личный кабинет", "faq"),
    ("забыла пароль что делать", "faq"),
    ("не приходит письмо на почту", "faq"),
    ("где посмотреть результаты диагностики", "faq"),
    ("не приходит код на email", "faq"),
    ("спасибо", "thanks"),
    ("мой логин ivanov2011", "inform"),
    ("пишет ошибка в zoom", "open_appeal"),
    ("хочу ещё раз пройти тест", "faq"),
]


@pytest.fixture(scope="module")
def tokenizer():
    return WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())


def training_data(tokenizer, examples=EXAMPLES):
    data = TrainingData([Message(data={TEXT: text, "intent": intent}) for text, intent in examples])
    tokenizer.process_training_data(data)
    return data


def trained(tokenizer, storage_dir, config=None, examples=EXAMPLES):
    storage = LocalModelStorage(storage_dir)
    resource = Resource("translit")
    context = ExecutionContext(graph_schema=None, model_id="1")  # type: ignore[arg-type]
    config = {**TransliterationReader.get_default_config(), **(config or {})}
    reader = TransliterationReader.create(config, storage, resource, context)
    reader.train(training_data(tokenizer, examples))
    return reader, storage, resource, context


@pytest.fixture(scope="module")
def reader(tokenizer, tmp_path_factory):
    return trained(tokenizer, tmp_path_factory.mktemp("storage"))[0]


def parsed(text, tokenizer, reader):
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    reader.process([message])
    return message


def tokens_of(text, tokenizer, reader):
    return [token.text for token in parsed(text, tokenizer, reader).get(TOKENS_NAMES[TEXT])]


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("kak zaregistrirovatsya na platforme", ["как", "зарегистрироваться", "на", "платформе"]),
        ("ne mogu voiti v lichniy kabinet", ["не", "могу", "войти", "в", "личный", "кабинет"]),
        ("zabyla parol' chto delat", ["забыла", "пароль", "что", "делать"]),
        ("gde posmotret rezultaty diagnostiki", ["где", "посмотреть", "результаты", "диагностики"]),
        ("spasibo", ["спасибо"]),
    ],
)
def test_a_transliterated_message_gets_the_cyrillic_words_of_the_vocabulary(text, tokens, tokenizer, reader):
    assert tokens_of(text, tokenizer, reader) == tokens


def test_the_text_stays_as_written_only_tokens_change(tokenizer, reader):
    message = parsed("Kak zaregistrirovatsya na platforme?", tokenizer, reader)
    assert message.get(TEXT) == "Kak zaregistrirovatsya na platforme?"
    tokens = message.get(TOKENS_NAMES[TEXT])
    assert [t.text for t in tokens] == ["Как", "зарегистрироваться", "на", "платформе"]
    assert [(t.start, t.end) for t in tokens] == [(0, 3), (4, 22), (23, 25), (26, 35)]


def test_a_word_outside_the_vocabulary_is_spelt_out(tokenizer, reader):
    assert tokens_of("ne mogu naiti raspisanie", tokenizer, reader) == ["не", "могу", "наити", "расписание"]


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("4to delat", ["что", "делать"]),
        ("xochu ewe raz proiti test", ["хочу", "еще", "раз", "пройти", "тест"]),
        ("ne mogu voiti ivan4 6", ["не", "могу", "войти", "ivan4", "6"]),
    ],
)
def test_chat_spellings_by_shape_are_read_only_into_vocabulary_words(text, tokens, tokenizer, reader):
    assert tokens_of(text, tokenizer, reader) == tokens


def test_case_is_kept_for_the_word_shape_features(tokenizer, reader):
    assert tokens_of("NE PRIHODIT PISMO", tokenizer, reader) == ["НЕ", "ПРИХОДИТ", "ПИСЬМО"]


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("ne prihodit kod na email", ["не", "приходит", "код", "на", "email"]),
        ("wi-fi est no ne mogu voiti", ["wi-fi", "ест", "но", "не", "могу", "войти"]),
        ("ok spasibo", ["ok", "спасибо"]),
        ("ne mogu voiti login ivanov2011", ["не", "могу", "войти", "login", "ivanov2011"]),
        ("oshibka 504 v zoom", ["ошибка", "504", "в", "zoom"]),
    ],
)
def test_technical_words_logins_and_codes_stay_in_a_transliterated_message(text, tokens, tokenizer, reader):
    assert tokens_of(text, tokenizer, reader) == tokens


@pytest.mark.parametrize(
    "text",
    [
        "pupil_ab12",
        "pupil.ab12@example.ru",
        "moy login pupil_ab12 i pochta pupil.ab12@example.ru",
        "https://bilet.worldskills.ru/login",
    ],
)
def test_logins_emails_and_urls_are_untouched(text, tokenizer, reader):
    message = parsed(text, tokenizer, reader)
    assert message.get(TEXT) == text
    for original in ("pupil_ab12", "pupil.ab12@example.ru", "https://bilet.worldskills.ru/login"):
        if original in text:
            assert original in [t.text for t in message.get(TOKENS_NAMES[TEXT])]


@pytest.mark.parametrize(
    "text",
    [
        "I cannot login to my account",
        "hello, how are you",
        "не приходит код на email",
        "у меня не работает zoom",
        "ivanpetrov",
        "ok",
    ],
)
def test_english_russian_and_lone_logins_keep_every_token(text, tokenizer, reader):
    plain = Message(data={TEXT: text})
    tokenizer.process([plain])
    assert tokens_of(text, tokenizer, reader) == [t.text for t in plain.get(TOKENS_NAMES[TEXT])]


def test_the_lemmatizer_after_it_sees_russian(tokenizer, reader):
    message = parsed("zabyla parol", tokenizer, reader)
    PymorphyLemmatizer(PymorphyLemmatizer.get_default_config()).process([message])
    assert [t.lemma for t in message.get(TOKENS_NAMES[TEXT])] == ["забыть", "пароль"]


def test_the_vocabulary_is_kept_with_the_model_and_loaded_from_it(tokenizer, tmp_path):
    _, storage, resource, context = trained(tokenizer, tmp_path)
    with storage.read_from(resource) as directory:
        assert (directory / VOCABULARY_FILE).is_file()
    loaded = TransliterationReader.load(TransliterationReader.get_default_config(), storage, resource, context)
    assert tokens_of("zabyla parol", tokenizer, loaded) == ["забыла", "пароль"]


def test_the_vocabulary_is_the_training_examples_words(tokenizer, tmp_path):
    reader = trained(tokenizer, tmp_path, examples=[("забыл пароль", "faq")])[0]
    assert tokens_of("zabyla parol", tokenizer, reader) == ["забыла", "пароль"]  # «забыла» spelt out
    assert reader.known("zabyl") == "забыл"
    assert reader.known("kabinet") is None


def test_config_keeps_more_latin_words(tokenizer, tmp_path):
    reader = trained(tokenizer, tmp_path, config={"keep": ["kabinet"]})[0]
    assert tokens_of("ne mogu voiti v kabinet", tokenizer, reader) == ["не", "могу", "войти", "в", "kabinet"]


def test_a_count_vectorizer_sees_the_latin_message_as_the_russian_one(tokenizer, reader, tmp_path):
    """The point of the component: the featurizers learned Cyrillic, and a Latin message now shares its features."""
    train = training_data(tokenizer)
    reader.process_training_data(train)
    featurizer = CountVectorsFeaturizer.create(
        CountVectorsFeaturizer.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("cvf"),
        ExecutionContext(graph_schema=None, model_id="1"),  # type: ignore[arg-type]
    )
    featurizer.train(train)

    def vector(text):
        message = parsed(text, tokenizer, reader)
        featurizer.process([message])
        _sequence, sentence = message.get_sparse_features(TEXT)
        assert sentence is not None
        return sentence.features.toarray().tolist()

    assert vector("ne mogu voiti v lichniy kabinet") == vector("не могу войти в личный кабинет")


def test_registered_as_a_trainable_featurizer():
    registered = DefaultV1Recipe._from_registry("bot.nlu.translit.TransliterationReader")
    assert registered.clazz is TransliterationReader
    assert DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER in registered.types
    assert registered.is_trainable is True


def test_config_reads_latin_letters_after_the_tokenizer_and_before_the_lemmas():
    # The question focus only drops tokens and the capitals reader must see «KAK» read as «КАК»; the
    # lemmas come after everything that changes the tokens' texts.
    names = [component["name"] for component in yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]]
    assert names[:5] == [
        "WhitespaceTokenizer",
        "bot.nlu.focus.QuestionFocus",
        "bot.nlu.translit.TransliterationReader",
        "bot.nlu.capitals.CapitalsReader",
        "bot.nlu.lemmas.PymorphyLemmatizer",
    ]
