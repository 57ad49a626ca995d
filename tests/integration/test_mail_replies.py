# ruff: noqa: F811 - pytest fixtures are imported by name and then requested as parameters
"""Answers out by SMTP in the requester's thread, replies back onto the same ticket, failures retried."""

from __future__ import annotations

import email
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest

from tests.integration.console_helpers import Console, cheap_password_hashes, console, ticket_path  # noqa: F401
from tests.integration.mail_rig import OPERATOR, PROJECT, UNION, UNION_FOLDER, MailRig, letter, rig  # noqa: F401
from tests.integration.mail_servers import dovecot, smtp_capture  # noqa: F401
from ticketing.domain import lifecycle as lc
from ticketing.domain.access import AccessScope, ApiRole
from ticketing.domain.deliveries import DeliveryStatus
from ticketing.domain.mail.letters import parse_letter
from ticketing.domain.sla import MOSCOW
from ticketing.domain.tickets import Status
from ticketing.services.transitions import act

pytestmark = pytest.mark.mail

QUESTION = "Здравствуйте! Не могу войти в личный кабинет, пишет: неверный пароль.\n\nС уважением,\nПетрова Анна"


async def delivery_of(rig: MailRig, number: str) -> list[DeliveryStatus]:
    async with rig.container.uow() as uow:
        return [d.status for d in await uow.deliveries.of_ticket(number)]


def parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)


def reply_to(answer: EmailMessage, text: str, *, sender: str = "Анна Петрова <anna@example.ru>") -> bytes:
    """What a mail client writes when the requester presses «Ответить»: quotes below, threading headers."""
    quoted = "\n".join("> " + line for line in answer.get_content().splitlines())
    return letter(
        f"{text}\n\n27 нояб. 2026 г., в 12:00, Билет в будущее <{PROJECT}> пишет:\n{quoted}",
        sender=sender,
        subject="Re: " + str(answer["Subject"]),
        In_Reply_To=str(answer["Message-ID"]),
        References=f"{answer['References']} {answer['Message-ID']}",
    ).as_bytes()


async def test_answer_arrives_in_the_thread_and_the_reply_reopens_the_same_ticket(rig: MailRig) -> None:
    requester = rig.dovecot.account()
    rig.smtp.relay_to["anna@example.ru"] = requester
    question = letter(QUESTION)
    rig.deliver(question)
    await rig.once()
    (ticket,) = await rig.tickets()
    number = ticket.number or ""

    await rig.answer(number, "Восстановите пароль по ссылке «Забыли пароль?» на странице входа.")
    assert await delivery_of(rig, number) == [DeliveryStatus.MANUAL]  # as the console leaves it
    await rig.once()
    assert await delivery_of(rig, number) == [DeliveryStatus.DELIVERED]
    (inbox_letter,) = rig.dovecot.letters(requester)  # the answer in the requester's own mailbox
    answer = parse(inbox_letter)
    assert answer["Subject"] == f"Re: Вход в кабинет [{number}]" and answer["To"] == "anna@example.ru"
    assert answer["In-Reply-To"] == question["Message-ID"] and question["Message-ID"] in answer["References"]
    assert "Auto-Submitted" not in answer and PROJECT in answer["From"]
    assert "Забыли пароль" in answer.get_content()
    ours = [m for m in await rig.letters(number) if m.direction == "out"]
    assert [m.message_id for m in ours] == [answer["Message-ID"]]
    ticket = await rig.ticket(number)
    assert ticket.status is Status.ANSWERED and any(e.type == "reply_sent" for e in ticket.events)

    rig.deliver(reply_to(answer, "Ссылки «Забыли пароль?» у меня нет. Что делать?"))
    await rig.once()
    (ticket,) = await rig.tickets()
    assert ticket.number == number and ticket.status is Status.IN_PROGRESS
    message = [e for e in ticket.events if e.type == "requester_message"][-1]
    assert message.data["text"] == "Ссылки «Забыли пароль?» у меня нет. Что делать?"  # the quote is dropped
    assert "пишет:" not in message.data["text"] and ">" not in message.data["text"]
    assert any(e.type == "reopened" for e in ticket.events)

    rig.deliver(letter("И ещё: где сертификат?", subject=f"Вопрос по {number}"))  # same sender, number only
    rig.deliver(letter("Я тоже не могу войти", sender="Другой <other@example.ru>", subject=f"Re: [{number}]"))
    await rig.once()
    tickets = await rig.tickets()
    assert len(tickets) == 2 and tickets[1].email == "other@example.ru"  # another sender: a ticket of their own
    same = await rig.ticket(number)
    assert same.transcript[-1].text == "И ещё: где сертификат?"


