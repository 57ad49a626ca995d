"""Is a message written in Russian? (§1.4: the project's language is Russian; §4.7:
requests in foreign languages are not considered.)

Rules come first because chat messages are short: letters Russian does not have, frequent
words of the neighbouring languages, other scripts (Armenian, Georgian, Han, Arabic...),
and the share of words the Russian dictionary knows. The statistical detector (lingua,
restricted to the languages that matter) only settles longer texts the rules leave open.

Decisions worth knowing:

* Russian with English technical words («не работает login, error 500»), logins, e-mail
  addresses, URLs and numbers is Russian: those tokens carry no language. So is Latin text
  a Russian sentence quotes or introduces with a colon («Пишет: Something went wrong»).
* Transliterated Russian («privet, ne mogu voyti») is Russian. §1.4 is about the language,
  not the keyboard: a pupil whose phone has no Cyrillic layout still writes Russian and can
  be answered. It is recognised by reading the Latin words as Cyrillic and looking them up
  in the Russian dictionary.
* A lone Latin word («superstar», «Merci») is more often a login, a name or a brand than a
  request in a foreign language, so it is not flagged unless it has letters of another
  alphabet (ş, ñ, ß, ə...).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from procedure.screening.language_data import (
    ENGLISH_COMMON,
    FOREIGN_CYRILLIC_LETTERS,
    FOREIGN_CYRILLIC_WORDS,
    LANGUAGE_NAMES,
    LINGUA_LANGUAGES,
    NEUTRAL_LATIN_WORDS,
    SHORT_TRANSLIT_WORDS,
    TECH_WORDS,
    UZBEK_LATIN_WORDS,
    WEAK_FOREIGN_WORDS,
)
from procedure.screening.normalize import fold, has_cyrillic, has_latin, lookalike_to_cyrillic, strip_addresses
from procedure.screening.normalize import transliterations as _transliterations

RUSSIAN = "ru"

# Scripts other than Cyrillic and Latin: the script alone names the language well enough.
_SCRIPT_LANGUAGE = {
    "ARMENIAN": "hy",
    "GEORGIAN": "ka",
    "CJK": "zh",
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "HANGUL": "ko",
    "ARABIC": "ar",
    "HEBREW": "he",
    "DEVANAGARI": "hi",
    "THAI": "th",
    "GREEK": "el",
}
# Letters of other Latin alphabets: a single word with them is still a foreign word.
_FOREIGN_LATIN_LETTERS = frozenset("şğıəñßäöüéèêàçąęłżźśćńõãåøæœ")
_WORD = re.compile(r"[^\W\d_]+(?:['’ʻ`][^\W\d_]+)*")
# Pieces that are logins, file names, domains, hashtags or mentions, not words.
_NOT_PROSE = re.compile(r"[\d_/\\@#]|\w\.\w")
_RUSSIAN_SOFT_L = re.compile(r"л(?=[бвгджзклмнпрстфхцчшщ])")
_RUSSIAN_TSYA = re.compile(r"тся$")
# Quoted text and whatever follows a colon: what a Russian writer copies from the screen.
_QUOTED = re.compile(r"«[^»]*»|\"[^\"]*\"|“[^”]*”|„[^“”]*[“”]|:.*", re.DOTALL)

# How sure the detector must be before its answer counts (low-accuracy mode gives peaky values).
_LINGUA_MIN_CONFIDENCE = 0.5


class LanguageDetector(Protocol):
    """A statistical detector: ISO 639-1 code and confidence of the likeliest language."""

    def detect(self, text: str) -> tuple[str, float] | None: ...


class LinguaDetector:
    """lingua restricted to ``LINGUA_LANGUAGES``, in low-accuracy mode.

    High-accuracy mode with these 14 languages holds ~420 MB; low-accuracy mode ~35 MB and
    is as good on the multi-word texts it is asked about (short ones are left to the rules).
    Models ship inside the wheel: nothing is downloaded.
    """

    def __init__(self, languages: tuple[str, ...] = LINGUA_LANGUAGES) -> None:
        from lingua import Language, LanguageDetectorBuilder

        chosen = [getattr(Language, name) for name in languages]
        builder = LanguageDetectorBuilder.from_languages(*chosen).with_low_accuracy_mode()
        self._detector = builder.with_preloaded_language_models().build()

    def detect(self, text: str) -> tuple[str, float] | None:
        values = self._detector.compute_language_confidence_values(text)
        if not values or values[0].value <= 0:
            return None
        top = values[0]
        return top.language.iso_code_639_1.name.lower(), float(top.value)


@dataclass(frozen=True)
class LanguageFinding:
    """What the language check concluded; on a Russian text ``reasons`` may hold a note (``translit:ru``)."""

    language: str
    foreign: bool
    reasons: tuple[str, ...] = ()


@functools.lru_cache(maxsize=4096)
def _script(char: str) -> str:
    try:
        return unicodedata.name(char).split()[0]
    except ValueError:
        return "UNKNOWN"


_CYR, _LAT, _OTHER = 0, 1, 2


@functools.lru_cache(maxsize=65536)
def _piece_words(piece: str) -> tuple[tuple[int, str], ...]:
    """The words of one whitespace-separated piece with their script; remembered, as words repeat."""
    if _NOT_PROSE.search(piece):
        return ()
    words: list[tuple[int, str]] = []
    for word in _WORD.findall(fold(piece)):
        cyr, lat = has_cyrillic(word), has_latin(word)
        if cyr and lat:
            words.append((_CYR, lookalike_to_cyrillic(word)))
        elif cyr or _script(word[0]) == "CYRILLIC":
            words.append((_CYR, word))
        elif lat or _script(word[0]) == "LATIN":
            words.append((_LAT, word))
        else:
            words.append((_OTHER, word))
    return tuple(words)


@functools.lru_cache(maxsize=65536)
def _foreign_marks(word: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Letters of neighbouring Cyrillic alphabets in the word, and the languages whose word lists hold it."""
    special = frozenset(char for char in word if char in FOREIGN_CYRILLIC_LETTERS)
    langs = () if special else tuple(lang for lang, vocabulary in FOREIGN_CYRILLIC_WORDS.items() if word in vocabulary)
    return special, langs


