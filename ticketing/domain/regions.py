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
- a bare number is a class or an age, not a region: codes count only as «16 регион», «регион 16»,
  and so do the other codes on vehicle plates («регион 102», «777 регион»);
- words in Latin letters are read back into Russian first («Sverdlovskaya oblast», «Nakhodka»):
  :mod:`procedure.translit`;
- beyond the subjects' own cities, a gazetteer of towns (``data/towns.tsv``, from GeoNames) names
  the subject of «Находка» or «Кинешма»; a town several subjects have is ambiguous, so the bot
  asks. A town whose name is also an ordinary word or a surname («находка», «Ковров», «Шахты»)
  counts only after «г.», «город», «пгт»…, or when the text is little more than the town, so
  «у меня находка: тест сохраняется» names no region.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from procedure.translit import LatinReader
from ticketing.domain.text_normalize import fold, tokens, words
from ticketing.domain.word_forms import Lookup, WordForms

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "data" / "regions.yml"
TOWNS_PATH = Path(__file__).resolve().parent.parent / "data" / "towns.tsv"

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
# A gazetteer town written shorter than this needs a «г.» or to stand alone too: «Оха», «Дно».
_MIN_TOWN_WORD = 4
# Before a town whose name is an ordinary word, these make it a town: «г. Шахты», «города Находка».
_TOWN_MARKERS = frozenset(
    {"г", "гор", "город", "города", "городе", "городом", "пгт", "пос", "поселок", "поселка", "поселке", "село",
     "села", "селе", "станица", "станицы", "станице", "ст", "д", "дер", "деревня", "деревни", "деревне"}
)  # fmt: skip
# What may stand around such a town for the text to be «just the town»: «я из Находки», «Шахты».
_AROUND_A_TOWN = frozenset(
    {"я", "мы", "из", "в", "во", "с", "со", "живу", "живем", "учусь", "учимся", "у", "нас", "меня", "это", "мой",
     "наш", "моя", "наша", "мне"}
)  # fmt: skip


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
        plates: vehicle plate codes other than ``code`` («102», «716»).
    """

    code: str
    name: str
    timezone: str
    capital: str
    aliases: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    part_of: str | None = None
    plates: tuple[str, ...] = ()


@dataclass(frozen=True)
class Town:
    """A town of the gazetteer (``data/towns.tsv``): its Russian name and its subject's code."""

    name: str
    code: str
    population: int


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
            plates=tuple(str(plate) for plate in entry.get("plates") or ()),
        )
    except (KeyError, AttributeError) as error:
        raise ValueError(f"{source}: в записи региона {entry!r} нет поля {error}") from error


def load_towns(path: Path | None = None) -> tuple[Town, ...]:
    """Read the gazetteer (by default the package's ``data/towns.tsv``: name, code, population, id).

    Raises:
        ValueError: when a line has fewer than three columns or a population is not a number.
    """
    source = path or TOWNS_PATH
    lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    towns = []
    for line in lines[1:]:
        fields = line.split("\t")
        if len(fields) < 3 or not fields[2].isdigit():
            raise ValueError(f"{source}: строка {line!r} — нужно «название, код, население»")
        towns.append(Town(fields[0], fields[1], int(fields[2])))
    return tuple(towns)


