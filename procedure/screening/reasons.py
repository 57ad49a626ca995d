"""The screening's reasons (``lingua:en``, ``obscene_root:…``, ``threat:kill``) in words line 1 reads (§1.4).

The engine records short machine-readable reasons, gravest first; the history of a ticket shows them
through :func:`describe`. An obscene word is shown by its first letter only: the console is read by
people who did not ask to see it, and its first letter is enough to check the verdict.
"""

from __future__ import annotations

from collections.abc import Iterable

from procedure.screening.language_data import LANGUAGE_NAMES

LANGUAGES_RU: dict[str, str] = {
    "en": "английский",
    "de": "немецкий",
    "fr": "французский",
    "es": "испанский",
    "it": "итальянский",
    "pt": "португальский",
    "pl": "польский",
    "cs": "чешский",
    "tr": "турецкий",
    "uk": "украинский",
    "be": "белорусский",
    "kk": "казахский",
    "tt": "татарский",
    "uz": "узбекский",
    "ky": "киргизский",
    "tg": "таджикский",
    "ba": "башкирский",
    "sr": "сербский",
    "mk": "македонский",
    "mn": "монгольский",
    "bg": "болгарский",
    "az": "азербайджанский",
    "hy": "армянский",
    "ka": "грузинский",
    "zh": "китайский",
    "ja": "японский",
    "ko": "корейский",
    "ar": "арабский",
    "he": "иврит",
    "hi": "хинди",
    "fa": "персидский",
    "el": "греческий",
    "th": "тайский",
    "vi": "вьетнамский",
    "ru": "русский",
    "und": "не определён",
}
# «script:ukrainian_letters» names the language in English (language_data.LANGUAGE_NAMES).
_ENGLISH_NAMES = {name: code for code, name in LANGUAGE_NAMES.items()}
SCRIPTS_RU: dict[str, str] = {
    "latin": "латиница",
    "armenian": "армянское письмо",
    "georgian": "грузинское письмо",
    "han": "иероглифы",
    "cjk": "иероглифы",
    "hiragana": "японская азбука",
    "katakana": "японская азбука",
    "hangul": "корейское письмо",
    "arabic": "арабское письмо",
    "hebrew": "иврит",
    "greek": "греческое письмо",
    "devanagari": "деванагари",
    "thai": "тайское письмо",
}
THREATS_RU: dict[str, str] = {
    "kill": "убийство",
    "explosion": "взрыв",
    "harm": "причинение вреда",
    "stab": "нож",
    "arson": "поджог",
    "intimidation": "запугивание",
    "weapon": "оружие",
    "stalk": "преследование",
    "shoot": "стрельба",
    "strangle": "удушение",
}


def _language(code: str) -> str:
    return LANGUAGES_RU.get(code, code)


def describe(reason: str) -> str:
    """One reason in Russian; a reason this module does not know is shown as it is."""
    kind, _, value = reason.partition(":")
    if kind == "lingua":
        return f"язык текста: {_language(value)} (по статистике слов)"
    if kind == "words":
        return f"слова языка: {_language(value)}"
    if kind == "script":
        if value.endswith("_letters"):
            name = value.removesuffix("_letters")
            return f"буквы, которых нет в русском: {_language(_ENGLISH_NAMES.get(name, name))}"
        return f"письмо: {SCRIPTS_RU.get(value, value)}"
    if kind == "translit":
        return "русский текст латинскими буквами"
    if kind == "obscene_root":
        return f"нецензурное слово («{value[:1]}…»)" if value else "нецензурное слово"
    if kind == "threat":
        return f"угроза: {THREATS_RU.get(value, value)}" if value else "угроза"
    if reason == "insult":
        return "оскорбление"
    return reason


def describe_all(reasons: Iterable[str]) -> str:
    """The reasons of one verdict in Russian, joined as the history shows them."""
    return "; ".join(describe(reason) for reason in reasons)
