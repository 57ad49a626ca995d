"""Recognise inflected and slightly misspelt forms of a closed set of reference words.

The region resolver (``ticketing.domain.regions``) knows a few hundred words: names of subjects,
cities and their short forms. People write them in any case form («в Татарстане», «из
Свердловской обл.», «Нижнем Новгороде») and sometimes with a typo («Свердловсая»). Instead of
lemmatising every word of every message, all forms of the reference words are generated once,
with pymorphy3's dictionary (offline), and a message word is then found by a dictionary look-up.

A reference word is reduced to a *key* (its dictionary lemma); :meth:`WordForms.lookup` returns
the keys a message word may stand for.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import pymorphy3

from ticketing.domain.text_normalize import deletions, fold, within_one_edit

# Shorter words are too easily one edit away from an unrelated word («Омская» / «Томская»).
FUZZY_MIN_LENGTH = 6
# Message words seen so far and their keys; a chat repeats the same few hundred words.
_CACHE_LIMIT = 20_000

# Endings that decline a word pymorphy3 does not know (it gives such words no paradigm):
# «Йошкар-Ола» → «в Йошкар-Оле». Indeclinable endings (-о, -е, -и, -у, -ы, -э) get none.
_GUESSED_ENDINGS: dict[str, tuple[str, ...]] = {
    "а": ("а", "ы", "и", "е", "у", "ой", "ою"),
    "я": ("я", "и", "е", "ю", "ей", "ею"),
    "ь": ("ь", "и", "ью"),
    "й": ("й", "я", "ю", "е", "ем"),
}
_CONSONANT_ENDINGS = ("", "а", "у", "е", "ом", "ы")
_VOWELS = set("аеиоуыэюя")


@lru_cache(maxsize=1)
def default_analyzer() -> Any:
    """The shared pymorphy3 analyzer: loading its dictionary takes ~0.1 s, so do it once."""
    return pymorphy3.MorphAnalyzer()


@dataclass(frozen=True)
class Lookup:
    """What a message word may be.

    Attributes:
        keys: keys of the reference words it is a form of; empty when none.
        fuzzy: True when found only by allowing one typo.
    """

    keys: frozenset[str]
    fuzzy: bool = False


_NOTHING = Lookup(frozenset())


class WordForms:
    """All forms of a set of reference words, built once, queried per message word."""

    def __init__(self, analyzer: Any | None = None, *, fuzzy: bool = True) -> None:
        """Start empty.

        Args:
            analyzer: a ``pymorphy3.MorphAnalyzer``; the shared one by default.
            fuzzy: whether :meth:`lookup` may allow one typo in long unknown words.
        """
        self._morph = analyzer if analyzer is not None else default_analyzer()
        self._fuzzy = fuzzy
        self._forms: dict[str, set[str]] = {}
        self._keys: set[str] = set()
        self._prefixes: set[str] = set()
        self._near: dict[str, set[str]] | None = None
        self._cache: dict[str, Lookup] = {}
        self._added: dict[tuple[str, bool], str] = {}

    def add(self, word: str, *, inflects: bool = True) -> str:
        """Register a reference word and return its key.

        Args:
            word: the word as written in the reference data (any case).
            inflects: False for abbreviations («ХМАО», «СПб»): they are matched as written.
        """
        word = fold(word)
        known = self._added.get((word, inflects))
        if known is not None:
            return known
        if not inflects or word.isdigit():
            key, forms = word, {word}
        else:
            key, forms = self._paradigm(word)
        self._keys.add(key)
        for form in forms:
            self._forms.setdefault(form, set()).add(key)
            self._prefixes.add(form[:3])
        self._near = None
        self._cache.clear()
        self._added[(word, inflects)] = key
        return key

    def vocabulary(self) -> frozenset[str]:
        """Every form of every reference word added so far."""
        return frozenset(self._forms)

    def is_common_word(self, word: str) -> bool:
        """Whether the dictionary knows the word as something other than a place («находка», «Ковров» the surname)."""
        word = fold(word)
        return bool(self._morph.word_is_known(word)) and "Geox" not in self._morph.parse(word)[0].tag

    def may_name_a_place(self, word: str) -> bool:
        """Whether the word can be read as a noun or full adjective other than a first name or patronymic.

        «Находки», «Шахты», «Заречный», «Ковров» can; «ясно» (adverb), «Анна» (a first name) cannot.
        """
        return any(
            {"NOUN", "ADJF"} & p.tag.grammemes and not {"Name", "Patr"} & p.tag.grammemes
            for p in self._morph.parse(fold(word))
        )

    def lookup(self, token: str) -> Lookup:
        """Keys a folded message word may stand for (see :func:`text_normalize.tokens`)."""
        found = self._cache.get(token)
        if found is None:
            found = self._lookup(token)
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[token] = found
        return found

    def _lookup(self, token: str) -> Lookup:
        keys = self._forms.get(token)
        if keys:
            return Lookup(frozenset(keys))
        if token.isdigit() or len(token) < 3:
            return _NOTHING
        if token[:3] in self._prefixes:
            # A form the generated paradigms missed; the analyzer may still know its lemma.
            lemmas = {fold(parse.normal_form) for parse in self._morph.parse(token)}
            if lemmas & self._keys:
                return Lookup(frozenset(lemmas & self._keys))
        if self._fuzzy and len(token) >= FUZZY_MIN_LENGTH and not self._morph.word_is_known(token):
            # Only a word no dictionary knows is taken for a typo: «ростом» stays a word.
            near = self._near_index()
            hits: set[str] = set()
            for variant in (token, *deletions(token)):
                for form in near.get(variant, ()):
                    if within_one_edit(token, form):
                        hits |= self._forms[form]
            if hits:
                return Lookup(frozenset(hits), fuzzy=True)
        return _NOTHING

    def _near_index(self) -> dict[str, set[str]]:
        """Forms by themselves and by each of their one-letter deletions, built on first need."""
        if self._near is None:
            near: dict[str, set[str]] = {}
            for form in self._forms:
                if len(form) >= FUZZY_MIN_LENGTH:
                    for variant in (form, *deletions(form)):
                        near.setdefault(variant, set()).add(form)
            self._near = near
        return self._near

    def _paradigm(self, word: str) -> tuple[str, set[str]]:
        """The key of a reference word and every form of it.

        A place name is preferred among the analyses («Орёл» the city, not the bird: same
        forms anyway); all analyses with the chosen lemma contribute their forms.
        """
        parses = self._morph.parse(word)
        best = next((p for p in parses if "Geox" in p.tag), parses[0])
        key = fold(best.normal_form)
        forms = {word}
        for parse in parses:
            if fold(parse.normal_form) == key:
                forms.update(fold(form.word) for form in parse.lexeme)
        if "UNKN" in best.tag or not self._morph.word_is_known(word):
            forms.update(_guessed_forms(word))
        return key, forms


def _guessed_forms(word: str) -> set[str]:
    """Case forms of an unknown noun by its ending, a fallback for names absent from the dictionary."""
    last = word[-1]
    if last in _GUESSED_ENDINGS:
        stem = word[:-1]
        return {stem + ending for ending in _GUESSED_ENDINGS[last]}
    if last in _VOWELS:
        return {word}
    return {word + ending for ending in _CONSONANT_ENDINGS}
