"""Who wrote a letter, and whether the procedure lets it be considered (§4.1.1, §6.1, §6.2).

The person's surname and name are looked for where people put them: the display name of the
From header («Петрова Анна Сергеевна <anna@…>») and the signature at the end of the text
(after «С уважением,» or on the last short line). Each word is judged by a
:class:`NameClassifier`; the default one asks pymorphy3, whose dictionary marks first names,
surnames and patronymics (``Name``, ``Surn``, ``Patr``) and guesses unknown surnames by
their endings.

Limits, on purpose: a name written only in the body's first sentence («Меня зовут…») is not
looked for; initials («Иванов И. И.») give a surname without a name; two first names and no
surname («Анна Мария») are read as name and surname; Latin names are taken in the Western
order (name, then surname). Line 1 sees what was found and what is missing, and decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, Protocol

from ticketing.domain.mail.auto import is_no_reply
from ticketing.domain.mail.cards import NAME, REASON, REPLY_ADDRESS, SUBJECT, SURNAME
from ticketing.domain.mail.threads import bare_subject

NameKind = Literal["surname", "name", "patronymic"]

_WORD = re.compile(r"[A-Za-zА-Яа-яЁё]+(?:-[A-Za-zА-Яа-яЁё]+)?\.?")
_CLOSING = re.compile(
    r"^(с\s+уважением|с\s+ув\.|уважением|с\s+наилучшими|всего\s+(доброго|хорошего)|заранее\s+(спасибо|благодарю)|"
    r"спасибо|благодарю|best\s+regards|kind\s+regards|regards|sincerely|thanks|--\s*$)",
    re.IGNORECASE,
)
_LATIN_NOT_NAMES = frozenset(
    "admin administrator info support help noreply mail team office school user test director manager".split()
)
_SIGNATURE_LINES = 4
_REASON_MIN_WORDS = 3


class NameClassifier(Protocol):
    def __call__(self, word: str) -> NameKind | None:
        """Whether a capitalised word is a surname, a first name, a patronymic, or none of them."""


@dataclass(frozen=True)
class PersonName:
    surname: str | None = None
    name: str | None = None
    patronymic: str | None = None
    source: str = ""  # "from" or "signature"

    @property
    def full(self) -> str:
        """In the document system's order: surname, name, patronymic."""
        return " ".join(p for p in (self.surname, self.name, self.patronymic) if p)

    @property
    def empty(self) -> bool:
        return not (self.surname or self.name)


class PymorphyNames:
    """pymorphy3's dictionary of names (loaded once, ~0.2 s); thread-safe for reading."""

    def __init__(self) -> None:
        import pymorphy3

        self._morph = pymorphy3.MorphAnalyzer()

    def __call__(self, word: str) -> NameKind | None:
        if not re.fullmatch(r"[А-ЯЁа-яё]+(-[А-ЯЁа-яё]+)?", word):
            return None
        for parse in self._morph.parse(word.lower()):
            if "Surn" in parse.tag:
                return "surname"
            if "Name" in parse.tag:
                return "name"
            if "Patr" in parse.tag:
                return "patronymic"
        return None


def find_name(display_name: str, text: str, classify: NameClassifier) -> PersonName | None:
    """The sender's name from the From display name, else the signature; ``None`` when neither has one."""
    from_header = _name_in(display_name, classify, source="from", any_case=True)
    if from_header is not None and from_header.surname and from_header.name:
        return from_header
    signed = None
    for line in signature_lines(text):
        signed = _name_in(line, classify, source="signature", any_case=False)
        if signed is not None:
            break
    candidates = [c for c in (from_header, signed) if c is not None]
    if not candidates:
        return None
    return max(candidates, key=lambda c: (bool(c.surname) + bool(c.name), c.source == "from"))


