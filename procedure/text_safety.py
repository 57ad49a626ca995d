"""What text from outside may carry: the chat, letters, the API and the console forms (issue 13).

People's text is shown to staff, exported to spreadsheets and sent back by mail, so what arrives
is made safe once, at the entry, by the same rules in both environments:

- free text (a description, a message, a comment) keeps its line breaks and tabs, loses the other
  control characters (a NUL broke the XLSX export) and the bidi embeddings, overrides and isolates
  (U+202A–U+202E, U+2066–U+2069: «ivan\\u202e» shows reversed), and a lone surrogate, which no
  encoder can write, becomes U+FFFD;
- an identifier (an e-mail, a login) is refused outright if it carries anything invisible — a
  control or zero-width character, a bidi mark, a space — since removing it would make one address
  look like another. :func:`email_problem` adds the shape of an address the bot accepts as well.

Pure Python 3.10, no dependencies (``procedure/__init__.py``).
"""

from __future__ import annotations

import re

_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0 and C1 but \t \n \r
_SURROGATES = re.compile("[\ud800-\udfff]")
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
# What an identifier may not contain: the above, bidi marks, zero-width characters, soft hyphens.
_INVISIBLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# The address shape the bot's form accepts (actions/parsing.py): a Latin local part, a domain in
# Latin or Cyrillic letters. No quotes, brackets, colons or slashes, so «javascript:alert(1)//@…» fails.
EMAIL = re.compile(
    r"^[a-z0-9](?:[a-z0-9._%+\-']{0,62}[a-z0-9_%+\-])?"
    r"@(?:[a-z0-9а-яё](?:[a-z0-9а-яё\-]{0,61}[a-z0-9а-яё])?\.)+(?:[a-zа-яё]{2,24}|xn--[a-z0-9\-]{1,59})$"
)

# For documents that describe the rule (the OpenAPI document): a character that neutralise() and
# str.strip() both leave in place, and a string str.strip() empties. Each is in the subset of regular
# expressions that Python, ECMAScript and Rust read alike; tests/unit/properties prove they match.
_STRIPPED = r"\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"  # str.isspace()
VISIBLE_PATTERN = r"[^\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202a-\u202f\u205f\u2066-\u2069\u3000]"
BLANK_PATTERN = f"^[{_STRIPPED}]*$"
NOT_BLANK_PATTERN = f"[^{_STRIPPED}]"  # what str.strip() leaves something of

INVISIBLE_RU = "содержит невидимые или управляющие символы (пробел, нулевой ширины, смены направления текста)"
EMAIL_RU = "это не похоже на адрес электронной почты (нужно вида name@example.ru)"


def without_surrogates(text: str) -> str:
    """Only the lone surrogates replaced by U+FFFD: a string any encoder can write, of the same length."""
    return _SURROGATES.sub("\ufffd", text)


def neutralise(text: str) -> str:
    """Free text as it is stored and shown: see the module's docstring."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _SURROGATES.sub("\ufffd", text)
    text = _CONTROLS.sub("", text)
    return _BIDI_CONTROLS.sub("", text)


def invisible_problem(text: str) -> str | None:
    """Why ``text`` cannot be an identifier (in Russian), or ``None`` when nothing invisible is in it."""
    if _INVISIBLE.search(text) or any(ch.isspace() for ch in text):
        return INVISIBLE_RU
    return None


def email_problem(address: str) -> str | None:
    """Why ``address`` (lower-cased) is not an e-mail the project can answer, or ``None``."""
    problem = invisible_problem(address)
    if problem is not None:
        return problem
    if not EMAIL.match(address) or ".." in address:
        return EMAIL_RU
    return None