async def test_auto_replies_and_bounces_never_reopen_a_closed_ticket(rig: MailRig) -> None:
    rig.deliver(letter(QUESTION))
    await rig.once()
    (ticket,) = await rig.tickets()
    number = ticket.number or ""
    await rig.answer(number, "Ответ заявителю.")
    await rig.once()
    answer = parse(rig.smtp.messages[-1].content)
    await act(rig.container.uow(), number, AccessScope(ApiRole.LINE1), lambda t: lc.close(t, OPERATOR, rig.clock()))
    away = letter("Я в отпуске.", subject="Автоответ: " + str(answer["Subject"]), In_Reply_To=str(answer["Message-ID"]))
    away["Auto-Submitted"] = "auto-replied"
    rig.deliver(away)
    bounce = (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.ru>\r\nTo: bilet@worldskills.ru\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.ru\r\n\r\n"
        "Final-Recipient: rfc822; anna@example.ru\r\nAction: failed\r\nStatus: 5.2.2\r\n"
        "Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\r\n\r\n"
        f"--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {answer['Message-ID']}\r\n\r\n--B--\r\n"
    )
    rig.deliver(bounce.encode())
    await rig.once()
    ticket = await rig.ticket(number)
    assert ticket.status is Status.CLOSED and len(await rig.tickets()) == 1
    bounced = [e for e in ticket.events if e.type == "mail_bounced"]
    assert len(bounced) == 1 and "Mailbox full" in bounced[0].data["comment"]
    kinds = sorted(m.kind for m in await rig.letters(number))
    assert kinds == ["auto_reply", "bounce", "letter", "reply"]
    assert len(rig.smtp.messages) == 1  # and nothing was sent back to the robots
    assert await delivery_of(rig, number) == [DeliveryStatus.FAILED]  # the letter came back: not «sent»


async def test_failed_send_is_retried_with_pauses_and_shown_on_the_ticket(rig: MailRig) -> None:
    rig.deliver(letter(QUESTION))
    await rig.once()
    number = (await rig.tickets())[0].number or ""
    rig.smtp.busy = True
    await rig.answer(number, "Ответ, который не сразу уйдёт.")
    await rig.once()
    async with rig.container.uow() as uow:
        (delivery,) = await uow.deliveries.of_ticket(number)
    assert delivery.status is DeliveryStatus.PENDING and delivery.attempts == 1 and "451" in (delivery.last_error or "")
    failed = [e for e in (await rig.ticket(number)).events if e.type == "reply_send_failed"]
    assert len(failed) == 1 and "следующая попытка" in failed[0].data["comment"]
    retry = f"{delivery.next_attempt_at.astimezone(MOSCOW):%d.%m.%Y %H:%M} МСК"  # the console's time, not UTC
    assert f"следующая попытка — {retry}" in failed[0].data["comment"] and "UTC" not in failed[0].data["comment"]
    await rig.once()  # not due yet: no attempt
    async with rig.container.uow() as uow:
        assert (await uow.deliveries.of_ticket(number))[0].attempts == 1
    rig.smtp.busy = False
    rig.clock.advance(minutes=2)
    await rig.once()
    async with rig.container.uow() as uow:
        (delivery,) = await uow.deliveries.of_ticket(number)
        stored = [m for m in await uow.mail.thread(number) if m.direction == "out"]
    assert delivery.status is DeliveryStatus.DELIVERED and delivery.attempts == 2
    assert len(rig.smtp.messages) == 1 and parse(rig.smtp.messages[0].content)["Message-ID"] == (stored[0].message_id)


async def test_refused_address_stops_retries_and_says_so(rig: MailRig) -> None:
    rig.smtp.refuse.add("anna@example.ru")
    rig.deliver(letter(QUESTION))
    await rig.once()
    number = (await rig.tickets())[0].number or ""
    await rig.answer(number, "Ответ на несуществующий адрес.")
    await rig.once()
    assert await delivery_of(rig, number) == [DeliveryStatus.FAILED]
    event = [e for e in (await rig.ticket(number)).events if e.type == "reply_send_failed"][-1]
    assert event.data["permanent"] and "550" in event.data["comment"] and "повторов не будет" in event.data["comment"]


async def test_replies_to_one_address_are_rate_limited(rig: MailRig) -> None:
    rig.reconfigure(replies_per_address_per_hour=0)
    rig.deliver(letter(QUESTION))
    await rig.once()
    number = (await rig.tickets())[0].number or ""
    await rig.answer(number, "Ответ.")
    await rig.once()
    async with rig.container.uow() as uow:
        (delivery,) = await uow.deliveries.of_ticket(number)
    assert delivery.status is DeliveryStatus.PENDING and "отложена" in (delivery.last_error or "")
    assert rig.smtp.messages == []


