"""Hand-made broken letters: what a parser meets in a real mailbox sooner or later.

Each entry breaks one thing (MIME structure, charsets, encodings, header sizes, nesting depth) and
stays as a named case; the generated letters of tests/unit/properties/letters.py break them in
combination. The unit tests parse each one; the mail tests put each through Dovecot and the worker.
"""

from __future__ import annotations

import base64

HEAD = b"From: =?utf-8?b?0JjQstCw0L3QvtCy0LAg0JzQsNGA0LjRjw==?= <maria@example.ru>\r\nTo: bilet@worldskills.ru\r\n"
TEXT = "Здравствуйте! Не могу войти в личный кабинет.\r\n\r\nИванова Мария".encode()


def _nested(depth: int) -> bytes:
    body = b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + TEXT + b"\r\n"
    for level in range(depth):
        boundary = f"b{level}".encode()
        body = (
            b'Content-Type: multipart/mixed; boundary="' + boundary + b'"\r\n\r\n--' + boundary + b"\r\n"
            + body + b"\r\n--" + boundary + b"--\r\n"
        )
    return body


BROKEN_LETTERS: dict[str, bytes] = {
    "empty": b"",
    "headers only": HEAD + b"Subject: only headers\r\n",
    "binary garbage": bytes(range(256)) * 64,
    "no blank line after headers": HEAD + b"Subject: x\r\n" + TEXT,
    "huge subject": HEAD + b"Subject: " + b"\xd0\x96" * 150_000 + b"\r\n\r\n" + TEXT,
    "ten thousand headers": HEAD + b"".join(b"X-Junk-%d: %s\r\n" % (i, b"y" * 40) for i in range(10_000)) + b"\r\n"
    + TEXT,
    "a header line without a colon": HEAD + b"Subject: x\r\nthis is not a header\r\n\r\n" + TEXT,
    "unknown charset": HEAD + b"Subject: x\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\n" + TEXT,
    "charset with quotes and junk": HEAD + b'Content-Type: text/plain; charset="utf-8\\"; x\r\n\r\n' + TEXT,
    "cp1251 declared as utf-8": HEAD + b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    + "Здравствуйте! Не могу войти.\r\nИванова Мария".encode("cp1251"),
    "broken base64": HEAD + b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    + base64.b64encode(TEXT)[:-3] + b"!!*\r\n",
    "broken quoted-printable": HEAD + b"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: "
    b"quoted-printable\r\n\r\n=D0=97=D0=B4=D1=80=Z\r\n=\r\n=D0",
    "unknown transfer encoding": HEAD + b"Content-Transfer-Encoding: x-uuencode-ish\r\n\r\n" + TEXT,
    "broken encoded words": b"From: =?utf-8?b?!!!?= <=?koi8-r?q?=ZZ?=@example.ru>\r\n"
    b"Subject: =?bad?q?x?= =?utf-8?b?\r\n\r\n" + TEXT,
    "raw 8-bit headers": b"From: \xc8\xe2\xe0\xed\xee\xe2\xe0 <maria@example.ru>\r\n"
    b"Subject: \xff\xfe\xfa\r\n\r\n" + TEXT,
    "content type garbage": HEAD + b"Content-Type: ;;;==\x00/\r\n\r\n" + TEXT,
    "nul bytes in the body": HEAD + b"Subject: x\r\n\r\n" + TEXT.replace(b" ", b"\x00"),
    "one huge line": HEAD + b"Subject: x\r\n\r\n" + b"a" * 2_000_000,
    "unterminated multipart": HEAD + b'Content-Type: multipart/mixed; boundary="q"\r\n\r\n--q\r\n'
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + TEXT,
    "boundary never used": HEAD + b'Content-Type: multipart/mixed; boundary="AAA"\r\n\r\n--BBB\r\n'
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + TEXT + b"\r\n--BBB--\r\n",
    "multipart without a boundary": HEAD + b"Content-Type: multipart/mixed\r\n\r\n" + TEXT,
    "empty message/rfc822": HEAD + b'Content-Type: multipart/mixed; boundary="q"\r\n\r\n--q\r\n'
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + TEXT + b"\r\n--q\r\nContent-Type: message/rfc822\r\n\r\n"
    b"\r\n--q--\r\n",
    "broken report": HEAD + b'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n'
    b"--r\r\nContent-Type: message/delivery-status\r\n\r\nFinal-Recipient\r\n--r--\r\n",
    "nested 60 deep": HEAD + b"Subject: deep\r\n" + _nested(60),
    "nested 400 deep": HEAD + b"Subject: deeper\r\n" + _nested(400),
    "nested 3000 deep": HEAD + b"Subject: deepest\r\n" + _nested(3000),
    "bad date and ids": HEAD + b"Date: 99 Foo 20266 25:61\r\nMessage-ID: <<>>\r\nIn-Reply-To: <\r\nReferences: "
    + b"<a@b> " * 5000 + b"\r\n\r\n" + TEXT,
}
