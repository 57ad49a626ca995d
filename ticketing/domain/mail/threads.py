"""Threading of letters: which ticket a letter continues, and the headers that keep a reply in its thread.

A reply lands on its ticket by the Message-IDs it refers to (In-Reply-To, References: the
strongest link, since our replies carry Message-IDs we stored), else by the ticket number in
its subject («[БВБ-000123]», which every reply of ours carries). Only the text a person added
is kept: the quoted history below «… пишет:» or «> » lines is already on the ticket.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from procedure.ticket_numbers import TAG, find_number

_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_REPLY_PREFIX = re.compile(r"^\s*(?:(?:re|fwd?|aw|wg|ответ|отв|пересл)\s*(?:\[\d+\]|\(\d+\))?\s*:\s*)+", re.IGNORECASE)
_ATTRIBUTION = re.compile(
    r"""^(
        -{2,}\s*(original\s+message|исходное\s+сообщение|пересылаемое\s+сообщение|forwarded\s+message)\s*-{2,}.*
      | on\s.+\swrote:\s*
      | .{2,200}\s(пишет|писал|писала|написал|написала|написал\(а\)|wrote):\s*
      | .{0,150}\d{1,2}:\d{2}.{0,150}<[^<>@\s]+@[^<>\s]+>:?\s*
      | _{5,}\s*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_LOOSE_ATTRIBUTION = re.compile(r"^.{0,200}(@|\d{1,2}:\d{2}).{0,200}:$")
_OUTLOOK_FROM = re.compile(r"^(from|от|отправитель)\s*:", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(r"^(sent|date|отправлено|дата|to|кому|subject|тема)\s*:", re.IGNORECASE)
MAX_REFERENCES = 20


def message_ids(value: str | None) -> tuple[str, ...]:
    """The ``<…@…>`` ids in a Message-ID, In-Reply-To or References header, in order."""
    return tuple(_MESSAGE_ID.findall(value or ""))


def ticket_number_in(subject: str) -> str | None:
    """«Re: Вход [БВБ-000123]» → «БВБ-000123»; also «бвб 123», «BVB-123»."""
    return find_number(subject)


def bare_subject(subject: str) -> str:
    """The subject without «Re:», «Fwd:», «Ответ:» prefixes and our «[БВБ-…]» tag."""
    text = TAG.sub(" ", subject or "")
    previous = None
    while previous != text:
        previous = text
        text = _REPLY_PREFIX.sub("", text).strip()
    return " ".join(text.split())


def reply_subject(subject: str, number: str) -> str:
    """«Re: <subject> [БВБ-000123]»: one «Re:», one tag, whatever the thread had gathered."""
    base = bare_subject(subject) or "Ваше обращение"
    return f"Re: {base} [{number}]"


def references_for(thread: list[str], limit: int = MAX_REFERENCES) -> tuple[str, ...]:
    """The References of a reply: the thread's ids oldest first, the first and the latest kept when long."""
    unique = list(dict.fromkeys(i for i in thread if i))
    if len(unique) <= limit:
        return tuple(unique)
    return (unique[0], *unique[-(limit - 1) :])


def outgoing_message_id(delivery_id: int, number: str, created_at: datetime, domain: str) -> str:
    """Our reply's Message-ID; the same for every retry of one delivery, so a repeat is a duplicate, not news."""
    digits = "".join(ch for ch in number if ch.isdigit())
    salt = hashlib.sha256(f"{delivery_id}:{number}:{created_at.isoformat()}".encode()).hexdigest()[:12]
    return f"<bvb-{digits}.{delivery_id}.{salt}@{domain or 'localhost'}>"


def strip_quoted(text: str) -> str:
    """The new part of a reply: drop «>» lines and their attribution, cut at an unmarked quoted letter.

    A quote marked with «>» has an end, so what follows it is new text (a bottom-posted or
    interleaved reply) and is kept. A quote without marks («-----Original Message-----»,
    Outlook's «От: … Отправлено: …», an attribution over plain text) runs to the end of the letter.
    """
    lines = text.split("\n")
    kept: list[str] = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if _ATTRIBUTION.match(stripped):
            if _quote_follows(lines, i + 1):
                continue
            break
        if _LOOSE_ATTRIBUTION.match(stripped) and _quote_follows(lines, i + 1):
            continue  # «Пн, 7 дек. 2026 г. в 09:00, anna@example.ru:» over a «>» quote
        if _OUTLOOK_FROM.match(stripped) and any(_OUTLOOK_NEXT.match(n.strip()) for n in lines[i + 1 : i + 4]):
            break
        if stripped.startswith(">"):
            continue
        kept.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def _quote_follows(lines: list[str], start: int) -> bool:
    """Whether the first non-blank line from ``start`` is a «>» quote line."""
    following = next((line.strip() for line in lines[start:] if line.strip()), "")
    return following.startswith(">")