async def test_an_answer_written_in_the_console_goes_out_by_letter(rig: MailRig, console: Console) -> None:
    rig.deliver(letter(QUESTION))
    await rig.once()
    number = (await rig.tickets())[0].number or ""
    response = await console["line1"].post(ticket_path(number, "reply"), {"text": "Ответ из консоли."})
    assert response.status == 303
    await rig.once()
    (sent,) = rig.smtp.messages
    answer = parse(sent.content)
    assert sent.rcpt_tos == ["anna@example.ru"] and answer["Subject"] == f"Re: Вход в кабинет [{number}]"
    assert answer.get_content().startswith("Ответ из консоли.") and console.sender.sent == []  # not the chat's
    page = await console["line1"].get(ticket_path(number))
    assert "доставлено" in page.text and "Ответ отправлен письмом на anna@example.ru" in page.text


async def test_a_chat_answer_reaches_the_chat_and_the_pupils_mailbox(rig: MailRig, console: Console) -> None:
    """The bot promises «Ответим … на почту …»: a pupil who closed the tab still reads the answer (§6.3)."""
    requester = rig.dovecot.account()
    rig.smtp.relay_to["ivan.petrov@example.ru"] = requester
    number = await console.ticket()  # a chat ticket with the e-mail the pupil gave the bot
    response = await console["line1"].post(ticket_path(number, "reply"), {"text": "Очистите кэш браузера."})
    assert response.status == 303
    assert [d.text for d in console.sender.sent] == ["Очистите кэш браузера."]  # into the chat at once
    page = await console["line1"].get(response.headers["location"])
    assert "копия уйдёт письмом" in page.text

    def deliveries(body: dict[str, Any]) -> list[tuple[object, object]]:
        return [(d["channel"], d["status"]) for d in body["deliveries"]]

    _, before = await console.api.client.get(f"/api/v1/tickets/{number}", headers=console.api.headers("line1"))
    assert deliveries(before.json) == [("chat", "delivered"), ("email", "queued")]
    await rig.once()  # the mail worker sends the copy
    (inbox_letter,) = rig.dovecot.letters(requester)
    answer = parse(inbox_letter)
    assert answer["To"] == "ivan.petrov@example.ru" and f"[{number}]" in answer["Subject"]
    assert answer.get_content().startswith("Очистите кэш браузера.")
    _, after = await console.api.client.get(f"/api/v1/tickets/{number}", headers=console.api.headers("line1"))
    assert deliveries(after.json) == [("chat", "delivered"), ("email", "sent")]
    assert all(d["at"].endswith("+03:00") for d in after.json["deliveries"])
    page = await console["line1"].get(ticket_path(number))
    delivered = page.text[page.text.index("h-deliveries") :]
    assert "в чат: доставлено" in delivered and "письмом на ivan.petrov@example.ru: доставлено" in delivered, delivered


async def test_the_unions_mailbox_answers_in_the_unions_name_and_footer(rig: MailRig) -> None:
    """A letter to info@… is the Union's (§4.1): its answer is not signed as the project's support desk."""
    rig.deliver(letter(QUESTION, to=UNION), UNION_FOLDER)
    rig.deliver(letter(QUESTION, sender="Иван Петров <ivan@example.ru>"))
    await rig.once()
    tickets = {t.channel.value: t for t in await rig.tickets()}
    union, project = tickets["union_email"], tickets["project_email"]
    await rig.answer(union.number or "", "Ответ Союза.")
    await rig.answer(project.number or "", "Ответ проекта.")
    await rig.once()
    by_text = {parse(m.content).get_content().splitlines()[0]: parse(m.content) for m in rig.smtp.messages}
    from_union, from_project = by_text["Ответ Союза."], by_text["Ответ проекта."]
    union_from = parse_letter(from_union.as_bytes())  # email's policy.default inserts a space where words split
    assert union_from.from_name == "Союз «Молодые профессионалы (Ворлдскиллс Россия)»"
    assert union_from.from_address == UNION
    assert "Билет в будущее" not in from_union.get_content() and "Ворлдскиллс Россия" in from_union.get_content()
    assert f"Номер вашего обращения: {union.number}" in from_union.get_content()
    assert from_project["From"].addresses[0].display_name == "Билет в будущее"
    assert "Служба поддержки проекта «Билет в будущее»" in from_project.get_content()
    union_out = [m for m in await rig.letters(union.number or "") if m.direction == "out"]
    assert union_out[0].sender_name == "Союз «Молодые профессионалы (Ворлдскиллс Россия)»"
