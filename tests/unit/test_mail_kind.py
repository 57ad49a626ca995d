"""The mail intake reads the kind of every letter (§1.1) by the bot's rule (issue 14, part 9).

Before, every letter was registered as «запрос информации».
"""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from procedure import request_kinds
from ticketing.domain.mail.letters import parse_letter
from ticketing.domain.tickets import Channel, Kind
from ticketing.services.mail_intake import MailboxRef, request_of

PROJECT = MailboxRef("project", Channel.PROJECT_EMAIL, "bilet@worldskills.ru")
UNION = MailboxRef("union", Channel.UNION_EMAIL, "info@worldskills.ru")


def raw_letter(subject: str, text: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Петрова Анна Сергеевна <anna@example.ru>"
    msg["To"] = "bilet@worldskills.ru"
    msg["Subject"] = subject
    msg["Message-ID"] = "<kind@example.ru>"
    msg.set_content(text)
    return msg.as_bytes()


@pytest.mark.parametrize(
    "subject, text, kind",
    [
        ("Тест не грузится", "Добрый день! Ребёнок не может пройти тест.\n\nПетрова Анна Сергеевна", Kind.COMPLAINT),
        ("Жалоба", "На профпробе нам нагрубили.\n\nПетрова Анна Сергеевна", Kind.COMPLAINT),
        ("Удаление данных", "Прошу удалить мой аккаунт.\n\nПетрова Анна Сергеевна", Kind.STATEMENT),
        ("Идея", "Предлагаю добавить профпробы по робототехнике.\n\nПетрова Анна Сергеевна", Kind.PROPOSAL),
        ("Сертификат", "Где скачать сертификат?\n\nПетрова Анна Сергеевна", Kind.INFO_REQUEST),
        # The subject counts too: a letter may say it only there.
        ("Заявление на исправление фамилии", "Фамилия в профиле Петрова.\n\nПетрова Анна", Kind.STATEMENT),
    ],
)
@pytest.mark.parametrize("mailbox", [PROJECT, UNION], ids=["bilet@", "info@"])
def test_every_letter_gets_the_kind_its_words_say(subject: str, text: str, kind: Kind, mailbox: MailboxRef) -> None:
    new = request_of(mailbox, "project:1:7", parse_letter(raw_letter(subject, text))).ticket
    assert new.kind is kind
    # One rule on both sides: the chat-bot reads the same words the same way.
    assert request_kinds.detect_request_kind(f"{subject}\n{text}") == kind.value


def test_a_reply_to_a_closed_ticket_is_read_by_its_new_words_only() -> None:
    """The quote is the old ticket's; «Re:» and what the writer quoted do not make the new one a complaint."""
    text = (
        "Спасибо, а когда будут результаты?\n\n"
        "Петрова Анна Сергеевна\n\n"
        "Пн, 7 дек. 2026 г. в 09:00, anna@example.ru:\n"
        "> Тест не грузится, это безобразие\n"
    )
    reply = parse_letter(raw_letter("Re: Тест [БВБ-000012]", text))
    request = request_of(PROJECT, "project:1:8", reply, follows="БВБ-000012")
    assert request.ticket.kind is Kind.INFO_REQUEST
    assert "безобразие" not in request.text


def test_the_ticket_keeps_what_the_letter_said() -> None:
    letter = parse_letter(raw_letter("Тест", "Тест не грузится.\n\nПетрова Анна"))
    new = request_of(PROJECT, "project:1:9", letter).ticket
    assert new.subject == "Тест" and new.description.startswith("Тест не грузится.")
    assert new.email == "anna@example.ru" and new.idempotency_key == "mail:project:1:9"
    assert new.channel is Channel.PROJECT_EMAIL and new.question_type is None
