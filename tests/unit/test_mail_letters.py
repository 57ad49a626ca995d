"""Parsing letters as they really come: encodings, HTML only, attachments over the limits."""

from __future__ import annotations

import base64
import email
from email.header import Header
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from typing import Any

import pytest

from tests.broken_letters import BROKEN_LETTERS
from ticketing.domain.mail.decoding import decode_bytes, decode_words
from ticketing.domain.mail.html_text import html_to_text
from ticketing.domain.mail.letters import Limits, parse_letter, size_ru

TEXT = "Здравствуйте! Не могу войти в личный кабинет, пишет: неверный пароль. Что делать?"


def test_plain_utf8_letter_with_addresses_and_ids() -> None:
    msg = EmailMessage()
    msg["From"] = "Петрова Анна <Anna.Petrova@Example.RU>"
    msg["Reply-To"] = "mama@example.ru"
    msg["To"] = "bilet@worldskills.ru, other@example.ru"
    msg["Cc"] = "copy@example.ru"
    msg["Subject"] = "Вход в кабинет"
    msg["Message-ID"] = "<abc.1@example.ru>"
    msg["In-Reply-To"] = "<prev@x>"
    msg["References"] = "<first@x> <prev@x>"
    msg["Date"] = "Fri, 27 Nov 2026 12:00:00 +0300"
    msg.set_content(TEXT)
    letter = parse_letter(msg.as_bytes())
    assert letter.from_address == "anna.petrova@example.ru" and letter.from_name == "Петрова Анна"
    assert letter.reply_address == "mama@example.ru"
    assert letter.recipients == ("bilet@worldskills.ru", "other@example.ru", "copy@example.ru")
    assert letter.message_id == "<abc.1@example.ru>" and letter.in_reply_to == ("<prev@x>",)
    assert letter.references == ("<first@x>", "<prev@x>")
    assert letter.text == TEXT and not letter.html_only and letter.attachments == ()
    assert letter.date is not None and letter.date.utcoffset() is not None
    assert letter.stored_raw == msg.as_bytes() and not letter.raw_trimmed


def test_windows_1251_body_and_encoded_word_subject() -> None:
    msg = MIMEText(TEXT, "plain", "windows-1251")
    msg["Subject"] = Header("Вопрос о сертификате", "windows-1251").encode()
    msg["From"] = "a@example.ru"
    letter = parse_letter(msg.as_bytes())
    assert letter.subject == "Вопрос о сертификате" and letter.text == TEXT


def test_koi8r_body_and_quoted_printable_subject() -> None:
    msg = MIMEText(TEXT, "plain", "koi8-r")
    msg["Subject"] = "=?koi8-r?Q?" + "".join(f"={b:02X}" for b in "Тест КОИ".encode("koi8-r")) + "?="
    msg["From"] = "=?koi8-r?B?" + base64.b64encode("Иван Петров".encode("koi8-r")).decode() + "?= <i@example.ru>"
    letter = parse_letter(msg.as_bytes())
    assert letter.subject == "Тест КОИ" and letter.text == TEXT and letter.from_name == "Иван Петров"


def test_undeclared_8bit_cp1251_and_koi8_are_told_apart() -> None:
    for charset in ("cp1251", "koi8-r"):
        raw = f"From: Иванов Иван <i@x.ru>\r\nSubject: Без кодировки\r\n\r\n{TEXT}\r\n".encode(charset)
        letter = parse_letter(raw)
        assert letter.text == TEXT and letter.subject == "Без кодировки" and letter.from_name == "Иванов Иван"


def test_misdeclared_and_unknown_charsets_fall_back() -> None:
    assert decode_bytes(TEXT.encode("cp1251"), "utf-8") == TEXT  # declared UTF-8, really cp1251
    assert decode_bytes(TEXT.encode("utf-8"), "x-unknown-charset") == TEXT
    assert decode_bytes("Привет".encode("cp1251"), "cp-1251") == "Привет"
    assert decode_words("=?utf-8?b?0J/RgNC40LLQtdGC?= =?utf-8?b?INC80LjRgA==?=") == "Привет мир"
    assert decode_words(None) == "" and decode_words("Re:\r\n  folded") == "Re: folded"