class LanguageIdentifier:
    """Tells Russian from other languages; one instance serves all threads (read-only state).

    Args:
        word_is_known: whether a lower-case Cyrillic word is in the Russian dictionary
            (``pymorphy3.MorphAnalyzer().word_is_known``).
        detector: statistical detector for longer texts; ``None`` keeps to the rules.
    """

    def __init__(self, word_is_known: Callable[[str], bool], detector: LanguageDetector | None) -> None:
        self._known = functools.lru_cache(maxsize=65536)(word_is_known)
        self._detector = detector
        self._reads_as_russian = functools.lru_cache(maxsize=16384)(self._translit_is_russian)

    def identify(self, text: str) -> LanguageFinding:
        """Decide the language of one message (``ru`` when it has no language at all)."""
        cyrillic, latin, others = self._split_words(text)
        other_letters = sum(len(word) for word in others)
        all_letters = other_letters + sum(len(w) for w in cyrillic) + sum(len(w) for w in latin)
        if other_letters >= 2 and other_letters >= 0.3 * all_letters:
            return self._by_script(others)

        russian_words, finding = self._cyrillic(cyrillic)
        if finding is not None:
            return finding
        if russian_words and latin:
            # A Russian sentence quoting the screen: «Пишет: Something went wrong», «ошибка "Invalid token"».
            _, latin, _ = self._split_words(_QUOTED.sub(" ", text))
        latin_finding = self._latin(latin, russian_words)
        if latin_finding is not None:
            return latin_finding
        return self._cyrillic_statistics(cyrillic, russian_words)

    def _split_words(self, text: str) -> tuple[list[str], list[str], list[str]]:
        cyrillic: list[str] = []
        latin: list[str] = []
        others: list[str] = []
        lists = {_CYR: cyrillic, _LAT: latin, _OTHER: others}
        for piece in strip_addresses(text).split():
            for kind, word in _piece_words(piece):
                lists[kind].append(word)
        return cyrillic, latin, others

    @staticmethod
    def _by_script(others: list[str]) -> LanguageFinding:
        counts: dict[str, int] = defaultdict(int)
        for word in others:
            for char in word:
                counts[_script(char)] += 1
        script = max(counts, key=lambda name: counts[name])
        language = _SCRIPT_LANGUAGE.get(script, "und")
        return LanguageFinding(language, True, (f"script:{script.lower()}",))

    def _cyrillic(self, words: list[str]) -> tuple[int, LanguageFinding | None]:
        """Letters and words of neighbouring languages against known Russian words."""
        votes: dict[str, float] = defaultdict(float)
        letters: set[str] = set()
        foreign = 0.0
        russian = 0
        for word in words:
            special, langs = _foreign_marks(word)
            if special:
                letters |= special
                foreign += 1
            elif word in WEAK_FOREIGN_WORDS:
                foreign += 0.5
                votes[WEAK_FOREIGN_WORDS[word]] += 1
            elif langs:
                foreign += 1
                for lang in langs:
                    votes[lang] += 2
            elif len(word) >= 3 and self._known(word):
                russian += 1
        for letter in letters:
            for lang, weight in FOREIGN_CYRILLIC_LETTERS[letter].items():
                votes[lang] += weight
        if foreign < 1 or foreign < 0.5 * russian:
            return russian, None
        language = max(votes, key=lambda lang: votes[lang])
        name = LANGUAGE_NAMES.get(language, language)
        reason = f"script:{name}_letters" if letters else f"words:{language}"
        return russian, LanguageFinding(language, True, (reason,))

    def _latin(self, words: list[str], russian_words: int) -> LanguageFinding | None:
        """Latin words: technical vocabulary, transliterated Russian, Uzbek, or a foreign text."""
        content = [w for w in words if w not in TECH_WORDS and w not in NEUTRAL_LATIN_WORDS and len(w) >= 2]
        if not content or russian_words >= len(content):
            return None
        diacritics = any(char in _FOREIGN_LATIN_LETTERS for word in content for char in word)
        uzbek = sum(1 for w in content if w in UZBEK_LATIN_WORDS or "o'" in w or "g'" in w)
        if uzbek and uzbek >= len(content) / 3:
            return LanguageFinding("uz", True, ("words:uz",))
        translit = sum(1 for w in content if self._reads_as_russian(w))
        if translit >= 0.6 * len(content):
            return LanguageFinding(RUSSIAN, False, ("translit:ru",))
        if len(content) < 2 and not diacritics:
            return None
        detected = self._detector.detect(" ".join(words)) if self._detector else None
        if detected is not None and detected[0] != RUSSIAN and detected[1] >= _LINGUA_MIN_CONFIDENCE:
            return LanguageFinding(detected[0], True, (f"lingua:{detected[0]}",))
        if sum(1 for w in content if w in ENGLISH_COMMON) >= len(content) / 2:
            return LanguageFinding("en", True, ("words:en",))
        return None

    def _cyrillic_statistics(self, words: list[str], russian_words: int) -> LanguageFinding:
        """Cyrillic text with few known Russian words (Bulgarian, Serbian...): ask lingua."""
        long_words = [w for w in words if len(w) >= 3]
        if self._detector is None or len(long_words) < 3 or russian_words >= len(long_words) / 2:
            return LanguageFinding(RUSSIAN, False)
        detected = self._detector.detect(" ".join(words))
        if detected is None or detected[0] == RUSSIAN or detected[1] < _LINGUA_MIN_CONFIDENCE:
            return LanguageFinding(RUSSIAN, False)
        return LanguageFinding(detected[0], True, (f"lingua:{detected[0]}",))

    def _translit_is_russian(self, word: str) -> bool:
        """Whether a Latin word reads as a Russian word («voyti» → «войти»)."""
        if word in SHORT_TRANSLIT_WORDS:
            return True
        if word in ENGLISH_COMMON or len(word) < 3:
            return False
        for reading in _transliterations(word):
            # People drop the soft sign in transliteration: «uznat», «rezultaty».
            candidates = (
                reading,
                reading + "ь",
                _RUSSIAN_SOFT_L.sub("ль", reading),
                _RUSSIAN_TSYA.sub("ться", reading),
            )
            for candidate in candidates:
                if self._known(candidate):
                    return True
        return False
