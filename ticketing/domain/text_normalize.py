"""Text helpers for matching what people type against reference names.

People write the same word in many ways: «Орёл», «орел», «ОРЁЛ»; «Ханты-Мансийск»,
«ханты мансийск»; «Свердловская обл.», «свердловская,обл». Everything that compares
free text with reference data goes through :func:`tokens` first, so both sides agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Letters (Cyrillic and Latin) or digits; hyphens, dashes, dots and brackets all split words,
# so «Ростов-на-Дону» and «Ростов на Дону» give the same tokens.
_TOKEN = re.compile(r"[0-9]+|[a-zA-Zа-яА-ЯёЁ]+")


def fold(text: str) -> str:
    """Lower-case and spell ё as е, the way most people type it."""
    return text.casefold().replace("ё", "е")


def words(text: str) -> list[str]:
    """Split text into words and numbers as written (case kept); punctuation only separates."""
    return _TOKEN.findall(text)


def tokens(text: str) -> list[str]:
    """Split text into folded words and numbers; punctuation only separates."""
    return [fold(word) for word in _TOKEN.findall(text)]


def deletions(word: str) -> Iterator[str]:
    """Every string made by deleting one character of ``word``.

    Two words within one edit (insertion, deletion, substitution or swap of neighbours) share
    at least one deletion or one is a deletion of the other, which lets a typo find its word
    with a few dictionary look-ups instead of comparing against the whole vocabulary.
    """
    for i in range(len(word)):
        yield word[:i] + word[i + 1 :]


def within_one_edit(a: str, b: str) -> bool:
    """Whether ``a`` becomes ``b`` by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    return a[i:] == b[i + 1 :]
