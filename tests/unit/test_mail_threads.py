"""Threading: ticket numbers in subjects, reply subjects and headers, the new part of a reply."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ticketing.domain.mail.compose import domain_of, reply_message
from ticketing.domain.mail.threads import (
    bare_subject,
    message_ids,
    outgoing_message_id,
    references_for,
    reply_subject,
    strip_quoted,
    ticket_number_in,
)

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("subject", "number"),
    [
        ("Re: Вход [БВБ-000123]", "БВБ-000123"),
        ("RE: RE: по обращению бвб 123", "БВБ-000123"),
        ("Fwd: BVB-000045 ещё вопрос", "БВБ-000045"),
        ("Обращение №БВБ-7", "БВБ-000007"),
        ("Вопрос про 123 баллов", None),
        ("ТБВБ-12 не наш номер", None),
        ("", None),
    ],
)
def test_ticket_number_in_subject(subject: str, number: str | None) -> None:
    assert ticket_number_in(subject) == number


def test_reply_subject_has_one_re_and_one_tag() -> None:
    assert reply_subject("Вход в кабинет", "БВБ-000123") == "Re: Вход в кабинет [БВБ-000123]"
    assert reply_subject("Re: RE: Ответ: Вход [БВБ-000123]", "БВБ-000123") == "Re: Вход [БВБ-000123]"
    assert reply_subject("", "БВБ-000001") == "Re: Ваше обращение [БВБ-000001]"
    assert bare_subject("Fwd[2]: Fw: тема") == "тема"


def test_message_ids_and_references() -> None:
    assert message_ids("<a@x> garbage <b@y>\r\n <c@z>") == ("<a@x>", "<b@y>", "<c@z>")
    assert message_ids(None) == ()
    ids = [f"<{i}@x>" for i in range(30)]
    refs = references_for([*ids, "<5@x>", ""])
    assert len(refs) == 20 and refs[0] == "<0@x>" and refs[-1] == "<29@x>"
    assert references_for(["<a@x>", "<a@x>", "<b@x>"]) == ("<a@x>", "<b@x>")


def test_outgoing_message_id_is_stable_per_delivery() -> None:
    one = outgoing_message_id(7, "БВБ-000123", NOW, "worldskills.ru")
    assert one == outgoing_message_id(7, "БВБ-000123", NOW, "worldskills.ru")
    assert one != outgoing_message_id(8, "БВБ-000123", NOW, "worldskills.ru")
    assert one.startswith("<bvb-000123.7.") and one.endswith("@worldskills.ru>")
    assert domain_of("Bilet <bilet@WorldSkills.ru>") == "worldskills.ru"


@pytest.mark.parametrize(
    "quote",
    [
        "27 нояб. 2026 г., в 12:00, Билет в будущее <bilet@worldskills.ru> пишет:\n> Ответ",
        "Пятница, 27 ноября 2026, 12:00 +03:00 от Билет в будущее <bilet@worldskills.ru>:\n> Ответ",
        "On Fri, Nov 27, 2026 at 12:00 PM Bilet <bilet@worldskills.ru> wrote:\n> Answer",
        "-----Original Message-----\nFrom: bilet@worldskills.ru\nAnswer",
        "-------- Исходное сообщение --------\nОт: bilet@worldskills.ru",
        "От: Билет в будущее <bilet@worldskills.ru>\nОтправлено: 27 ноября 2026 г. 12:00\nКому: ivan@example.ru",
        "> Ответ\n> без строки автора",
    ],
)
def test_strip_quoted_keeps_only_the_new_text(quote: str) -> None:
    assert strip_quoted(f"Спасибо, получилось!\nИван\n\n{quote}") == "Спасибо, получилось!\nИван"


@pytest.mark.parametrize(
    ("text", "new"),
    [
        (
            "27 нояб. 2026 г., в 12:00, Билет в будущее <bilet@worldskills.ru> пишет:\n> Очистите кэш.\n>\n"
            "> Билет в будущее\n\nНе помогло, страница всё так же пустая.\n\nПетрова Анна",
            "Не помогло, страница всё так же пустая.\n\nПетрова Анна",
        ),
        (
            "Добрый день.\n\nOn Fri, Nov 27, 2026 Bilet <bilet@worldskills.ru> wrote:\n> Какой у вас класс?\n"
            "8 «Б».\n> А регион?\nТатарстан.",
            "Добрый день.\n\n8 «Б».\nТатарстан.",
        ),
        (
            "Пн, 7 дек. 2026 г. в 09:00, anna@example.ru:\n> Как записаться?\n\nГород — Казань.\nСидорова Мария",
            "Город — Казань.\nСидорова Мария",
        ),
    ],
)
def test_strip_quoted_keeps_text_written_below_the_quote(text: str, new: str) -> None:
    assert strip_quoted(text) == new


def test_strip_quoted_leaves_a_letter_without_quotes_alone() -> None:
    text = "Добрый день.\nОт: кого ждать ответа?\nЯ жду."
    assert strip_quoted(text) == text


def test_reply_letter_threads_and_is_a_persons_answer() -> None:
    message = reply_message(
        text="Очистите кэш браузера.",
        number="БВБ-000123",
        subject="Re: Вход",
        to="ivan@example.ru",
        from_address="bilet@worldskills.ru",
        from_name="Билет в будущее",
        message_id="<bvb-000123.1.x@worldskills.ru>",
        in_reply_to="<q2@example.ru>",
        references=("<q1@example.ru>", "<bvb-000123.0.y@worldskills.ru>", "<q2@example.ru>"),
        now=NOW,
    )
    assert message["Subject"] == "Re: Вход [БВБ-000123]" and message["To"] == "ivan@example.ru"
    assert message["In-Reply-To"] == "<q2@example.ru>" and message["Message-ID"] == "<bvb-000123.1.x@worldskills.ru>"
    assert message["References"].split() == ["<q1@example.ru>", "<bvb-000123.0.y@worldskills.ru>", "<q2@example.ru>"]
    assert "Auto-Submitted" not in message  # a person's answer (RFC 3834): loops are stopped on the way in
    body = message.get_content()
    assert body.startswith("Очистите кэш браузера.") and "БВБ-000123" in body
    raw = message.as_bytes()
    assert b"\r\n" in raw and all(b < 128 for b in raw.split(b"\r\n\r\n", 1)[0])  # headers are 7-bit
