# ruff: noqa: F811 - pytest fixtures are imported by name and then requested as parameters
"""Real letters through a real IMAP server into tickets: encodings, attachments, robots, §6 rules."""

from __future__ import annotations

import email
from email.header import Header
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest
from sqlalchemy import select

from tests.integration.mail_rig import PROCESSED, UNION, UNION_FOLDER, MailRig, letter, rig  # noqa: F401
from tests.integration.mail_servers import dovecot, smtp_capture  # noqa: F401
from ticketing.adapters.orm import mail_messages
from ticketing.domain.tickets import Channel, Kind, Status

pytestmark = pytest.mark.mail

CP1251_TEXT = "Добрый день! Ребёнок не может пройти тест, страница не грузится.\n\nИванова Мария Петровна"


def cp1251_with_attachments() -> bytes:
    msg = MIMEMultipart()
    msg["From"] = "=?windows-1251?b?" + "0ujg7e7i4A==" + "?= <maria@example.ru>"  # «Иванова» in cp1251
    msg["To"] = "bilet@worldskills.ru"
    msg["Subject"] = Header("Тест не грузится", "windows-1251").encode()
    msg["Message-ID"] = "<cp1251@example.ru>"
    msg.attach(MIMEText(CP1251_TEXT, "plain", "windows-1251"))
    shot = MIMEApplication(b"\x89PNG" + b"0" * 3000, "png")
    shot.add_header("Content-Disposition", "attachment", filename=("utf-8", "", "скриншот.png"))
    msg.attach(shot)
    huge = MIMEApplication(b"1" * 40_000, "zip")
    huge.add_header("Content-Disposition", "attachment", filename="видео.zip")
    msg.attach(huge)
    return msg.as_bytes()


def koi8_html_only() -> bytes:
    html = "<html><body><p>Здравствуйте!</p><p>Где скачать <b>сертификат</b>?</p><p>Смирнов Олег</p></body></html>"
    msg = MIMEText(html, "html", "koi8-r")
    msg["From"] = "oleg@example.ru"
    msg["To"] = "bilet@worldskills.ru"
    msg["Subject"] = "=?koi8-r?q?" + "".join(f"={b:02X}" for b in "Сертификат".encode("koi8-r")) + "?="
    msg["Message-ID"] = "<koi8@example.ru>"
    return msg.as_bytes()


async def test_letters_become_tickets_once_and_robots_open_nothing(rig: MailRig) -> None:
    rig.reconfigure(attachment_max_bytes=20_000, letter_max_bytes=30_000)
    rig.deliver(cp1251_with_attachments())
    rig.deliver(koi8_html_only())
    in_english = "I cannot log in to my account, please help me with the password."
    rig.deliver(letter(in_english, sender="John Smith <john@example.com>", subject="Login problem"))
    away = letter("Я в отпуске до понедельника.", subject="Автоответ: Вход", Auto_Submitted="auto-replied")
    rig.deliver(away)
    rig.deliver(
        b"From: MAILER-DAEMON@mx.example.ru\r\nTo: bilet@worldskills.ru\r\nSubject: Undelivered Mail\r\n"
        b"Return-Path: <>\r\n\r\nThe mail system could not deliver.\r\n"
    )
    await rig.once()
    tickets = await rig.tickets()
    assert [t.subject for t in tickets] == ["Тест не грузится", "Сертификат", "Login problem"]
    cp1251, koi8, english = tickets
    assert all(t.channel is Channel.PROJECT_EMAIL for t in tickets)
    # §1.1: the kind is read from the letter (procedure/request_kinds.py), not «запрос информации» for all.
    assert cp1251.kind is Kind.COMPLAINT and koi8.kind is Kind.INFO_REQUEST
    assert cp1251.email == "maria@example.ru" and cp1251.description.startswith(CP1251_TEXT)
    assert "скриншот.png (3 КБ)" in cp1251.description
    assert "видео.zip (39 КБ) — не сохранено: больше 20 КБ" in cp1251.description
    received = next(e for e in cp1251.events if e.type == "mail_received")
    assert "Не сохранены вложения: «видео.zip»" in received.data["comment"]
    assert koi8.description.startswith("Здравствуйте!\n\nГде скачать сертификат?") and koi8.status is Status.NEW
    assert "только в HTML" in next(e for e in koi8.events if e.type == "mail_received").data["comment"]
    assert english.status is Status.LEFT_WITHOUT_ANSWER and english.resolution_reason == "foreign_language"
    stored = await rig.letters(cp1251.number or "")
    assert stored[0].raw_trimmed and stored[0].message_id == "<cp1251@example.ru>"
    async with rig.container.uow() as uow:
        raw = await uow.mail.raw(stored[0].id or 0)
    assert raw is not None and b"1" * 1000 not in raw and email.message_from_bytes(raw)["Message-ID"]
    assert rig.dovecot.letters(rig.user) == []  # nothing left in the inbox…
    assert len(rig.dovecot.letters(rig.user, PROCESSED)) == 5  # …everything moved, robots too
    await rig.once()  # nothing is read twice
    assert len(await rig.tickets()) == 3