def signature_lines(text: str) -> list[str]:
    """The lines a signature is on: those after a closing phrase, else the last short line."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    tail = lines[-(_SIGNATURE_LINES + 2) :]
    for i, line in enumerate(tail):
        if _CLOSING.match(line):
            rest = _CLOSING.sub("", line).strip(" ,.!-—")
            after = tail[i + 1 : i + 1 + _SIGNATURE_LINES]
            return ([rest] if rest else []) + after
    if lines and len(lines[-1].split()) <= 4:
        return [lines[-1]]
    return []


def _name_in(phrase: str, classify: NameClassifier, *, source: str, any_case: bool) -> PersonName | None:
    words = [w.rstrip(".") for w in _WORD.findall(phrase.split(",")[0])]
    kinds: list[tuple[str, NameKind | None]] = []
    for word in words:
        if len(word) < 2:
            kinds.append((word, None))  # an initial
            continue
        if not any_case and not word[0].isupper():
            continue
        shaped = word[:1].upper() + word[1:].lower() if any_case else word
        kinds.append((shaped, _kind(shaped, classify)))
    found = {kind: word for word, kind in reversed(kinds) if kind is not None}
    names = [w for w, k in kinds if k == "name"]
    if "surname" not in found and len(names) >= 2:
        found["surname"] = names[0] if "patronymic" in found else names[1]
        found["name"] = names[1] if "patronymic" in found else names[0]
    if not found.get("surname") and not found.get("name"):
        return None
    return PersonName(found.get("surname"), found.get("name"), found.get("patronymic"), source)


def _kind(word: str, classify: NameClassifier) -> NameKind | None:
    if re.fullmatch(r"[A-Z][a-z]+(-[A-Z][a-z]+)?", word):
        return None if word.lower() in _LATIN_NOT_NAMES else "name"
    return classify(word)


def is_anonymous(reply_address: str | None, person: PersonName | None) -> bool:
    """§6.1: no one to answer, or the writer is not named by both surname and name.

    §6.1 does not say what «анонимное» means; we read it by 59-ФЗ: art. 7 asks a written request
    for the surname, name (and patronymic, if any), art. 11 leaves one without a surname unanswered.
    So «Маша» or «Иванов» alone is anonymous, «Иванова Маша» is not; initials do not count as a name
    (the heuristic cannot tell «И.» from a typo). Line 1 sees the ticket and can take it up by hand.
    """
    if reply_address is None or is_no_reply(reply_address) or person is None:
        return True
    return not (person.surname and person.name)


def is_personal_address(recipients: Iterable[str], own_addresses: Iterable[str], personal: Iterable[str]) -> bool:
    """§6.2: the letter names a staff member's personal address (or domain) and not one of our mailboxes."""
    rcpts = [r.lower() for r in recipients]
    own = {a.lower() for a in own_addresses if a}
    if any(r in own for r in rcpts):
        return False
    entries = [p.lower() for p in personal if p]
    for rcpt in rcpts:
        domain = rcpt.rsplit("@", 1)[-1]
        for entry in entries:
            if rcpt == entry or (entry.startswith("@") and domain == entry[1:]):
                return True
    return False


def missing_fields(*, subject: str, text: str, reply_address: str | None, person: PersonName | None) -> tuple[str, ...]:
    """§4.1.1: which of surname, name, reply address, subject and reason the letter lacks."""
    missing = []
    if person is None or not person.surname:
        missing.append(SURNAME)
    if person is None or not person.name:
        missing.append(NAME)
    if reply_address is None or is_no_reply(reply_address):
        missing.append(REPLY_ADDRESS)
    plain_subject = bare_subject(subject).strip(" .-—")
    if not plain_subject or plain_subject.lower() in ("без темы", "(без темы)", "no subject", "(no subject)"):
        missing.append(SUBJECT)
    if len(_content_words(text)) < _REASON_MIN_WORDS:
        missing.append(REASON)
    return tuple(missing)


def _content_words(text: str) -> list[str]:
    """Words of the letter without its greeting line and its signature: what it is about."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    signature = set(signature_lines(text))
    body = [
        line
        for line in lines
        if line not in signature
        and not _CLOSING.match(line)
        and not re.match(r"^(здравствуйте|добрый\s+(день|вечер)|доброе\s+утро|привет|hello|hi)\W*$", line, re.I)
    ]
    return [w for w in re.findall(r"[A-Za-zА-Яа-яЁё]{2,}", " ".join(body))]
