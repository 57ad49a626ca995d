"""procedure.request_kinds: the kind of a request (§1.1), one rule for the chat-bot and the mail intake."""

from __future__ import annotations

import pytest

from procedure import request_kinds
from procedure.requesters import REQUEST_KINDS


@pytest.mark.parametrize(
    "text, kind",
    [
        ("хочу оставить жалобу", "complaint"),
        ("я недовольна работой поддержки", "complaint"),
        ("это возмутительно, тест не работает", "complaint"),
        ("предлагаю добавить тёмную тему", "proposal"),
        ("было бы здорово добавить чат с наставником", "proposal"),
        ("заявление на удаление данных", "statement"),
        ("прошу удалить мой аккаунт", "statement"),
        ("прошу исправить фамилию в профиле", "statement"),
        # Issue 14: something of the platform does not work — a technical complaint, not a question.
        ("не загружается тест", "complaint"),
        ("ничего не работает", "complaint"),
        ("тест завис на 5 вопросе", "complaint"),
        ("не могу войти в личный кабинет", "complaint"),
        ("не пришло письмо с подтверждением", "complaint"),
        ("игра лагает", "complaint"),
        ("как записаться на профпробу", "info_request"),
        ("забыл пароль", "info_request"),
        ("хочу узнать, когда диагностика", "info_request"),
        ("", "info_request"),
        # A complaint outranks the request inside it; a request to change data outranks a word like «ошибка».
        ("прошу исправить, это возмутительно", "complaint"),
        ("ошибка в фамилии, прошу исправить", "statement"),
        # «предлагаю» has «лага» inside; an idea about a fault is still an idea.
        ("хорошо бы, чтобы тест не зависал", "proposal"),
        # «видео» or «идет» are no «идея».
        ("когда идет набор на смену", "info_request"),
    ],
)
def test_the_kind_is_read_from_the_words(text: str, kind: str) -> None:
    assert request_kinds.detect_request_kind(text) == kind


@pytest.mark.parametrize(
    "text, kind",
    [
        # A kind the writer says it is not marks nothing (issue 14, part 9: letters say so often).
        ("Это не жалоба, просто хочу узнать, когда будут результаты", "info_request"),
        ("Жаловаться не хочу, но подскажите, где сертификат", "info_request"),
        ("Без претензий, просто вопрос: когда профпроба?", "info_request"),
        ("Не предложение, а вопрос: можно ли пройти тест повторно?", "info_request"),
        ("Это не жалоба, но тест не грузится", "complaint"),
    ],
)
def test_a_kind_the_writer_denies_marks_nothing(text: str, kind: str) -> None:
    assert request_kinds.detect_request_kind(text) == kind


@pytest.mark.parametrize(
    "text, kind",
    [
        # Letters, as they come to bilet@ and info@ (subject, then the text).
        (
            "Тест не грузится\nДобрый день! Ребёнок не может пройти тест, страница не грузится.\n\n"
            "Иванова Мария Петровна",
            "complaint",
        ),
        ("Сертификат\nЗдравствуйте!\n\nГде скачать сертификат?\n\nСмирнов Олег", "info_request"),
        (
            "Заявление\nПрошу удалить персональные данные моего сына из системы.\nС уважением, Петров Иван Сергеевич",
            "statement",
        ),
        (
            "Идея для проекта\nДобрый день. Предлагаю добавить профпробы по робототехнике в нашем регионе.\n"
            "Кузнецова Е. А.",
            "proposal",
        ),
        (
            "Жалоба на площадку\nНа профпробе нам грубили, это безобразие.\nСидорова Анна Викторовна",
            "complaint",
        ),
    ],
)
def test_the_kind_of_a_letter(text: str, kind: str) -> None:
    assert request_kinds.detect_request_kind(text) == kind


def test_every_kind_found_is_a_kind_of_the_procedure() -> None:
    samples = ["жалоба", "заявление", "предложение", "вопрос", "не грузится"]
    assert {request_kinds.detect_request_kind(text) for text in samples} <= set(REQUEST_KINDS)


def test_the_strongest_kind_is_the_most_specific() -> None:
    assert request_kinds.strongest_kind(["info_request", "proposal", None]) == "proposal"
    assert request_kinds.strongest_kind(["proposal", "complaint"]) == "complaint"
    assert request_kinds.strongest_kind([None]) == "info_request"


def test_a_technical_question_is_at_least_a_complaint() -> None:
    """Issue 14: «Вид обращения: запрос информации» for a technical problem was wrong."""
    assert request_kinds.strongest_kind(["info_request"], "technical") == "complaint"
    assert request_kinds.strongest_kind([None], "technical") == "complaint"
    assert request_kinds.strongest_kind(["statement"], "technical") == "statement"
    assert request_kinds.strongest_kind(["info_request"], "informational") == "info_request"


@pytest.mark.parametrize(
    "text, broken",
    [("ничего не работает", True), ("тест завис", True), ("белый экран", True), ("как записаться", False)],
)
def test_says_broken(text: str, broken: bool) -> None:
    assert request_kinds.says_broken(text) is broken