async def test_robot_letters_are_kept_raw_and_logged(rig: MailRig, caplog: pytest.LogCaptureFixture) -> None:
    rig.deliver(letter("Out of office until Monday", subject="Out of Office: Вход", Precedence="auto_reply"))
    rig.deliver(letter("Рассылка новостей", subject="Новости", List_Id="<news.example.ru>"))
    with caplog.at_level("INFO"):
        await rig.once()
    assert await rig.tickets() == []
    async with rig.container.engine.connect() as conn:
        rows = (
            await conn.execute(select(mail_messages.c.kind, mail_messages.c.ticket_number, mail_messages.c.raw))
        ).all()
    assert sorted(r.kind for r in rows) == ["auto_reply", "auto_reply"]
    assert all(r.ticket_number is None and r.raw and b"Subject:" in r.raw for r in rows)
    assert "обращение не открывается" in caplog.text


async def test_anonymous_personal_and_foreign_letters_are_left_without_answer(rig: MailRig) -> None:
    question = "Здравствуйте! Как записаться на профпробу в нашем городе?"
    rig.deliver(letter(question, sender="parent77@example.ru", subject="Профпроба"))
    signed = "Здравствуйте! Вопрос по проекту.\n\nС уважением,\nПетров Иван"
    rig.deliver(letter(signed, to="kozhevnikova@worldskills.ru", subject="Лично"))
    results = "Здравствуйте! Когда будут результаты?\nИванов Иван"
    rig.deliver(letter(results, sender="noreply@school.example.ru", subject="Результаты"))
    await rig.once()
    anonymous, personal, no_reply = await rig.tickets()
    assert (anonymous.status, anonymous.resolution_reason) == (Status.LEFT_WITHOUT_ANSWER, "anonymous")
    assert "фамилии и имени" in next(e for e in anonymous.events if e.type == "left_without_answer").data["comment"]
    assert personal.resolution_reason == "personal_address"
    assert no_reply.resolution_reason == "anonymous"


async def test_union_mailbox_letters_get_registration_cards(rig: MailRig) -> None:
    complete = letter(
        "Прошу разъяснить порядок получения сертификата участника проекта.\n\nС уважением,\nКузнецова Ольга Ивановна",
        sender="o.kuz@example.ru",
        to=UNION,
        subject="Сертификат участника",
    )
    incomplete = letter("Здравствуйте!\nПомогите", sender="someone@example.ru", to=UNION, subject="")
    rig.deliver(complete, UNION_FOLDER)
    rig.deliver(incomplete, UNION_FOLDER)
    await rig.once()
    first, second = await rig.tickets()
    assert first.channel is Channel.UNION_EMAIL and (first.due_at - first.created_at).days >= 30
    async with rig.container.uow() as uow:
        card1 = await uow.registration.of_ticket(first.number or "")
        card2 = await uow.registration.of_ticket(second.number or "")
    assert card1 is not None and card2 is not None
    year = card1.registration_date.year
    assert (card1.incoming_number, card2.incoming_number) == (f"00001/ВХ-{year}", f"00002/ВХ-{year}")
    assert card1.correspondent == "Кузнецова Ольга Ивановна" and card1.missing == () and card1.due_at == first.due_at
    assert card2.missing == ("surname", "name", "subject", "reason")
    incomplete_event = next(e for e in second.events if e.type == "registration_incomplete")
    assert "фамилия, имя, тема, причина обращения" in incomplete_event.data["comment"]
    assert second.resolution_reason == "anonymous"  # no name anywhere: §6.1 as well
    assert any(e.type == "registered" and e.data["incoming_number"] == card1.incoming_number for e in first.events)