def test_encoded_comma_in_display_name_does_not_split_the_address() -> None:
    name = Header("Петров, Иван", "utf-8").encode()
    raw = f"From: {name} <p@x.ru>\r\nTo: bilet@worldskills.ru\r\nSubject: x\r\n\r\nтекст\r\n".encode()
    letter = parse_letter(raw)
    assert letter.from_address == "p@x.ru" and letter.from_name == "Петров, Иван"


def test_html_only_letter_becomes_readable_text() -> None:
    html = (
        "<html><head><style>p {color: red}</style><title>t</title></head><body>"
        "<p>Добрый&nbsp;день!</p><p>Где <b>сертификат</b>? <a href='https://bilet.worldskills.ru/x'>тут</a></p>"
        "<ul><li>раз</li><li>два</li></ul><script>alert(1)</script>С уважением,<br>Анна</body></html>"
    )
    msg = MIMEText(html, "html", "utf-8")
    msg["From"] = "a@x.ru"
    letter = parse_letter(msg.as_bytes())
    assert letter.html_only
    assert letter.text == (
        "Добрый день!\n\nГде сертификат? тут (https://bilet.worldskills.ru/x)\n\n• раз\n• два\nС уважением,\nАнна"
    )


def test_alternative_prefers_plain_and_html_meta_charset_is_read() -> None:
    alt = MIMEMultipart("alternative")
    alt.attach(MIMEText("простой текст", "plain", "utf-8"))
    alt.attach(MIMEText("<p>html</p>", "html", "utf-8"))
    assert parse_letter(alt.as_bytes()).text == "простой текст"
    html = MIMEApplication(
        '<html><head><meta charset="windows-1251"></head><body>Привет из HTML</body></html>'.encode("cp1251"),
        "html",
    )
    html.replace_header("Content-Type", "text/html")
    assert parse_letter(html.as_bytes()).text == "Привет из HTML"


def test_attachments_kept_within_limits_and_over_limit_ones_recorded_not_stored() -> None:
    msg = MIMEMultipart()
    msg["From"] = "a@x.ru"
    msg.attach(MIMEText("см. вложения", "plain", "utf-8"))
    small = MIMEApplication(b"%PDF" + b"x" * 2000, "pdf")
    small.add_header("Content-Disposition", "attachment", filename=("utf-8", "", "справка.pdf"))
    big = MIMEApplication(b"y" * 6000, "zip")
    big.add_header("Content-Disposition", "attachment", filename="архив.zip")
    third = MIMEApplication(b"z" * 3000, "octet-stream")
    encoded_name = "=?utf-8?b?" + base64.b64encode("скан.jpg".encode()).decode() + "?="
    third.add_header("Content-Disposition", "attachment", filename=encoded_name)
    for part in (small, big, third):
        msg.attach(part)
    letter = parse_letter(msg.as_bytes(), Limits(attachment_bytes=5000, letter_bytes=4500))
    names = [(a.filename, a.size, a.stored) for a in letter.attachments]
    assert names == [("справка.pdf", 2004, True), ("архив.zip", 6000, False), ("скан.jpg", 3000, False)]
    assert letter.attachments[1].reason == "больше 5 КБ"
    assert letter.attachments[2].reason == "письмо с вложениями больше 4 КБ"
    assert letter.raw_trimmed and b"y" * 100 not in letter.stored_raw and b"z" * 100 not in letter.stored_raw
    kept = parse_letter(letter.stored_raw)
    assert kept.attachments[0].size == 2004
    assert [a.filename for a in kept.attachments][1:] == ["архив.zip.txt", "скан.jpg.txt"]
    parts: Any = email.message_from_bytes(letter.stored_raw).get_payload()
    note = parts[2].get_payload(decode=True).decode()
    assert "«архив.zip» (6 КБ) не сохранено: больше 5 КБ" in note


def test_forwarded_letter_is_an_attachment_and_sizes_read_as_people_do() -> None:
    inner = EmailMessage()
    inner["Subject"] = "старое"
    inner.set_content("пересланный текст")
    outer = EmailMessage()
    outer["From"] = "a@x.ru"
    outer.set_content("пересылаю письмо")
    outer.add_attachment(inner)
    letter = parse_letter(outer.as_bytes())
    assert letter.text == "пересылаю письмо"
    assert [a.content_type for a in letter.attachments] == ["message/rfc822"]
    assert size_ru(10 * 1024 * 1024) == "10 МБ" and size_ru(1536) == "2 КБ" and size_ru(12) == "12 байт"


