"""Auto-replies and bounces are recognised; letters people wrote are not mistaken for them."""

from __future__ import annotations

from email.message import EmailMessage
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest

from ticketing.domain.mail.auto import LetterKind, classify, is_no_reply, is_system_sender
from ticketing.domain.mail.letters import parse_letter


def letter(headers: dict[str, str], body: str = "Текст письма") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "ivan@example.ru"
    msg["To"] = "bilet@worldskills.ru"
    msg["Subject"] = "Вопрос"
    for name, value in headers.items():
        del msg[name]
        msg[name] = value
    msg.set_content(body)
    return msg


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Auto-Submitted": "auto-generated"},
        {"X-Autoreply": "yes"},
        {"X-Autorespond": "1"},
        {"Precedence": "bulk"},
        {"Precedence": "auto_reply"},
        {"X-Auto-Response-Suppress": "All"},
        {"Subject": "Автоответ: Вопрос"},
        {"Subject": "Out of Office: Вопрос"},
        {"Subject": "Automatic reply: Вопрос"},
        {"List-Id": "<news.example.ru>"},
        {"Return-Path": "<>"},
    ],
)
def test_auto_replies(headers: dict[str, str]) -> None:
    kind, sign = classify(parse_letter(letter(headers).as_bytes()))
    assert kind is LetterKind.AUTO_REPLY and sign


@pytest.mark.parametrize(
    "headers",
    [
        {"From": "MAILER-DAEMON@mx.example.ru"},
        {"From": "postmaster@example.ru"},
        {"X-Failed-Recipients": "ivan@example.ru"},
        {"Return-Path": "<>", "Subject": "Undelivered Mail Returned to Sender"},
        {"Return-Path": "<>", "Subject": "Недоставленное сообщение"},
    ],
)
def test_bounces_by_headers(headers: dict[str, str]) -> None:
    assert classify(parse_letter(letter(headers).as_bytes()))[0] is LetterKind.BOUNCE


def dsn(original_id: str = "<bvb-123.7.abc@worldskills.ru>") -> bytes:
    """A bounce as Postfix writes it (RFC 3464), returning one of our replies."""
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.ru>\r\n"
        "To: bilet@worldskills.ru\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        "Письмо не доставлено: нет такого ящика.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.ru\r\n\r\n"
        "Final-Recipient: rfc822; ivan@example.ru\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n"
        "--B\r\nContent-Type: message/rfc822\r\n\r\n"
        f"Message-ID: {original_id}\r\nSubject: Re: Question [BVB-000123]\r\n\r\nответ\r\n"
        "--B--\r\n"
    ).encode()


def test_delivery_status_report_is_a_bounce_with_the_returned_letter_named() -> None:
    parsed = parse_letter(dsn())
    kind, sign = classify(parsed)
    assert kind is LetterKind.BOUNCE and sign is not None and "delivery-status" in sign
    assert parsed.report is not None
    assert parsed.report.original_message_id == "<bvb-123.7.abc@worldskills.ru>"
    assert parsed.report.recipient == "ivan@example.ru" and parsed.report.status == "5.1.1"
    assert parsed.report.diagnostic is not None and "User unknown" in parsed.report.diagnostic
    assert parsed.text == "Письмо не доставлено: нет такого ящика."  # the returned letter is not the text


def test_read_receipt_is_not_a_request() -> None:
    receipt = MIMEMultipart("report", report_type="disposition-notification")
    receipt["From"] = "ivan@example.ru"
    receipt.attach(MIMEText("Ваше письмо прочитано", "plain", "utf-8"))
    assert classify(parse_letter(receipt.as_bytes()))[0] is LetterKind.AUTO_REPLY


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Auto-Submitted": "no"},
        {"Precedence": "normal"},
        {"Subject": "Re: ответ на ваш автоответ не пришёл"},
        {"Return-Path": "<ivan@example.ru>"},
    ],
)
def test_letters_people_wrote(headers: dict[str, str]) -> None:
    assert classify(parse_letter(letter(headers).as_bytes())) == (LetterKind.PERSONAL, None)


def test_no_reply_and_system_addresses() -> None:
    for address in ("noreply@bilet.ru", "no-reply@x.ru", "do-not-reply@x.ru", "mailer-daemon@x.ru", "bounces@x.ru"):
        assert is_no_reply(address)
    assert is_system_sender("MAILER-DAEMON@x.ru") and not is_system_sender("daemon.fan@x.ru")
    assert not is_no_reply("ivan.noreply.fan@x.ru") and not is_no_reply(None)
