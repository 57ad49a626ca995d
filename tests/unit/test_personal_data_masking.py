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



def test_sanics_access_log_line_is_masked_with_its_query_string() -> None:
    """Sanic puts the request line into ``extra`` (sanic/http/http1.py, ``log_response``), which the record
    factory never sees: it is set on the record after the factory made it."""
    import io
    import logging

    from sanic.log import access_logger
    from sanic.logging.formatter import AutoAccessFormatter

    from procedure.personal_data import install_log_masking

    install_log_masking()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(AutoAccessFormatter())  # Sanic's own access formatter
    access_logger.addHandler(handler)
    level, access_logger.level = access_logger.level, logging.INFO
    try:
        for url in (
            "http://127.0.0.1:8000/api/v1/tickets?email=ivan.petrov%40example.ru&login=ivanov2011",
            "http://127.0.0.1:8000/api/v1/tickets?email=ivan.petrov@example.ru",
            "http://127.0.0.1:8000/api/v1/tickets?email=%D0%B8%D0%B2%D0%B0%D0%BD%40%D0%BF%D0%BE%D1%87%D1%82%D0%B0.%D1%80%D1%84",
        ):
            extra = {"status": 200, "byte": 42, "host": "127.0.0.1:5000", "request": f"GET {url}", "duration": ""}
            access_logger.info("", extra=extra)
    finally:
        access_logger.removeHandler(handler)
        access_logger.level = level
    text = stream.getvalue()
    assert text.count(" INFO: 127.0.0.1:5000 GET http://127.0.0.1:8000/api/v1/tickets?email=") == 3
    assert "ivan.petrov" not in text and "ivanov2011" not in text and "%D0%B8%D0%B2%D0%B0%D0%BD" not in text
    assert "tickets?email=iv***@example.ru&login=iv***" in text
