"""Ticket numbers: «БВБ-000123», one rule for the bot, the console, the API and the mail worker.

The stored form is one: the Cyrillic prefix, a hyphen and at least six digits (the millionth
ticket is «БВБ-1000000»). People type numbers as they like («бвб 123», «BVB-123», «№123»), so
reading is lenient, and it accepts the same numbers everywhere: a number the bot recognises in
the chat is one the API finds and a letter's subject threads on.
"""

from __future__ import annotations

import re

PREFIX = "БВБ"
WIDTH = 6  # digits printed at least
MAX_DIGITS = 9  # digits a person may type: room for far more tickets than the project will see

_PREFIX = r"(?:бвб|bvb)"
_SEPARATORS = r"[\s\-–—_№#:]*"
_DIGITS = rf"0*(\d{{1,{MAX_DIGITS}}})"

# The whole text is a number: «БВБ-000123», «бвб 123», «№123», «# 123», «123».
_WHOLE = re.compile(rf"^\s*(?:{_PREFIX}{_SEPARATORS}|[№#n]\s*)?{_DIGITS}\s*$", re.IGNORECASE)
WHOLE_PATTERN = (
    r"^[\t-\r ]*(?:(?:[бБ][вВ][бБ]|[bB][vV][bB])[\t-\r \-–—_№#:]*|[№#nN][\t-\r ]*)?0*[1-9][0-9]{0,8}[\t-\r ]*$"
)
r""":func:`parse_number`'s numbers (other than zero) as the OpenAPI document gives them: ECMAScript has
no flags inside a pattern and its ``\s``, ``\d`` are not Python's, so cases and classes are spelt out
(ASCII digits and spaces; tests/unit/properties/test_text_patterns.py holds the two together)."""
IN_TEXT = re.compile(rf"(?<![\w-]){_PREFIX}{_SEPARATORS}{_DIGITS}(?!\d)", re.IGNORECASE)
"""A number with its prefix inside a sentence or a subject: «что с обращением бвб 123?»."""
TAG = re.compile(rf"\s*\[{_PREFIX}{_SEPARATORS}\d{{1,{MAX_DIGITS}}}\]\s*", re.IGNORECASE)
"""The «[БВБ-000123]» tag our replies put in a letter's subject."""


def format_number(sequence: int) -> str:
    """The printed form of the ``sequence``-th ticket."""
    if sequence < 1:
        raise ValueError("ticket sequence numbers start at 1")
    return f"{PREFIX}-{sequence:0{WIDTH}d}"


def _formatted(match: re.Match[str] | None) -> str | None:
    if not match or int(match.group(1)) == 0:
        return None
    return format_number(int(match.group(1)))


def parse_number(text: str) -> str | None:
    """The stored form of a text that is only a ticket number, or ``None`` if it is not one."""
    return _formatted(_WHOLE.match(text or ""))


def find_number(text: str) -> str | None:
    """The first prefixed number inside ``text`` («по обращению бвб 123»), or ``None``."""
    return _formatted(IN_TEXT.search(text or ""))