@dataclass(frozen=True)
class _Match:
    codes: frozenset[str]
    start: int
    length: int
    fuzzy: bool
    qualified: bool
    kinds: frozenset[str]
    phrase: tuple[str, ...] = ()
    end: int = -1


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

    def __init__(self, regions: Iterable[Region], towns: Iterable[Town] = ()) -> None:
        """Index the subjects and, when given, the towns of the gazetteer.

        Args:
            regions: the subjects (:func:`load_regions`).
            towns: gazetteer towns (:func:`load_towns`); a town named like a subject, an alias or a
                city of ``regions`` is left to that one («Киров» is the Кировская область's).
        """
        self._regions = tuple(regions)
        self._order = {region.code: i for i, region in enumerate(self._regions)}
        self._by_code = {region.code: region for region in self._regions}
        self._by_plate = {plate: region for region in self._regions for plate in region.plates}
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
        in_towns: dict[tuple[str, ...], set[str]] = {}
        # Towns in words of their own, matched as written or inflected, never as a typo: among
        # 3,000 names, one edit away from a misspelt word there is nearly always some town.
        self._town_forms = WordForms(fuzzy=False)
        for town in towns:
            phrase = self._phrase(town.name, self._town_forms)
            if phrase and phrase not in self._named and town.code in self._by_code:
                in_towns.setdefault(phrase, set()).add(town.code)
        self._towns = frozenset(in_towns)
        every = {**{p: frozenset(c) for p, c in in_towns.items()}, **self._named}
        self._phrases: dict[str, list[tuple[tuple[str, ...], frozenset[str]]]] = {}
        for phrase, codes in sorted(every.items(), key=lambda item: (-len(item[0]), item[0] in self._towns)):
            self._phrases.setdefault(phrase[0], []).append((phrase, codes))
        # Latin words are read as the subjects' words first, then the towns'.
        service_words = self._designators.vocabulary() | _QUALIFIERS | _REGION_WORDS | _TOWN_MARKERS | _AROUND_A_TOWN
        subjects_words = self._forms.vocabulary()
        self._latin_subjects = LatinReader(service_words, subjects_words)
        self._latin = LatinReader(service_words, subjects_words, self._town_forms.vocabulary())

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
        toks = [self._read_latin(tok) for tok in tokens(text)]
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
                content.append((i, self._lookup(tok)))
        matches = self._code_matches(toks) + self._phrase_matches(content, kinds, qualifier_at)
        return self._decide([m for m in matches if self._stands_as_a_town(m, toks)])

    def _read_latin(self, token: str) -> str:
        """A word in Latin letters as the Russian word it spells; a short one only as a subject's word.

        «ne», «v», «na» would otherwise be read as forms of small towns («Нея», «Вя»…).
        """
        return (self._latin if len(token) >= _MIN_TOWN_WORD + 1 else self._latin_subjects).cyrillic(token)

    def _stands_as_a_town(self, match: _Match, toks: list[str]) -> bool:
        """A gazetteer town written as an ordinary word counts only as a town: after «г.», or nearly alone.

        «Ordinary»: a word the dictionary knows as something other than a place («находки», «ясно»,
        «Анна»), or a short one («Оха», «ней»); «Миасс», «Кинешма» need nothing around them.
        """
        if match.phrase not in self._towns:
            return True
        written = toks[match.start : match.end + 1]
        if all(len(tok) >= _MIN_TOWN_WORD and not self._town_forms.is_common_word(tok) for tok in written):
            return True
        before = toks[match.start - 1] if match.start > 0 else None
        if before in _TOWN_MARKERS:
            return True
        # Not a capital letter alone: «р-н Ленинский, г. Пермь» is a district of Пермь, not the town.
        alone = all(tok in _AROUND_A_TOWN for tok in toks[: match.start] + toks[match.end + 1 :])
        return alone and all(self._town_forms.may_name_a_place(tok) for tok in written)

    def _phrase(self, text: str, forms: WordForms | None = None) -> tuple[str, ...]:
        """Keys of a reference name without its designators: «Алтайский край» → ("алтайский",)."""
        keys = []
        for word in words(text):
            if self._designator(fold(word)) is not None:
                continue
            abbreviation = len(word) == 1 or sum(ch.isupper() for ch in word) >= 2
            keys.append((forms or self._forms).add(word, inflects=not abbreviation))
        return tuple(keys)

    def _lookup(self, token: str) -> Lookup:
        """What a message word may be: a subject's word (perhaps misspelt) or a town's (as written)."""
        own, town = self._forms.lookup(token), self._town_forms.lookup(token)
        if not town.keys:
            return own
        return Lookup(town.keys if own.fuzzy else town.keys | own.keys)

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
            if not tok.isdigit() or len(tok) > 3:
                continue
            if i + 1 < len(toks) and toks[i + 1] in _NOT_A_CODE_BEFORE:
                continue
            if _next_word(toks, i, -1) in _REGION_WORDS or _next_word(toks, i, 1) in _REGION_WORDS:
                region = self._by_code.get(tok.zfill(2)) if len(tok) <= 2 else None
                region = region or self._by_plate.get(tok)
                if region is not None:
                    matches.append(_Match(frozenset({region.code}), i, 1, False, False, frozenset()))
        return matches

    def _phrase_matches(
        self, content: list[tuple[int, Lookup]], kinds: dict[int, str], qualifier_at: int | None
    ) -> list[_Match]:
        matches = []
        j = 0
        while j < len(content):
            best: tuple[tuple[str, ...], frozenset[str]] | None = None
            towns = self._towns
            for key in sorted(content[j][1].keys):
                for phrase, codes in self._phrases.get(key, ()):
                    n = len(phrase)
                    # The longest phrase; of two as long, the subjects' own over a gazetteer town's
                    # («Березники» is the Пермский край's city, not a form of the town Березник).
                    if best is not None and (n, phrase not in self._towns) <= (len(best[0]), best[0] not in towns):
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
                    phrase=best[0],
                    end=end,
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
    """The resolver over the package's data and gazetteer, built on first use and kept."""
    return RegionResolver(load_regions(), load_towns())
