"""E-mails and logins masked in log lines (procedure/personal_data.py, 152-ФЗ)."""

from __future__ import annotations

import pytest

from procedure.personal_data import mask_email, mask_login, mask_text


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        ("письмо от ivan.petrov@mail.ru", "письмо от iv***@mail.ru"),
        (
            "GET /api/v1/tickets?email=ivan%40mail.ru&login=ivanov2011",
            "GET /api/v1/tickets?email=iv***@mail.ru&login=iv***",
        ),
        ('{"login": "ivanov2011", "email": "a@b.ru"}', '{"login": "iv***", "email": "a***@b.ru"}'),
        ("\tlogin: ivanov2011\n\temail: Иван@почта.рф", "\tlogin: iv***\n\temail: Ив***@почта.рф"),  # Rasa's slots
        ("логин: vasya99", "логин: va***"),
        (
            "550 5.1.1 <maria@mail.ru>: Recipient address rejected",
            "550 5.1.1 <ma***@mail.ru>: Recipient address rejected",
        ),
        (
            "WHERE tickets.email = ? AND tickets.login = :login_1",
            "WHERE tickets.email = ? AND tickets.login = :login_1",
        ),
        ("обращение БВБ-000123 на линии 2, срок 2026-12-01", "обращение БВБ-000123 на линии 2, срок 2026-12-01"),
    ],
)
def test_a_log_line_keeps_no_address_or_login(line: str, masked: str) -> None:
    assert mask_text(line) == masked


def test_masking_twice_changes_nothing() -> None:
    once = mask_text("ivan@mail.ru login=ivanov2011")
    assert mask_text(once) == once == "iv***@mail.ru login=iv***"


def test_short_values_keep_one_character() -> None:
    assert mask_login("abc") == "a***"
    assert mask_email("ab@x.ru") == "a***@x.ru"
    assert mask_email("не адрес") == "не***"


def test_rasa_json_log_of_slots_is_masked_key_by_key() -> None:
    line = r'{"slot_values": "\temail: maria@mail.ru\n\tlogin: masha2010\n\tregion: x"}'
    assert mask_text(line) == r'{"slot_values": "\temail: ma***@mail.ru\n\tlogin: ma***\n\tregion: x"}'

