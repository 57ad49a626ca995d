"""The rules that read what people type (actions/parsing.py)."""

import pytest

from actions import parsing


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ivan@example.ru", "ivan@example.ru"),
        ("Моя почта Ivan.Petrov@Mail.ru", "ivan.petrov@mail.ru"),
        ("ivan @ mail.ru", "ivan@mail.ru"),
        ("ivan@mail,ru", "ivan@mail.ru"),
        ("kotik_2011@bk.ru.", "kotik_2011@bk.ru"),
        ("director@школа.рф", "director@школа.рф"),
    ],
)
def test_good_emails_are_accepted_and_cleaned(text, expected):
    assert parsing.check_email(text).email == expected


@pytest.mark.parametrize(
    "text, problem",
    [
        ("не помню", "missing"),
        ("ivan.mail.ru", "missing"),
        ("иван@mail.ru", "cyrillic"),
        ("ivan@mail", "invalid"),
        ("ivan@@mail.ru", "invalid"),
        ("ivan..petrov@mail.ru", "invalid"),
    ],
)
def test_bad_emails_say_what_is_wrong(text, problem):
    check = parsing.check_email(text)
    assert check.email is None
    assert check.problem == problem


def test_mistyped_well_known_domain_gets_a_suggestion():
    check = parsing.check_email("masha@gmial.com")
    assert check.email is None
    assert check.problem == "typo"
    assert check.suggestion == "masha@gmail.com"


@pytest.mark.parametrize(
    "text, role",
    [
        ("Ученик", "participant"),
        ("я ученица 8 класса", "participant"),
        ("учусь в 9 классе", "participant"),
        ("participant", "participant"),
        ("родитель", "parent"),
        ("я мама ученика", "parent"),
        ("папа", "parent"),
        ("педагог-навигатор", "mentor"),
        ("я учитель", "mentor"),
        ("классный руководитель", "mentor"),
        ("наставник", "mentor"),
        ("представитель площадки", "venue"),
        ("другое", "other"),
    ],
)
def test_roles_from_free_text(text, role):
    assert parsing.parse_role(text) == role


@pytest.mark.parametrize("text", ["", "абырвалг", "12345"])
def test_unknown_role_is_none(text):
    assert parsing.parse_role(text) is None


@pytest.mark.parametrize(
    "text, login",
    [
        ("ivanov2011", "ivanov2011"),
        ("мой логин Petrov_99", "Petrov_99"),
        ("логин: nikita.08", "nikita.08"),
        ("не помню", parsing.LOGIN_UNKNOWN),
        ("Не знаю", parsing.LOGIN_UNKNOWN),
        ("забыла логин", parsing.LOGIN_UNKNOWN),
        ("без понятия", parsing.LOGIN_UNKNOWN),
    ],
)
def test_logins(text, login):
    assert parsing.parse_login(text) == login


@pytest.mark.parametrize("text", ["меня зовут иван петров", "/inform", "a", ""])
def test_unreadable_logins(text):
    assert parsing.parse_login(text) is None


@pytest.mark.parametrize(
    "text, question_type",
    [
        ("не грузится", "technical"),
        ("ошибка", "technical"),
        ("не загружается тест", "technical"),
        ("как войти если пароль не подходит", "technical"),
        ("technical", "technical"),
        ("хочу узнать про мероприятия", "informational"),
        ("когда будут результаты", "informational"),
        ("informational", "informational"),
        ("ну такое", None),
    ],
)
def test_question_type_from_free_text(text, question_type):
    assert parsing.parse_question_type(text) == question_type


@pytest.mark.parametrize(
    "text, number",
    [
        ("БВБ-000123", "БВБ-000123"),
        ("что с моим обращением бвб 123?", "БВБ-000123"),
        ("BVB-000123", "БВБ-000123"),
        ("bvb123", "БВБ-000123"),
        # The millionth ticket and later: ticketing stores up to nine digits, the bot reads them all.
        ("по обращению бвб-1234567", "БВБ-1234567"),
        ("ТБВБ-12 не наш номер", None),
        ("№ 45", "БВБ-000045"),
        ("123", "БВБ-000123"),
        ("бвб-0", None),
        ("что с моим обращением", None),
    ],
)
def test_ticket_numbers_are_normalised(text, number):
    assert parsing.normalize_ticket_number(text) == number


@pytest.mark.parametrize(
    "text, draft",
    [
        ("Здравствуйте, не загружается тест, хочу оставить обращение", "не загружается тест"),
        ("здравствуйте не загружается тест хочу оставить обращение", "не загружается тест"),
        ("Тест завис на 5 вопросе", "Тест завис на 5 вопросе"),
        ("хочу оставить обращение", None),
        ("Здравствуйте! Хочу написать в поддержку", None),
        ("/open_appeal", None),
    ],
)
def test_description_draft_from_the_first_message(text, draft):
    assert parsing.extract_description_draft(text) == draft


