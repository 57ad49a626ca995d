"""Hypothesis strategies of letters as a mailbox really gets them, and broken in every way a parser meets.

A letter is built from parts that are each right or wrong: headers (encoded words in real, wrong and
unknown charsets, raw 8-bit bytes, huge or missing), bodies (declared, misdeclared or undeclared
charsets; base64 and quoted-printable, whole or broken), multiparts (nested up to hundreds deep, with
boundaries used, unused, missing or unterminated), attachments; then, sometimes, bytes are cut,
flipped or inserted anywhere. ``tests/broken_letters.py`` keeps the hand-made cases of the same kinds.
"""

from __future__ import annotations

import base64
import quopri

from hypothesis import strategies as st

TEXT = "Здравствуйте! Не могу войти в личный кабинет.\n\nИванова Мария"
CHARSETS = ["utf-8", "windows-1251", "koi8-r", "cp866", "iso-8859-5", "us-ascii", "x-klingon", "", 'utf-8\\"; x']
REAL = ["utf-8", "windows-1251", "koi8-r", "cp866", "iso-8859-5"]


def _encode(text: str, charset: str) -> bytes:
    try:
        return text.encode(charset, "replace")
    except LookupError:
        return text.encode("utf-8")


words = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40) | st.sampled_from(
    ["Иванова Мария", "Вопрос о сертификате", "Re: [БВБ-000123] Ответ", "", "  ", "Ответ\x00\u202e"]
)


@st.composite
def header_value(draw: st.DrawFn) -> bytes:
    """A header's value: plain, an RFC 2047 word (maybe lying about its charset), raw bytes or junk."""
    kind = draw(st.sampled_from(["plain"] * 3 + ["word_b", "word_q", "raw", "broken_word", "bytes", "huge"]))
    text = draw(words)
    if kind == "plain":
        return text.encode("ascii", "replace")
    charset = draw(st.sampled_from(CHARSETS))
    body = _encode(text, draw(st.sampled_from(REAL)))  # the charset declared need not be the one used
    if kind == "word_b":
        return b"=?" + charset.encode() + b"?b?" + base64.b64encode(body) + b"?="
    if kind == "word_q":
        return b"=?" + charset.encode() + b"?q?" + quopri.encodestring(body, header=True) + b"?="
    if kind == "raw":
        return body
    if kind == "broken_word":
        return b"=?" + charset.encode() + b"?" + draw(st.sampled_from([b"b?!!!", b"q?=ZZ", b"x?y", b"b?"])) + b"?="
    if kind == "bytes":
        return draw(st.binary(max_size=60)).replace(b"\n", b" ").replace(b"\r", b" ")
    return draw(st.sampled_from([b"\xd0\x96", b"x", b"=?utf-8?b?0JY=?= "])) * draw(st.integers(1000, 30_000))


@st.composite
def headers(draw: st.DrawFn) -> bytes:
    names = ["From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID", "In-Reply-To", "References"]
    names += ["Auto-Submitted", "Precedence", "Return-Path", "X-Junk"]
    lines = []
    for name in draw(st.lists(st.sampled_from(names), max_size=10)):
        value = draw(header_value())
        if name in ("From", "To", "Cc", "Reply-To") and draw(st.booleans()):
            value += draw(st.sampled_from([b" <maria@example.ru>", b" <>", b" <a@b@c>", b", x@y.ru", b""]))
        lines.append(name.encode() + b": " + value)
    if draw(st.integers(0, 9)) == 0:  # thousands of header lines, as a looping relay adds them
        lines += [b"X-Many-%d: %s" % (i, b"y" * 40) for i in range(draw(st.integers(100, 3000)))]
    if draw(st.booleans()):
        lines.append(b"this is not a header")
    return b"\r\n".join(lines) + (b"\r\n" if lines else b"")


