"""Registration cards of the Union's general mailbox (§4.1.1–4.1.4).

Every letter to info@… is registered in the document system (СЭД) with a registration date and
an incoming number; its answer is due 30 calendar days after registration. The numbering scheme
is the Union's, so it is a format string from the settings; the number within the year comes
from a gapless counter in the database (``adapters.mail_repository``).
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

DEFAULT_INCOMING_FORMAT = "{seq:05d}/ВХ-{year}"
_FIELDS = frozenset({"seq", "year"})

# §4.1.1: what a letter to the general mailbox must carry.
SURNAME = "surname"
NAME = "name"
REPLY_ADDRESS = "reply_address"
SUBJECT = "subject"
REASON = "reason"
REQUIRED_FIELDS = (SURNAME, NAME, REPLY_ADDRESS, SUBJECT, REASON)
FIELD_LABELS_RU = {
    SURNAME: "фамилия",
    NAME: "имя",
    REPLY_ADDRESS: "адрес электронной почты для ответа",
    SUBJECT: "тема",
    REASON: "причина обращения",
}
SUMMARY_CHARS = 500


def check_incoming_format(fmt: str) -> str:
    """Accept a format with ``{seq}`` and optionally ``{year}``, nothing else (no attribute access).

    Raises:
        ValueError: in Russian, saying what is wrong; the settings refuse to load with it.
    """
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError as exc:
        raise ValueError(f"UNION_INCOMING_FORMAT={fmt!r}: непарные фигурные скобки ({exc}).") from None
    names = {name for _, name, _, _ in parsed if name is not None}
    unknown = names - _FIELDS
    if unknown:
        raise ValueError(f"UNION_INCOMING_FORMAT={fmt!r}: допустимы только {{seq}} и {{year}}, а не {sorted(unknown)}.")
    if "seq" not in names:
        raise ValueError(
            f"UNION_INCOMING_FORMAT={fmt!r}: нужен порядковый номер {{seq}}, например «{{seq:05d}}/ВХ-{{year}}»."
        )
    if any(conversion for _, name, _, conversion in parsed if name is not None):
        raise ValueError(f"UNION_INCOMING_FORMAT={fmt!r}: преобразования вида !r не допускаются.")
    try:
        incoming_number(fmt, 1, 2026)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"UNION_INCOMING_FORMAT={fmt!r}: {exc}.") from None
    return fmt


def incoming_number(fmt: str, seq: int, year: int) -> str:
    """The printed incoming number, e.g. ``00042/ВХ-2026``."""
    return fmt.format(seq=seq, year=year)


def missing_labels_ru(missing: tuple[str, ...] | list[str]) -> list[str]:
    return [FIELD_LABELS_RU.get(code, code) for code in missing]


def summary_of(text: str, limit: int = SUMMARY_CHARS) -> str:
    """«Краткое содержание»: the letter's text on one line, cut at a word near ``limit``."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut + "…"


@dataclass(frozen=True)
class RegistrationCard:
    """The card of one registered letter (§4.1.3); ``missing`` lists the §4.1.1 codes not found."""

    ticket_number: str
    incoming_number: str
    year: int
    seq: int
    registered_at: datetime
    registration_date: date  # the Moscow date, what the document system shows
    correspondent: str
    email: str | None
    subject: str
    summary: str
    due_at: datetime
    missing: tuple[str, ...] = ()
    surname: str | None = None
    name: str | None = None
    patronymic: str | None = None
    id: int | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "incoming_number": self.incoming_number,
            "registered_at": self.registered_at.isoformat(),
            "registration_date": self.registration_date.isoformat(),
            "correspondent": self.correspondent,
            "surname": self.surname,
            "name": self.name,
            "patronymic": self.patronymic,
            "email": self.email,
            "subject": self.subject,
            "summary": self.summary,
            "due_at": self.due_at.isoformat(),
            "ticket_number": self.ticket_number,
            "missing": list(self.missing),
            "missing_ru": missing_labels_ru(self.missing),
        }