@pytest.mark.parametrize(
    "text, ok",
    [("не грузится", True), ("тест завис на пятом вопросе", True), ("да", False), ("помогите", False),
     ("вопрос", False), ("/affirm", False), ("", False)],
)
def test_description_needs_some_content(text, ok):
    assert (parsing.check_description(text) is not None) is ok


def test_subject_is_the_first_sentence_capped_at_120():
    assert parsing.make_subject("не грузится тест. Уже три дня.") == "Не грузится тест."
    long = "слово " * 60
    subject = parsing.make_subject(long)
    assert len(subject) <= 120 and subject.endswith("…")


@pytest.mark.parametrize(
    "text, field",
    [("исправить почту", "email"), ("регион не тот", "region"), ("поменять логин", "login"),
     ("роль не та", "role"), ("тип вопроса", "question_type"), ("исправить описание", "description"),
     ("исправить", None), ("нет", None),
     ("вид обращения", "request_kind"), ("нет, это жалоба", "request_kind"), ("запрос информации", "request_kind")],
)
def test_field_to_correct(text, field):
    assert parsing.parse_field(text) == field


@pytest.mark.parametrize(
    "text, kind",
    [("жалоба", "complaint"), ("это заявление", "statement"), ("на предложение", "proposal"),
     ("запрос информации", "info_request"), ("complaint", "complaint"), ("исправить вид обращения", None),
     # Issue 14: the kind named with «не» is the one the pupil rejects.
     ("это не вопрос, а жалоба", "complaint"), ("не жалоба, а предложение", "proposal"),
     ("это не жалоба, а просто вопрос", "info_request"), ("это не жалоба", None), ("предложение", "proposal")],
)
def test_kind_named_at_the_summary(text, kind):
    assert parsing.parse_request_kind(text) == kind


# Issue 14: the typed answer to «Помогло?», in the words pupils use.
@pytest.mark.parametrize(
    "text, helped",
    [
        ("не помогло", False), ("не работает всё равно", False), ("нет", False), ("неа", False), ("нееет", False),
        ("Нет!", False), ("не получилось", False), ("всё так же", False), ("всё по-прежнему", False),
        ("не, не вышло", False), ("без изменений", False), ("опять висит", False), ("не то", False),
        ("да, но всё равно не грузится", False), ("ничего не изменилось", False),
        ("да", True), ("ага", True), ("ок", True), ("да помогло", True), ("помогло, спасибо", True),
        ("заработало", True), ("спасибо", True), ("всё получилось", True), ("+", True),
        ("не знаю", None), ("хм", None), ("а как записаться на профпробу", None), ("/deny", None), ("", None),
    ],
)
def test_the_reply_to_helped(text, helped):
    assert parsing.read_helped(text) is helped


@pytest.mark.parametrize(
    "text, reason",
    [("помогитеее!!!", "help"), ("позовите человека", "help"), ("SOS", "help"), ("нужен оператор", "help"),
     ("ничего не работает", "problem"), ("тест завис", "problem"),
     ("Татарстан", None), ("не помню", None), ("не знаю", None), ("ivan@mail.ru", None), ("/affirm", None)],
)
def test_words_inside_the_form_that_are_no_answer(text, reason):
    assert parsing.off_topic_in_form(text) == reason


# Issue 14: «инструкция не помогла» typed when the bot asked nothing (actions/appeal_start.py).
@pytest.mark.parametrize(
    "text, failed",
    [
        ("инструкция не помогла", True),
        ("по инструкции не получилось", True),
        ("сделала всё по инструкции, не работает", True),
        ("все по инструкции сделал а толку нет", True),
        ("ваш совет не сработал", True),
        ("делал как вы написали, ничего не вышло", True),
        ("где инструкция по регистрации", False),
        ("нет инструкции", False),
        ("инструкция помогла, спасибо", False),
        ("не грузится тест", False),
        ("/open_appeal", False),
    ],
)
def test_feedback_on_an_instruction_is_recognised(text, failed):
    assert parsing.instruction_failed(text) is failed


@pytest.mark.parametrize(
    "text, rest",
    [
        ("инструкция не помогла", None),
        ("сделала всё по инструкции, не работает", None),
        ("Инструкция не помогла, тест так и висит на 5 вопросе", "тест так и висит на 5 вопросе"),
        ("Сделала всё по инструкции — всё равно белый экран после входа", "белый экран после входа"),
    ],
)
def test_what_the_message_tells_besides_the_feedback_is_kept(text, rest):
    assert parsing.beyond_instruction_feedback(text) == rest
