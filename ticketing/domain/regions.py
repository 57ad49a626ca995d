"""Federal subjects of Russia and the resolver of the region a user writes to the chat-bot.

The chat-bot asks the user's region first (§5.6.1 of the procedure); the request is then routed
and handled by region (§5.6.2, §5.7-5.8: regional operators). People answer in every possible
way: «Татарстан», «я из Казани», «Свердловская обл.», «живу в Ханты-Мансийском АО», «Питер»,
«16 регион». :class:`RegionResolver` turns such a text into the official subject, or into a short
list of candidates when the text names several or is unclear, so the bot can ask again.

How a text is read:

- words are folded (case, ё) and reduced to keys of known words through all their inflected
  forms, one typo allowed in long unknown words (:mod:`ticketing.domain.word_forms`);
- designators («область», «обл.», «край», «Республика», «респ.», «АО», «автономный округ») are set
  aside: they never name a subject by themselves, but next to a name shared by several subjects
  they choose among them («Алтай» is two subjects, «Республика Алтай» one);
- the longest known phrase wins where phrases overlap («Нижний Тагил» over «Нижний»,
  «Великий Новгород» over «Новгород», «Ямало-Ненецкий» over «Ненецкий»);
- a shared name next to a unique one agrees with it («Алтай, Барнаул» is Алтайский край);
- an autonomous okrug named with the oblast it belongs to is the okrug («Сургут, Тюменская
  область»), unless it follows «кроме», «без», «включая» («Архангельская область без НАО»);
- a bare number is a class or an age, not a region: codes count only as «16 регион», «регион 16».
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ticketing.domain.text_normalize import fold, tokens, words
from ticketing.domain.word_forms import Lookup, WordForms

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "regions.yml"

REPUBLIC = "республика"
KRAI = "край"
OBLAST = "область"
OKRUG = "автономный округ"

# Designators as written in official names, and the kind each one signals.
_NAME_DESIGNATORS = {"республика": REPUBLIC, "край": KRAI, "область": OBLAST, "округ": OKRUG, "автономный": OKRUG}
# Abbreviations people use; the full words above are recognised in every case form.
_ABBREVIATED_DESIGNATORS = {"респ": REPUBLIC, "рес": REPUBLIC, "кр": KRAI, "обл": OBLAST, "ао": OKRUG, "окр": OKRUG}
# After these words, a subject is mentioned to be set apart: «Тюменская область (кроме ХМАО)».
_QUALIFIERS = frozenset({"кроме", "без", "исключая", "исключением", "включая", "вкл", "искл", "включительно"})
_REGION_WORDS = frozenset({"регион", "региона", "региону", "регионе", "регионом", "рег"})
# Allowed between a code and «регион»: «16-й регион», «регион № 16», «код региона 16».
_CODE_FILLERS = frozenset({"й", "ый", "ий", "ой", "номер", "код", "n", "no"})
# «регион 8 класс» is the class, not Калмыкия.
_NOT_A_CODE_BEFORE = frozenset({"класс", "класса", "классе", "кл", "лет", "год", "года"})
_NAME_PARTS = re.compile(r"\s+[—–-]\s+|[()]")


@dataclass(frozen=True)
class Region:
    """A federal subject (Constitution, art. 65).

    Attributes:
        code: two-digit subject code («16»), as in the tax service and address registers.
        name: official name («Республика Татарстан»).
        timezone: IANA zone of the administrative centre.
        capital: administrative centre.
        aliases: short, colloquial and former names, abbreviations, nominative only.
        cities: the centre and large cities people name instead of the subject.
        part_of: code of the oblast an autonomous okrug is part of (art. 66 p. 4), else None.
    """

    code: str
    name: str
    timezone: str
    capital: str
    aliases: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    part_of: str | None = None


@dataclass(frozen=True)
class Resolution:
    """The outcome of reading a region from a text.

    Attributes:
        region: the subject meant, or None when the text names none or several.
        candidates: ``(region,)`` when resolved; the plausible subjects, best first, when the
            text is ambiguous; empty when nothing matched.
    """

    region: Region | None
    candidates: tuple[Region, ...] = ()

    @property
    def ambiguous(self) -> bool:
        """True when the bot should ask which of :attr:`candidates` the user meant."""
        return self.region is None and len(self.candidates) > 1


def load_regions(path: Path | None = None) -> tuple[Region, ...]:
    """Read the subjects from YAML (by default the package's ``data/regions.yml``).

    Raises:
        ValueError: when the file has no ``regions`` list or an entry misses a field.
    """
    source = path or DEFAULT_PATH
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    entries = data.get("regions") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ValueError(f"{source}: нет списка regions")
    return tuple(_region_from(entry, source) for entry in entries)


def _region_from(entry: dict[str, Any], source: Path) -> Region:
    try:
        part_of = entry.get("part_of")
        return Region(
            code=str(entry["code"]),
            name=str(entry["name"]),
            timezone=str(entry["timezone"]),
            capital=str(entry["capital"]),
            aliases=tuple(str(alias) for alias in entry.get("aliases") or ()),
            cities=tuple(str(city) for city in entry.get("cities") or ()),
            part_of=str(part_of) if part_of else None,
        )
    except (KeyError, AttributeError) as error:
        raise ValueError(f"{source}: в записи региона {entry!r} нет поля {error}") from error


@dataclass(frozen=True)
class _Match:
    codes: frozenset[str]
    start: int
    length: int
    fuzzy: bool
    qualified: bool
    kinds: frozenset[str]


@dataclass
class _Score:
    count: int = 0
    length: int = 0
    exact: bool = False
    first: int = 1 << 30

    def add(self, match: _Match) -> None:
        self.count += 1
        self.length = max(self.length, match.length)
        self.exact = self.exact or not match.fuzzy
        self.first = min(self.first, match.start)


class RegionResolver:
    """Resolves free text to a federal subject; build once, then query per message (< 1 ms)."""

    def __init__(self, regions: Iterable[Region]) -> None:
        self._regions = tuple(regions)
        self._order = {region.code: i for i, region in enumerate(self._regions)}
        self._by_code = {region.code: region for region in self._regions}
        self._by_name = {" ".join(tokens(region.name)): region for region in self._regions}
        self._forms = WordForms()
        self._designators = WordForms(fuzzy=False)
        for word in _NAME_DESIGNATORS:
            self._designators.add(word)
        for word in _ABBREVIATED_DESIGNATORS:
            self._designators.add(word, inflects=False)
        self._kinds = {
            region.code: frozenset(kind for t in tokens(region.name) if (kind := self._designator(t)) is not None)
            for region in self._regions
        }
        named: dict[tuple[str, ...], set[str]] = {}
        for region in self._regions:
            for text in _names_of(region):
                phrase = self._phrase(text)
                if phrase:
                    named.setdefault(phrase, set()).add(region.code)
        self._named = {phrase: frozenset(codes) for phrase, codes in named.items()}
        self._phrases: dict[str, list[tuple[tuple[str, ...], frozenset[str]]]] = {}
        for phrase, codes in sorted(self._named.items(), key=lambda item: -len(item[0])):
            self._phrases.setdefault(phrase[0], []).append((phrase, codes))

    def all(self) -> tuple[Region, ...]:
        """Every subject, in the order of the data file."""
        return self._regions

    def by_name(self, name: str) -> Region | None:
        """The subject with this official name (case, ё and punctuation aside), else None."""
        return self._by_name.get(" ".join(tokens(name)))

    def by_code(self, code: str) -> Region | None:
        """The subject with this two-digit code («16»), else None."""
        return self._by_code.get(code)

    def overlaps(self) -> dict[str, frozenset[str]]:
        """Phrases that name more than one subject, with their codes: a check for the data."""
        return {" ".join(phrase): codes for phrase, codes in self._named.items() if len(codes) > 1}

    def resolve(self, text: str) -> Resolution:
        """Read the region a person wrote; see the module docstring for the rules."""
        toks = tokens(text)
        kinds: dict[int, str] = {}
        content: list[tuple[int, Lookup]] = []
        qualifier_at: int | None = None
        for i, tok in enumerate(toks):
            if tok in _QUALIFIERS:
                qualifier_at = i if qualifier_at is None else qualifier_at
                continue
            kind = self._designator(tok)
            if kind is not None:
                kinds[i] = kind
            else:
                content.append((i, self._forms.lookup(tok)))
        matches = self._code_matches(toks) + self._phrase_matches(content, kinds, qualifier_at)
        return self._decide(matches)

    def _phrase(self, text: str) -> tuple[str, ...]:
        """Keys of a reference name without its designators: «Алтайский край» → ("алтайский",)."""
        keys = []
        for word in words(text):
            if self._designator(fold(word)) is not None:
                continue
            abbreviation = len(word) == 1 or sum(ch.isupper() for ch in word) >= 2
            keys.append(self._forms.add(word, inflects=not abbreviation))
        return tuple(keys)

    def _designator(self, token: str) -> str | None:
        keys = self._designators.lookup(token).keys
        for key in keys:
            kind = _NAME_DESIGNATORS.get(key) or _ABBREVIATED_DESIGNATORS.get(key)
            if kind is not None:
                return kind
        return None

    def _code_matches(self, toks: list[str]) -> list[_Match]:
        matches = []
        for i, tok in enumerate(toks):
            if not tok.isdigit() or len(tok) > 2:
                continue
            if i + 1 < len(toks) and toks[i + 1] in _NOT_A_CODE_BEFORE:
                continue
            if _next_word(toks, i, -1) in _REGION_WORDS or _next_word(toks, i, 1) in _REGION_WORDS:
                code = tok.zfill(2)
                if code in self._by_code:
                    matches.append(_Match(frozenset({code}), i, 1, False, False, frozenset()))
        return matches

    def _phrase_matches(
        self, content: list[tuple[int, Lookup]], kinds: dict[int, str], qualifier_at: int | None
    ) -> list[_Match]:
        matches = []
        j = 0
        while j < len(content):
            best: tuple[tuple[str, ...], frozenset[str]] | None = None
            for key in content[j][1].keys:
                for phrase, codes in self._phrases.get(key, ()):
                    n = len(phrase)
                    if best is not None and n <= len(best[0]):
                        break
                    if j + n <= len(content) and all(phrase[k] in content[j + k][1].keys for k in range(1, n)):
                        best = (phrase, codes)
                        break
            if best is None:
                j += 1
                continue
            n = len(best[0])
            start, end = content[j][0], content[j + n - 1][0]
            attached = {kinds[i] for i in _run(kinds, start - 1, -1)} | {kinds[i] for i in _run(kinds, end + 1, 1)}
            matches.append(
                _Match(
                    codes=best[1],
                    start=start,
                    length=n,
                    fuzzy=any(lookup.fuzzy for _, lookup in content[j : j + n]),
                    qualified=qualifier_at is not None and qualifier_at < start,
                    kinds=frozenset(attached),
                )
            )
            j += n
        return matches

    def _decide(self, matches: list[_Match]) -> Resolution:
        if any(not match.qualified for match in matches):
            matches = [match for match in matches if not match.qualified]
        narrowed = []
        for match in matches:
            codes = match.codes
            if len(codes) > 1 and match.kinds:
                fitting = frozenset(code for code in codes if self._kinds[code] & match.kinds)
                codes = fitting or codes
            narrowed.append((match, codes))
        certain = {code for _, codes in narrowed if len(codes) == 1 for code in codes}
        scores: dict[str, _Score] = {}
        for match, codes in narrowed:
            if len(codes) > 1 and codes & certain:
                codes = codes & certain
            for code in codes:
                scores.setdefault(code, _Score()).add(match)
        for code in list(scores):
            parent = self._by_code[code].part_of
            if parent is not None:
                scores.pop(parent, None)
        ranked = sorted(
            scores,
            key=lambda code: (
                -scores[code].count,
                -scores[code].length,
                not scores[code].exact,
                scores[code].first,
                self._order[code],
            ),
        )
        regions = tuple(self._by_code[code] for code in ranked)
        if len(regions) == 1:
            return Resolution(regions[0], regions)
        return Resolution(None, regions)


def _names_of(region: Region) -> list[str]:
    """Every text that names the subject: official name and its parts, aliases, cities."""
    parts = [part.strip() for part in _NAME_PARTS.split(region.name) if part.strip()]
    names = [region.name, *parts] if len(parts) > 1 else [region.name]
    return [*names, *region.aliases, region.capital, *region.cities]


def _next_word(toks: list[str], i: int, step: int) -> str | None:
    """The neighbour of ``toks[i]`` in direction ``step``, skipping «й», «№», «код»."""
    i += step
    while 0 <= i < len(toks) and toks[i] in _CODE_FILLERS:
        i += step
    return toks[i] if 0 <= i < len(toks) else None


def _run(kinds: dict[int, str], i: int, step: int) -> Iterable[int]:
    """Indices of the designators adjacent to a match, walking away from it."""
    while i in kinds:
        yield i
        i += step


@lru_cache(maxsize=1)
def default_resolver() -> RegionResolver:
    """The resolver over the package's data, built on first use (~0.5 s) and kept."""
    return RegionResolver(load_regions())