@st.composite
def leaf(draw: st.DrawFn) -> bytes:
    """A single part: text or HTML or a file, in some charset and transfer encoding, honest or not."""
    ctype = draw(st.sampled_from(["text/plain", "text/html", "application/pdf", "image/png", "message/rfc822", "x/y"]))
    declared = draw(st.sampled_from(CHARSETS))
    actual = draw(st.sampled_from(REAL))
    text = draw(st.sampled_from([TEXT, "", "<p>" + TEXT + "</p>", "<meta charset=koi8-r>" + TEXT]) | words)
    body = _encode(text, actual) if ctype.startswith("text") else draw(st.binary(max_size=300))
    encoding = draw(st.sampled_from(["", "8bit", "base64", "quoted-printable", "x-uuencode-ish", "7bit"]))
    if encoding == "base64":
        body = base64.b64encode(body)
        if draw(st.booleans()):
            body = body[: draw(st.integers(0, len(body)))] + b"!!*"
    elif encoding == "quoted-printable":
        body = quopri.encodestring(body) + draw(st.sampled_from([b"", b"=Z", b"=", b"=D0"]))
    head = b"Content-Type: " + ctype.encode()
    if declared or draw(st.booleans()):
        head += b"; charset=" + declared.encode()
    head += b"\r\n"
    if encoding:
        head += b"Content-Transfer-Encoding: " + encoding.encode() + b"\r\n"
    if draw(st.booleans()):
        disposition = draw(st.sampled_from([b"attachment", b"inline", b";;="]))
        head += b"Content-Disposition: " + disposition + b"; filename=" + draw(header_value())[:300] + b"\r\n"
    return head + b"\r\n" + body


@st.composite
def part(draw: st.DrawFn, depth: int = 0) -> bytes:
    """A leaf, or a multipart of parts; nesting is drawn deep now and then, and its boundaries broken."""
    if depth > 6 or not draw(st.booleans()):
        return draw(leaf())
    subtype = draw(st.sampled_from(["mixed", "alternative", "related", "report; report-type=delivery-status"]))
    boundary = draw(st.sampled_from([b"b", b"==_x_==", b"a" * 70, b"q q", b""])) + str(depth).encode()
    children = draw(st.lists(part(depth + 1), min_size=0, max_size=3))
    declared = boundary if draw(st.integers(0, 5)) else b"other"  # now and then the body uses another one
    head = b"Content-Type: multipart/" + subtype.encode()
    if draw(st.integers(0, 5)):
        head += b'; boundary="' + declared + b'"'
    body = b"".join(b"--" + boundary + b"\r\n" + child + b"\r\n" for child in children)
    if draw(st.integers(0, 4)):
        body += b"--" + boundary + b"--\r\n"  # else unterminated
    return head + b"\r\n\r\n" + body


def nested(depth: int) -> bytes:
    body = b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + TEXT.encode() + b"\r\n"
    for level in range(depth):
        b = f"n{level}".encode()
        body = (
            b'Content-Type: multipart/mixed; boundary="'
            + b
            + b'"\r\n\r\n--'
            + b
            + b"\r\n"
            + body
            + b"\r\n--"
            + b
            + b"--\r\n"
        )
    return body


@st.composite
def mutated(draw: st.DrawFn, raw: bytes) -> bytes:
    """Cut, flipped or inserted bytes: what a broken relay or a half-written file leaves."""
    for _ in range(draw(st.integers(0, 3))):
        if not raw:
            break
        at = draw(st.integers(0, len(raw)))
        action = draw(st.sampled_from(["cut", "flip", "insert", "drop_crlf"]))
        if action == "cut":
            raw = raw[:at]
        elif action == "flip" and at < len(raw):
            raw = raw[:at] + bytes([raw[at] ^ 0xFF]) + raw[at + 1 :]
        elif action == "insert":
            raw = raw[:at] + draw(st.binary(min_size=1, max_size=20)) + raw[at:]
        else:
            raw = raw.replace(b"\r\n", b"\n", 1)
    return raw


@st.composite
def letters(draw: st.DrawFn) -> bytes:
    head = draw(headers())
    body = nested(draw(st.integers(50, 600))) if draw(st.integers(0, 19)) == 0 else draw(part())
    raw = head + body if draw(st.integers(0, 9)) else head + b"\r\n" + body  # a part's own headers join the letter's
    return draw(mutated(raw)) if draw(st.booleans()) else raw
