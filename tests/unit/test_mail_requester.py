"""Who wrote: names from the From header and the signature; §4.1.1, §6.1 and §6.2 decisions."""

from __future__ import annotations

import pytest

from ticketing.domain.mail.cards import NAME, REASON, REPLY_ADDRESS, SUBJECT, SURNAME
from ticketing.domain.mail.requester import (
    PersonName,
    PymorphyNames,
    find_name,
    is_anonymous,
    is_personal_address,
    missing_fields,
    signature_lines,
)

NAMES = PymorphyNames()
BODY = "Здравствуйте!\nНе могу найти сертификат участника проекта после профпробы."


@pytest.mark.parametrize(
    ("display", "text", "expected"),
    [
        ("Петрова Анна Сергеевна", BODY, ("Петрова", "Анна", "Сергеевна", "from")),
        ("Анна Петрова", BODY, ("Петрова", "Анна", None, "from")),
        ("иван кузнецов", BODY, ("Кузнецов", "Иван", None, "from")),
        ("Ivan Petrov", BODY, ("Petrov", "Ivan", None, "from")),
        ("", BODY + "\n\nС уважением,\nГалиев Рустам\nпапа ученика 8 класса", ("Галиев", "Рустам", None, "signature")),
        ("", BODY + "\nСпасибо, Ольга Смирнова", ("Смирнова", "Ольга", None, "signature")),
        ("", BODY + "\n--\nХабибуллин И. И.", ("Хабибуллин", None, None, "signature")),
        ("Школа №5", BODY + "\n\nИванова Мария Петровна", ("Иванова", "Мария", "Петровна", "signature")),
        ("Анна", BODY + "\nС уважением, Анна Петрова", ("Петрова", "Анна", None, "signature")),
    ],
)
def test_names_found(display: str, text: str, expected: tuple[str | None, ...]) -> None:
    person = find_name(display, text, NAMES)
    assert person is not None
    assert (person.surname, person.name, person.patronymic, person.source) == expected


@pytest.mark.parametrize(
    ("display", "text"),
    [
        ("", BODY),
        ("", BODY + "\nЖду ответа."),
        ("Администратор", BODY + "\nСпасибо!"),
        ("Support Team", BODY),
        ("Школа №5", "Помогите\nМосква"),
    ],
)
def test_no_name(display: str, text: str) -> None:
    assert find_name(display, text, NAMES) is None


def test_signature_lines() -> None:
    lines = signature_lines("Текст\n\nС уважением,\nИванов Иван\n+7 900 000-00-00")
    assert lines == ["Иванов Иван", "+7 900 000-00-00"]
    assert signature_lines("Длинная последняя строка письма без подписи и без имени") == []


def test_anonymous_letters_section_6_1() -> None:
    person = PersonName("Иванов", "Иван")
    assert not is_anonymous("ivan@example.ru", person)
    assert is_anonymous("ivan@example.ru", None)
    assert is_anonymous("noreply@example.ru", person)
    assert is_anonymous(None, person)


def test_a_first_name_or_a_surname_alone_is_anonymous_59_fz() -> None:
    """§6.1 read by 59-ФЗ art. 7 and 11: surname and name both, «Маша» is not a signature."""
    assert is_anonymous("masha@example.ru", PersonName(name="Маша", source="signature"))
    assert is_anonymous("ivan@example.ru", PersonName(surname="Иванов"))
    assert not is_anonymous("masha@example.ru", PersonName("Иванова", "Маша"))


def test_personal_addresses_section_6_2() -> None:
    personal = ("kozhevnikova@worldskills.ru", "@staff.worldskills.ru")
    own = ("bilet@worldskills.ru", "info@worldskills.ru")
    assert is_personal_address(["kozhevnikova@worldskills.ru"], own, personal)
    assert is_personal_address(["anyone@staff.worldskills.ru"], own, personal)
    assert not is_personal_address(["kozhevnikova@worldskills.ru", "bilet@worldskills.ru"], own, personal)
    assert not is_personal_address(["someone@example.ru"], own, personal)
    assert not is_personal_address(["kozhevnikova@worldskills.ru"], own, ())


def test_missing_fields_section_4_1_1() -> None:
    person = PersonName("Иванов", "Иван")
    assert missing_fields(subject="Сертификат", text=BODY, reply_address="i@x.ru", person=person) == ()
    assert missing_fields(subject="Re: ", text="Здравствуйте!\nИванов Иван", reply_address=None, person=None) == (
        SURNAME,
        NAME,
        REPLY_ADDRESS,
        SUBJECT,
        REASON,
    )
    assert missing_fields(
        subject="(без темы)", text=BODY, reply_address="noreply@x.ru", person=PersonName(surname="Иванов")
    ) == (NAME, REPLY_ADDRESS, SUBJECT)
