"""A long message is read by the sentence that asks (bot/nlu/focus.py)."""

from __future__ import annotations

import pytest
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.focus import QuestionFocus, focus, is_courtesy, sentence_spans


@pytest.fixture(scope="module")
def tokenizer() -> WhitespaceTokenizer:
    return WhitespaceTokenizer(WhitespaceTokenizer.get_default_config())


def read(tokenizer: WhitespaceTokenizer, text: str) -> str:
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    QuestionFocus().process([message])
    assert message.get(TEXT) == text, "the text stays as written"
    return " ".join(token.text for token in message.get(TOKENS_NAMES[TEXT]))


def test_a_letter_is_read_by_its_question(tokenizer) -> None:
    text = (
        "Добрый день! Сын в седьмом классе, учитель сказал зарегистрироваться до пятницы. "
        "Где взять код школы для регистрации? Заранее спасибо, с уважением, Марина."
    )
    assert read(tokenizer, text) == "Где взять код школы для регистрации"


def test_without_a_question_mark_the_request_is_read(tokenizer) -> None:
    text = "Здравствуйте. Дочь прошла тест вчера вечером. Подскажите где смотреть результаты. Спасибо"
    assert read(tokenizer, text) == "Подскажите где смотреть результаты"


def test_a_question_that_does_not_say_what_about_keeps_the_sentence_before(tokenizer) -> None:
    text = "Привет! У меня не грузится тест уже час. Что делать?"
    assert read(tokenizer, text) == "У меня не грузится тест уже час Что делать"


def test_a_short_question_that_says_what_about_stands_alone(tokenizer) -> None:
    text = "Добрый день, сын в восьмом классе и очень хочет участвовать. Это платно?"
    assert read(tokenizer, text) == "Это платно"


def test_two_questions_are_both_read(tokenizer) -> None:
    text = "Мы из Казани, сын в 9 классе. Как записаться на пробу? И сколько это стоит?"
    assert read(tokenizer, text) == "Как записаться на пробу И сколько это стоит"


@pytest.mark.parametrize(
    "text",
    [
        "как зарегистрироваться на платформе",  # one sentence
        "Не приходит письмо с кодом.",  # one sentence, a statement
        "У меня не грузится тест. Уже второй день так.",  # no sentence asks: read whole
        "Здравствуйте, можно вопрос? Сын не может войти в кабинет",  # the only «?» is asking leave
        "мой логин ivan.petrov@mail.ru не подходит",  # a dot inside an address ends nothing
    ],
)
def test_a_message_without_a_sentence_that_asks_apart_is_read_whole(tokenizer, text) -> None:
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    whole = " ".join(token.text for token in message.get(TOKENS_NAMES[TEXT]))
    assert read(tokenizer, text) == whole


def test_sentences_and_courtesies() -> None:
    text = "Здравствуйте!  Вопрос про тест…\nКак его пройти? т.е. где он"
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Здравствуйте!",
        "Вопрос про тест…",
        "Как его пройти?",
        "т.е. где он",
    ]
    assert is_courtesy("Добрый вечер, уважаемые организаторы!")
    assert is_courtesy("Заранее большое спасибо")
    assert not is_courtesy("Спасибо, а где результаты?")
    assert focus("Один вопрос?") is None


def test_training_examples_of_several_sentences_train_as_they_are_read(tokenizer) -> None:
    example = Message(data={TEXT: "Здравствуйте! Как войти в кабинет? Спасибо.", INTENT: "faq"})
    data = TrainingData([example])
    tokenizer.process_training_data(data)
    QuestionFocus().process_training_data(data)
    assert [token.text for token in example.get(TOKENS_NAMES[TEXT])] == ["Как", "войти", "в", "кабинет"]
