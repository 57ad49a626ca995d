"""Undoing the disguises people put on words before matching them.

Users hide obscene words from filters («х*й», «6ля», «xуй» with a Latin x, «бляяять»,
«б л я», «п.и.з.д.е.ц») and write Russian in Latin letters («privet», «blyat»). The
helpers here turn such spellings back into plain lower-case Cyrillic so that one list
of roots (``lexicon.py``) serves every disguise.
"""

from __future__ import annotations

import itertools
import re

# Latin letters and digits that look like Cyrillic ones (or stand for them in leetspeak).
_LOOKALIKE = str.maketrans(
    {
        "a": "а",
        "b": "б",
        "c": "с",
        "e": "е",
        "h": "н",
        "k": "к",
        "m": "м",
        "o": "о",
        "p": "р",
        "t": "т",
        "x": "х",
        "y": "у",
        "0": "о",
        "1": "и",
        "3": "з",
        "4": "ч",
        "6": "б",
        "9": "я",
        "$": "с",
        "ё": "е",
    }
)

# Transliteration of Russian written in Latin letters, longest spelling first. Each entry
# lists the Cyrillic readings worth trying: «y» is «ы» in «vy» but «й» in «voyti».
_TRANSLIT: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("shch", ("щ",)),
    ("sch", ("щ",)),
    ("zh", ("ж",)),
    ("kh", ("х",)),
    ("ch", ("ч",)),
    ("sh", ("ш",)),
    ("ts", ("ц", "тс")),
    ("tz", ("ц",)),
    ("ya", ("я",)),
    ("ja", ("я",)),
    ("ia", ("я", "иа")),
    ("yu", ("ю",)),
    ("ju", ("ю",)),
    ("iu", ("ю", "иу")),
    ("yo", ("е", "йо")),
    ("jo", ("е",)),
    ("ye", ("е", "ые")),
    ("iy", ("ий",)),
    ("yy", ("ый",)),
    ("ij", ("ий",)),
    ("yj", ("ый",)),
    ("y", ("ы", "й")),
    ("j", ("й",)),
    ("a", ("а",)),
    ("b", ("б",)),
    ("v", ("в",)),
    ("w", ("в",)),
    ("g", ("г",)),
    ("d", ("д",)),
    ("e", ("е", "э")),
    ("z", ("з",)),
    ("i", ("и",)),
    ("k", ("к",)),
    ("l", ("л",)),
    ("m", ("м",)),
    ("n", ("н",)),
    ("o", ("о",)),
    ("p", ("п",)),
    ("r", ("р",)),
    ("s", ("с",)),
    ("t", ("т",)),
    ("u", ("у",)),
    ("f", ("ф",)),
    ("h", ("х",)),
    ("c", ("ц", "к")),
    ("x", ("кс", "х")),
    ("q", ("к",)),
    ("ž", ("ж",)),
    ("š", ("ш",)),
    ("č", ("ч",)),
    ("'", ("ь", "")),
    ("’", ("ь", "")),
    ("9", ("я",)),
    ("3", ("з",)),
    ("4", ("ч",)),
    ("6", ("б",)),
)
_MAX_TRANSLIT_VARIANTS = 16

_REPEATS = re.compile(r"(.)\1+")
_CYRILLIC = re.compile(r"[а-яё]")
_LATIN = re.compile(r"[a-z]")
# A whitespace-separated chunk keeps letters, digits and the characters used as masks.
_CHUNK_JUNK = re.compile(r"[^0-9a-zа-яёA-ZА-ЯЁ*@$’'іїєґўәғқңөұүһҳҷ]+")
_URL_OR_MAIL = re.compile(r"\S+@\S+\.\S+|(?:https?://|www\.)\S+", re.IGNORECASE)


def fold(text: str) -> str:
    """Lower-case and spell «ё» as «е», as most people type it."""
    return text.lower().replace("ё", "е")


def collapse_repeats(token: str) -> str:
    """Collapse every run of one letter: «бляяять» → «блять», «ссука» → «сука»."""
    return _REPEATS.sub(r"\1", token)


def lookalike_to_cyrillic(token: str) -> str:
    """Read Latin look-alikes and leetspeak digits as the Cyrillic letters they imitate."""
    return token.translate(_LOOKALIKE)


def transliterations(word: str) -> list[str]:
    """Cyrillic readings of a word of Russian written in Latin letters.

    Ambiguous spellings give several readings (at most a handful), which callers check
    against a dictionary or a root list; the first reading is the most usual one.
    """
    parts: list[tuple[str, ...]] = []
    i = 0
    word = word.lower()
    while i < len(word):
        for latin, cyrillic in _TRANSLIT:
            if word.startswith(latin, i):
                parts.append(cyrillic)
                i += len(latin)
                break
        else:
            parts.append((word[i],))
            i += 1
    variants = itertools.islice(itertools.product(*parts), _MAX_TRANSLIT_VARIANTS)
    return ["".join(v) for v in variants]


def strip_addresses(text: str) -> str:
    """Drop e-mail addresses and URLs: their letters are no language and no insult."""
    if "@" not in text and "://" not in text and "www." not in text.lower():  # the pattern needs one of them
        return text
    return _URL_OR_MAIL.sub(" ", text)


def chunks(text: str) -> list[str]:
    """Whitespace-separated pieces with punctuation inside removed: «п.и.з.д.е.ц» → «пиздец».

    Masks («*», «@», «$») and digits stay, so later steps can read «х*й» and «6ля».
    Leading and trailing masks are dropped («*важно*» is emphasis, not a masked word).
    """
    result = []
    for raw in strip_addresses(text).split():
        piece = _CHUNK_JUNK.sub("", raw).strip("*")
        if piece:
            result.append(fold(piece))
    return result


def join_spaced_letters(pieces: list[str]) -> list[str]:
    """Glue runs of one-letter pieces back into words: «б л я ть» → «блять».

    A run needs at least two single letters; the piece right after a run is glued on too
    when it is short (an ending such as «ть» or «ец»), and both spellings are returned.
    """
    glued: list[str] = []
    i = 0
    while i < len(pieces):
        j = i
        while j < len(pieces) and len(pieces[j]) == 1:
            j += 1
        if j - i >= 2:
            run = "".join(pieces[i:j])
            glued.append(run)
            if j < len(pieces) and len(pieces[j]) <= 3:
                glued.append(run + pieces[j])
        i = max(j, i + 1)
    return glued


def has_cyrillic(token: str) -> bool:
    """Whether the token has at least one Cyrillic letter."""
    return _CYRILLIC.search(token) is not None


def has_latin(token: str) -> bool:
    """Whether the token has at least one basic Latin letter."""
    return _LATIN.search(token) is not None