def test_garbage_never_raises() -> None:
    for raw in (b"", b"\xff\xfe\x00garbage", b"From: <<>>\r\nSubject: =?bad?q?x?=\r\nDate: never\r\n\r\n\x81\x82"):
        letter = parse_letter(raw)
        assert isinstance(letter.text, str) and letter.date is None


def test_html_to_text_keeps_cells_and_preformatted_text() -> None:
    text = html_to_text("<table><tr><td>Логин</td><td>ivanov</td></tr></table><pre>строка 1\n  строка 2</pre>")
    assert "Логин ivanov" in text and "строка 1\nстрока 2" in text
    assert html_to_text("<a href='mailto:bilet@worldskills.ru'>напишите нам</a>") == (
        "напишите нам (bilet@worldskills.ru)"
    )


def test_a_declared_boundary_never_used_still_gives_the_text_and_the_files() -> None:
    """The boundary in Content-Type is not the one the body uses: read the parts by the one it does use."""
    raw = (
        b'From: a@x.ru\r\nSubject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="AAA"\r\n\r\n'
        b"--BBB\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + TEXT.encode()
        + b"\r\n--BBB\r\nContent-Type: application/pdf; name=spravka.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"JVBERi0=\r\n--BBB--\r\n"
    )
    letter = parse_letter(raw)
    assert letter.text == TEXT
    assert [(a.filename, a.size) for a in letter.attachments] == [("spravka.pdf", 5)]


def test_a_multipart_without_a_boundary_is_read_as_the_text_it_is() -> None:
    raw = b"From: a@x.ru\r\nSubject: x\r\nContent-Type: multipart/mixed\r\n\r\n" + TEXT.encode("cp1251") + b"\r\n"
    letter = parse_letter(raw)
    assert letter.text == TEXT and letter.attachments == ()
    encoded = base64.b64encode(TEXT.encode()).decode()
    head = "From: a@x.ru\r\nContent-Type: multipart/alternative\r\nContent-Transfer-Encoding: base64\r\n"
    text_raw = f"{head}\r\n{encoded}\r\n"
    assert parse_letter(text_raw.encode()).text == TEXT


def test_the_letter_limit_counts_the_letter_as_received_not_decoded_files() -> None:
    """24 000 bytes of file are 32 400 in base64: a 30 000-byte letter limit refuses it."""
    msg = MIMEMultipart()
    msg["From"] = "a@x.ru"
    msg.attach(MIMEText(TEXT, "plain", "utf-8"))
    scan = MIMEApplication(bytes(range(256)) * 94, "octet-stream")
    scan.add_header("Content-Disposition", "attachment", filename="скан.tif")
    msg.attach(scan)
    raw = msg.as_bytes()
    letter = parse_letter(raw, Limits(attachment_bytes=100_000, letter_bytes=30_000))
    assert len(raw) > 30_000 and letter.attachments[0].size == 24_064
    assert not letter.attachments[0].stored
    assert letter.attachments[0].reason == "письмо с вложениями больше 29 КБ"
    assert len(letter.stored_raw) < 30_000 and TEXT in letter.text
    roomy = parse_letter(raw, Limits(attachment_bytes=100_000, letter_bytes=len(raw)))
    assert roomy.attachments[0].stored and roomy.stored_raw == raw


@pytest.mark.parametrize("name", sorted(BROKEN_LETTERS))
def test_broken_letters_parse_and_keep_what_is_readable(name: str) -> None:
    """Named broken letters (generated ones: tests/unit/properties): a Letter, never an exception."""
    raw = BROKEN_LETTERS[name]
    letter = parse_letter(raw, Limits(attachment_bytes=100_000, letter_bytes=1_000_000))
    assert isinstance(letter.text, str) and isinstance(letter.subject, str)
    assert letter.size == len(raw)
    if name in READABLE:
        assert "Не могу войти" in letter.text


READABLE = {
    "no blank line after headers",
    "huge subject",
    "ten thousand headers",
    "unknown charset",
    "charset with quotes and junk",
    "cp1251 declared as utf-8",
    "unknown transfer encoding",
    "broken encoded words",
    "raw 8-bit headers",
    "unterminated multipart",
    "boundary never used",
    "multipart without a boundary",
    "empty message/rfc822",
    "nested 60 deep",
    "nested 400 deep",
    "nested 3000 deep",
    "bad date and ids",
}
