"""Reading Russian words typed in Latin letters: «Tatarstan», «v Sverdlovskoy oblasti», «Nakhodka».

People without a Russian keyboard transliterate in many ways: «Yekaterinburg», «Ekaterinburg»,
«Jekaterinburg»; «Khabarovsk», «Habarovsk»; «Nizhny», «Nizhniy», «Nizhnii». Rather than guess
which system a person used, both sides are reduced to one *skeleton* that forgets what the
systems disagree on (ж/zh/z, х/kh/h/x, ц/ts/c, ы/й/и/y/i/j, soft signs, doubled letters), and a
Latin word is replaced by the Russian word from a known vocabulary with the same skeleton. A
word no vocabulary word matches is spelt out letter by letter, so a typo can still be caught by
the caller's own fuzzy matching.

Shared by both environments (pure Python, no dependencies): the ticketing service reads region
names with it, the bot's NLU reads whole messages typed in Latin letters (``bot/nlu/translit.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def fold(text: str) -> str:
    """Lower-case and spell ё as е (the same folding as ``ticketing.domain.text_normalize.fold``)."""
    return text.casefold().replace("ё", "е")

# Cyrillic to Latin, a BGN/PCGN-like spelling; the skeleton then forgets its particulars.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya",
}  # fmt: skip
# Latin spellings that mean the same Russian sound, longest first.
_REDUCTIONS = (
    ("shch", "s"), ("sch", "s"), ("sh", "s"), ("ch", "c"), ("zh", "z"), ("kh", "h"), ("ts", "c"),
    ("tz", "c"), ("x", "ks"), ("w", "v"), ("q", "k"), ("ye", "e"), ("j", "i"), ("y", "i"),
)  # fmt: skip
_DOUBLED = re.compile(r"(.)\1+")
# Letter by letter, for a word no vocabulary word matches: digraphs first.
_SPELLING = (
    ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"),
    ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("ye", "е"), ("iy", "ий"), ("yy", "ый"), ("ju", "ю"), ("ja", "я"),
    ("a", "а"), ("b", "б"), ("c", "ц"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "х"),
    ("i", "и"), ("j", "й"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
    ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("w", "в"), ("x", "кс"),
    ("y", "ы"), ("z", "з"),
)  # fmt: skip
_SPELL = re.compile("|".join(latin for latin, _ in _SPELLING))
_SPELLED = dict(_SPELLING)
# «y» after a vowel and before none is «й»: «kakoy», «podderzhkoy», «tvoy» (but «moya» is «моя»).
_Y_AFTER_VOWEL = re.compile(r"(?<=[aeiou])y(?![aeiou])")
_LATIN = re.compile(r"[a-z]+")
# Latin letters that look like Cyrillic ones, for words typed half in one layout: «Mосква».
_LOOKALIKES = str.maketrans("aceopxykmtbh", "асеорхукмтвн")


def latin_skeleton(word: str) -> str:
    """The skeleton of a word written in Latin letters (see the module docstring)."""
    reduced = word.casefold()
    for latin, simpler in _REDUCTIONS:
        reduced = reduced.replace(latin, simpler)
    return _DOUBLED.sub(r"\1", reduced)


def skeleton(word: str) -> str:
    """The skeleton of a Russian word: what any transliteration of it reduces to."""
    return latin_skeleton("".join(_CYRILLIC.get(ch, ch) for ch in fold(word)))


def spell_out(word: str) -> str:
    """A Latin word in Cyrillic letter by letter: «sverdlovskaja» → «свердловская», «kakoy» → «какой»."""
    return _SPELL.sub(lambda m: _SPELLED[m.group(0)], _Y_AFTER_VOWEL.sub("j", word.casefold()))


def is_latin(token: str) -> bool:
    """Whether a folded token is all Latin letters."""
    return _LATIN.fullmatch(token) is not None


class LatinReader:
    """Latin words back to Russian words of a closed vocabulary; build once, query per word."""

    def __init__(self, *vocabularies: Iterable[str]) -> None:
        """Index the vocabularies; where two words share a skeleton, an earlier vocabulary's wins."""
        self._by_skeleton: dict[str, str] = {}
        for vocabulary in vocabularies:
            for word in sorted({fold(w) for w in vocabulary}, key=lambda w: (len(w), w)):
                self._by_skeleton.setdefault(skeleton(word), word)

    def __len__(self) -> int:
        """How many skeletons the vocabularies gave."""
        return len(self._by_skeleton)

    def known(self, token: str) -> str | None:
        """The vocabulary word a folded Latin token stands for, or ``None`` when no word matches."""
        return self._by_skeleton.get(latin_skeleton(token))

    def cyrillic(self, token: str) -> str:
        """The Russian word a folded token stands for; a Cyrillic or mixed token keeps its own letters.

        A mixed token («mосква») has its Latin look-alikes read as Cyrillic; a Latin one is
        the vocabulary word with its skeleton, or else spelt out letter by letter.
        """
        if not is_latin(token):
            return token.translate(_LOOKALIKES) if re.search("[a-z]", token) else token
        return self.known(token) or spell_out(token)
