"""The federal subjects data and the resolver of the region a user writes (§5.6.1).

Inflected forms below are written by hand or built from the official names with plain string
rules (adjective endings), never with the morphology the resolver itself uses.
"""

from __future__ import annotations

import dataclasses
import re
from zoneinfo import ZoneInfo

import pytest
import yaml

from ticketing.domain.regions import (
    DEFAULT_PATH,
    TOWNS_PATH,
    Region,
    RegionResolver,
    Resolution,
    Town,
    default_resolver,
    load_regions,
    load_towns,
)
from ticketing.domain.text_normalize import within_one_edit

REGIONS = load_regions()
SHARED_ALIASES: list[str] = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))["shared_aliases"]
SHARED = {alias.casefold() for alias in SHARED_ALIASES}
BY_CODE = {region.code: region for region in REGIONS}


@pytest.fixture(scope="module", params=["regions", "with towns"])
def resolver(request: pytest.FixtureRequest) -> RegionResolver:
    """Every case twice: over regions.yml alone, and with the gazetteer as the service runs it."""
    return RegionResolver(REGIONS) if request.param == "regions" else default_resolver()


def codes(resolution: Resolution) -> list[str]:
    return [region.code for region in resolution.candidates]


def assert_resolves(resolver: RegionResolver, text: str, code: str) -> None:
    resolution = resolver.resolve(text)
    assert resolution.region is not None, f"{text!r}: nothing resolved, candidates {codes(resolution)}"
    assert resolution.region.code == code, f"{text!r}: {resolution.region.name}, expected {BY_CODE[code].name}"
    assert resolution.candidates == (resolution.region,)


# ---------------------------------------------------------------------------------------------
# The data
# ---------------------------------------------------------------------------------------------


def test_eighty_nine_subjects_with_unique_codes_and_names() -> None:
    assert len(REGIONS) == 89
    assert len({region.code for region in REGIONS}) == 89
    assert len({region.name for region in REGIONS}) == 89
    assert all(re.fullmatch(r"\d\d", region.code) for region in REGIONS)


def test_kinds_of_subjects_as_in_article_65() -> None:
    names = [region.name for region in REGIONS]
    assert sum("Республика" in name for name in names) == 24
    assert sum(name.endswith(" край") for name in names) == 9
    assert sum(re.search(r"\bобласть\b", name) is not None and "автономная" not in name for name in names) == 48
    assert sum("автономный округ" in name for name in names) == 4
    assert [name for name in names if "автономная область" in name] == ["Еврейская автономная область"]
    assert {"Москва", "Санкт-Петербург", "Севастополь"} <= set(names)


@pytest.mark.parametrize("region", REGIONS, ids=lambda region: region.code)
def test_timezone_is_a_real_iana_zone(region: Region) -> None:
    assert ZoneInfo(region.timezone).key == region.timezone


@pytest.mark.parametrize(
    ("code", "timezone"),
    [
        ("18", "Europe/Samara"),
        ("73", "Europe/Ulyanovsk"),
        ("64", "Europe/Saratov"),
        ("30", "Europe/Astrakhan"),
        ("34", "Europe/Volgograd"),
        ("39", "Europe/Kaliningrad"),
        ("55", "Asia/Omsk"),
        ("54", "Asia/Novosibirsk"),
        ("70", "Asia/Tomsk"),
        ("42", "Asia/Novokuznetsk"),
        ("22", "Asia/Barnaul"),
        ("14", "Asia/Yakutsk"),
        ("49", "Asia/Magadan"),
        ("65", "Asia/Sakhalin"),
        ("87", "Asia/Anadyr"),
        ("75", "Asia/Chita"),
        ("38", "Asia/Irkutsk"),
        ("03", "Asia/Irkutsk"),
        ("24", "Asia/Krasnoyarsk"),
        ("17", "Asia/Krasnoyarsk"),
        ("19", "Asia/Krasnoyarsk"),
        ("41", "Asia/Kamchatka"),
        ("25", "Asia/Vladivostok"),
        ("66", "Asia/Yekaterinburg"),
        ("02", "Asia/Yekaterinburg"),
        ("59", "Asia/Yekaterinburg"),
        ("63", "Europe/Samara"),
        ("77", "Europe/Moscow"),
        ("78", "Europe/Moscow"),
        ("16", "Europe/Moscow"),
        ("91", "Europe/Simferopol"),
        ("92", "Europe/Simferopol"),
        ("43", "Europe/Kirov"),
        ("86", "Asia/Yekaterinburg"),
        ("89", "Asia/Yekaterinburg"),
        ("79", "Asia/Vladivostok"),
    ],
)
def test_timezone_of_known_regions(code: str, timezone: str) -> None:
    assert BY_CODE[code].timezone == timezone


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("16", "Республика Татарстан"),
        ("02", "Республика Башкортостан"),
        ("14", "Республика Саха (Якутия)"),
        ("42", "Кемеровская область — Кузбасс"),
        ("86", "Ханты-Мансийский автономный округ — Югра"),
        ("77", "Москва"),
        ("78", "Санкт-Петербург"),
        ("92", "Севастополь"),
        ("91", "Республика Крым"),
        ("93", "Донецкая Народная Республика"),
        ("94", "Луганская Народная Республика"),
        ("90", "Запорожская область"),
        ("95", "Херсонская область"),
        ("79", "Еврейская автономная область"),
        ("50", "Московская область"),
        ("47", "Ленинградская область"),
        ("66", "Свердловская область"),
        ("21", "Чувашская Республика — Чувашия"),
        ("15", "Республика Северная Осетия — Алания"),
    ],
)
def test_codes_of_known_regions(code: str, name: str) -> None:
    assert BY_CODE[code].name == name


@pytest.mark.parametrize("region", REGIONS, ids=lambda region: region.code)
def test_capital_is_among_cities_and_nothing_is_listed_twice(region: Region) -> None:
    assert region.capital in region.cities
    assert len(set(region.aliases)) == len(region.aliases)
    assert len(set(region.cities)) == len(region.cities)


def test_autonomous_okrugs_belong_to_their_oblasts() -> None:
    assert {region.code: region.part_of for region in REGIONS if region.part_of} == {"83": "29", "86": "72", "89": "72"}


def test_names_shared_by_several_regions_are_exactly_the_declared_ones(resolver: RegionResolver) -> None:
    declared = {
        frozenset(region.code for region in REGIONS if alias in region.aliases): alias for alias in SHARED_ALIASES
    }
    assert all(len(group) > 1 for group in declared), "a shared alias is listed by one region only"
    assert set(resolver.overlaps().values()) == set(declared)


def test_shared_aliases_list_is_deliberate() -> None:
    assert SHARED == {"новгород", "рб", "рк", "чр", "алтай", "донбасс"}


def test_region_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        REGIONS[0].name = "Другое"  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# Every region by every name it has
# ---------------------------------------------------------------------------------------------


def _by_each_name() -> list[tuple[str, str]]:
    cases = []
    for region in REGIONS:
        cases.append((region.name, region.code))
        cases.append((region.name.upper(), region.code))
        cases.append((region.name.lower().replace("ё", "е"), region.code))
        cases.append((region.capital, region.code))
        cases.extend((city, region.code) for city in region.cities if city != region.capital)
        cases.extend((alias, region.code) for alias in region.aliases if alias.casefold() not in SHARED)
    return cases


@pytest.mark.parametrize(("text", "code"), _by_each_name())
def test_every_name_alias_and_city(resolver: RegionResolver, text: str, code: str) -> None:
    assert_resolves(resolver, text, code)


def _inflected_official_names() -> list[tuple[str, str]]:
    """Locative and genitive of names, by plain ending rules: «Свердловская область» → «в Свердловской области»."""
    cases = []
    for region in REGIONS:
        first, *rest = region.name.split()
        if rest and rest[0] == "область" and first.endswith("ая"):
            stem = first[:-2]
            cases += [(f"в {stem}ой области", region.code), (f"из {stem}ой обл.", region.code)]
            cases.append((f"{stem}ой обл", region.code))
        elif rest and rest[0] == "край":
            cases += [(f"в {first[:-2]}ом крае", region.code), (f"из {first[:-2]}ого края", region.code)]
        elif rest[:2] == ["автономный", "округ"]:
            cases.append((f"в {first[:-2]}ом автономном округе", region.code))
            cases.append((f"{first[:-2]}ом АО", region.code))
        elif first == "Республика":
            cases += [(f"в Республике {' '.join(rest)}", region.code), (f"респ. {' '.join(rest)}", region.code)]
    return cases


@pytest.mark.parametrize(("text", "code"), _inflected_official_names())
def test_official_names_in_case_forms(resolver: RegionResolver, text: str, code: str) -> None:
    assert_resolves(resolver, text, code)


# ---------------------------------------------------------------------------------------------
# How people write
# ---------------------------------------------------------------------------------------------

WRITTEN_BY_PEOPLE = [
    # prepositions and case forms
    ("в Татарстане", "16"),
    ("из Татарстана", "16"),
    ("из Свердловской обл.", "66"),
    ("Башкирии", "02"),
    ("в Башкортостане", "02"),
    ("в Краснодарском крае", "23"),
    ("в Нижнем Новгороде", "52"),
    ("из Нижнего Новгорода", "52"),
    ("в Ханты-Мансийском АО", "86"),
    ("в Московской области", "50"),
    ("в Москве", "77"),
    ("из Москвы", "77"),
    ("в Питере", "78"),
    ("из Санкт-Петербурга", "78"),
    ("в Санкт-Петербурге", "78"),
    ("в Ленобласти", "47"),
    ("в Подмосковье", "50"),
    ("из Подмосковья", "50"),
    ("в Казани", "16"),
    ("из Екатеринбурга", "66"),
    ("в Тольятти", "63"),
    ("в Сургуте", "86"),
    ("в Норильске", "24"),
    ("из Сочи", "23"),
    ("в Якутии", "14"),
    ("в Республике Саха", "14"),
    ("в Чувашии", "21"),
    ("в Удмуртии", "18"),
    ("в Кузбассе", "42"),
    ("в ДНР", "93"),
    ("в Крыму", "91"),
    ("в Севастополе", "92"),
    ("на Ставрополье", "26"),
    ("в Приморье", "25"),
    ("во Владивостоке", "25"),
    ("на Камчатке", "41"),
    ("в Петропавловске-Камчатском", "41"),
    ("на Сахалине", "65"),
    ("в Южно-Сахалинске", "65"),
    ("на Чукотке", "87"),
    ("в Анадыре", "87"),
    ("на Ямале", "89"),
    ("в Салехарде", "89"),
    ("в ЯНАО", "89"),
    ("в Нарьян-Маре", "83"),
    ("в Биробиджане", "79"),
    ("в Югре", "86"),
    ("в Ханты-Мансийске", "86"),
    ("в Нижневартовске", "86"),
    ("в Тюмени", "72"),
    ("в Архангельске", "29"),
    ("в Перми", "59"),
    ("в Твери", "69"),
    ("в Орле", "57"),
    ("из Орла", "57"),
    ("в Курске", "46"),
    ("в Омске", "55"),
    ("в Томске", "70"),
    ("в Новосибирске", "54"),
    ("в Барнауле", "22"),
    ("в Горно-Алтайске", "04"),
    ("в Горном Алтае", "04"),
    ("в Кемерове", "42"),
    ("в Кемерово", "42"),
    ("в Новокузнецке", "42"),
    ("в Улан-Удэ", "03"),
    ("в Бурятии", "03"),
    ("в Чите", "75"),
    ("в Иркутске", "38"),
    ("в Красноярске", "24"),
    ("в Кызыле", "17"),
    ("в Туве", "17"),
    ("в Хакасии", "19"),
    ("в Абакане", "19"),
    ("в Якутске", "14"),
    ("в Магадане", "49"),
    ("в Благовещенске", "28"),
    ("в Калининграде", "39"),
    ("в Махачкале", "05"),
    ("в Дагестане", "05"),
    ("в Грозном", "20"),
    ("в Чечне", "20"),
    ("в Назрани", "06"),
    ("в Ингушетии", "06"),
    ("в Нальчике", "07"),
    ("в Кабардино-Балкарии", "07"),
    ("в Черкесске", "09"),
    ("в Карачаево-Черкесии", "09"),
    ("во Владикавказе", "15"),
    ("в Северной Осетии", "15"),
    ("в Элисте", "08"),
    ("в Калмыкии", "08"),
    ("в Майкопе", "01"),
    ("в Адыгее", "01"),
    ("в Петрозаводске", "10"),
    ("в Карелии", "10"),
    ("в Сыктывкаре", "11"),
    ("в Йошкар-Оле", "12"),
    ("в Марий Эл", "12"),
    ("в Саранске", "13"),
    ("в Мордовии", "13"),
    ("в Ижевске", "18"),
    ("в Чебоксарах", "21"),
    ("в Уфе", "02"),
    ("в Набережных Челнах", "16"),
    ("в Ростове-на-Дону", "61"),
    ("в Ростове", "61"),
    ("в Таганроге", "61"),
    ("в Волгограде", "34"),
    ("в Астрахани", "30"),
    ("в Саратове", "64"),
    ("в Самаре", "63"),
    ("в Ульяновске", "73"),
    ("в Пензе", "58"),
    ("в Оренбурге", "56"),
    ("в Челябинске", "74"),
    ("в Магнитогорске", "74"),
    ("в Кургане", "45"),
    ("в Тобольске", "72"),
    ("в Вологде", "35"),
    ("в Череповце", "35"),
    ("в Мурманске", "51"),
    ("в Пскове", "60"),
    ("в Великом Новгороде", "53"),
    ("в Смоленске", "67"),
    ("в Брянске", "32"),
    ("в Калуге", "40"),
    ("в Туле", "71"),
    ("в Рязани", "62"),
    ("во Владимире", "33"),
    ("в Иванове", "37"),
    ("в Костроме", "44"),
    ("в Ярославле", "76"),
    ("в Липецке", "48"),
    ("в Тамбове", "68"),
    ("в Воронеже", "36"),
    ("в Белгороде", "31"),
    ("в Кирове", "43"),
    ("в Симферополе", "91"),
    ("в Ялте", "91"),
    ("в Донецке", "93"),
    ("в Луганске", "94"),
    ("в Мелитополе", "90"),
    ("в Херсоне", "95"),
    ("в Гатчине", "47"),
    ("в Красногорске", "50"),
    ("в Зеленограде", "77"),
    ("на Кубани", "23"),
    ("в Забайкалье", "75"),
    ("в Донецкой Народной Республике", "93"),
    ("в Луганской Народной Республике", "94"),
    ("в Чеченской Республике", "20"),
    ("в Удмуртской Республике", "18"),
    ("в Еврейской автономной области", "79"),
    ("в Ямало-Ненецком автономном округе", "89"),
    ("в Нижнем", "52"),
    ("в Подольске", "50"),
    ("в Балашихе", "50"),
    ("в Новом Уренгое", "89"),
    # extra words and abbreviated designators
    ("Я из Казани", "16"),
    ("живу в Татарстане", "16"),
    ("регион: Татарстан", "16"),
    ("Регион - Свердловская обл", "66"),
    ("г. Екатеринбург", "66"),
    ("обл. Свердловская", "66"),
    ("р-н Ленинский, г. Пермь", "59"),
    ("респ. Башкортостан", "02"),
    ("Башкортостан респ.", "02"),
    ("Ханты-Мансийский АО - Югра", "86"),
    ("ХМАО - Югра", "86"),
    ("Краснодарский кр.", "23"),
    ("Пермский кр", "59"),
    ("Мы живём в Подмосковье, в Химках", "50"),
    ("школа в Красноярском крае", "24"),
    ("учусь в Казани, 8 класс", "16"),
    ("Татарстан/Казань", "16"),
    ("Республика Татарстан (Татарстан)", "16"),
    ("Республика Адыгея (Адыгея)", "01"),
    ("Екатеринбург, Свердловская обл", "66"),
    ("я живу в городе Набережные Челны, республика Татарстан, учусь в 9 классе", "16"),
    ("Сев. Осетия", "15"),
    ("РСО-Алания", "15"),
    ("Карачаево-Черкессия", "09"),
    ("Еврейская АО", "79"),
    ("Чукотский АО", "87"),
    ("Ненецкий АО", "83"),
    ("С.-Петербург", "78"),
    ("Санкт Петербург", "78"),
    ("СПБ", "78"),
    ("спб", "78"),
    ("МСК", "77"),
    ("г. Москва", "77"),
    ("город Москва", "77"),
    ("Москва, Зеленоград", "77"),
    ("РС(Я)", "14"),
    ("Саха (Якутия)", "14"),
    ("ХМАО-Югра", "86"),
    # typos of one letter in a long word
    ("Свердловсая", "66"),
    ("Татарстн", "16"),
    ("Башкортостн", "02"),
    ("Екатеренбург", "66"),
    ("Питербург", "78"),
    ("Красноярскй край", "24"),
    ("Новосибиская область", "54"),
    ("Краснодарсий край", "23"),
    ("Оренбурская обл", "56"),
    ("Ставропольский крй", "26"),
    ("Челябинская облась", "74"),
    # case and ё
    ("ОРЁЛ", "57"),
    ("орел", "57"),
    ("Орёл", "57"),
    ("сАмАрА", "63"),
    ("ТАТАРСТАН", "16"),
    ("в ТЮМЕНИ", "72"),
    ("ставрОпольский КРАЙ", "26"),
    ("Мурманская ОБЛ.", "51"),
    ("в королёве, нет, в Мытищах", "50"),
]


@pytest.mark.parametrize(("text", "code"), WRITTEN_BY_PEOPLE)
def test_as_people_write(resolver: RegionResolver, text: str, code: str) -> None:
    assert_resolves(resolver, text, code)


DISTINGUISHED = [
    ("Московская область", "50"),
    ("Москва", "77"),
    ("Московская", "50"),
    ("Ленинградская область", "47"),
    ("Санкт-Петербург", "78"),
    ("Ленинград", "78"),
    ("Севастополь", "92"),
    ("Крым", "91"),
    ("Нижегородская", "52"),
    ("Новгородская", "53"),
    ("Нижегородская обл", "52"),
    ("Новгородская обл", "53"),
    ("Нижний Новгород", "52"),
    ("Великий Новгород", "53"),
    ("Новгород Великий", "53"),
    ("Новгород Нижний", "52"),
    ("Н. Новгород", "52"),
    ("Великий Новгород, Новгородская область", "53"),
    ("Нижний Тагил", "66"),
    ("Нижегородская область, г. Дзержинск", "52"),
    ("Республика Алтай", "04"),
    ("Алтайский край", "22"),
    ("Алтай край", "22"),
    ("респ. Алтай", "04"),
    ("Алтай, Барнаул", "22"),
    ("Алтай, Горно-Алтайск", "04"),
    ("Горный Алтай", "04"),
    ("РБ, Уфа", "02"),
    ("РБ, Улан-Удэ", "03"),
    ("ЧР, Грозный", "20"),
    ("Чебоксары, ЧР", "21"),
    ("РК, Петрозаводск", "10"),
    ("Донбасс, Луганск", "94"),
    ("Архангельская область", "29"),
    ("Ненецкий автономный округ", "83"),
    ("Архангельская область, Нарьян-Мар", "83"),
    ("Архангельская область, НАО", "83"),
    ("Архангельская область без НАО", "29"),
    ("Архангельская область (кроме Ненецкого автономного округа)", "29"),
    ("Архангельская область включая НАО", "29"),
    ("Тюменская область", "72"),
    ("Тюменская область, ХМАО", "86"),
    ("Тюменская обл. ЯНАО", "89"),
    ("Сургут, Тюменская обл", "86"),
    ("Тюменская область (кроме Ханты-Мансийского автономного округа — Югры и Ямало-Ненецкого АО)", "72"),
    ("Ямало-Ненецкий", "89"),
    ("Ненецкий", "83"),
    ("Ханты-Мансийск", "86"),
    ("Кемеровская область — Кузбасс", "42"),
    ("Кемеровская область", "42"),
    ("Кузбасс", "42"),
    ("Донецкая область", "93"),
    ("Луганская область", "94"),
]


@pytest.mark.parametrize(("text", "code"), DISTINGUISHED)
def test_close_names_are_told_apart(resolver: RegionResolver, text: str, code: str) -> None:
    assert_resolves(resolver, text, code)


REGION_CODES = [
    ("16 регион", "16"),
    ("регион 16", "16"),
    ("77 регион", "77"),
    ("Регион: 77", "77"),
    ("16-й регион", "16"),
    ("код региона 02", "02"),
    ("регион 2", "02"),
    ("2 регион", "02"),
    ("регион №16", "16"),
    ("91 регион", "91"),
    ("93 регион", "93"),
    ("у нас 66 регион", "66"),
    ("16 регион, 8 класс", "16"),
    # Plate codes that are not the subject's code.
    ("регион 99", "77"),
    ("123 регион", "23"),
    ("регион 702", "02"),
    ("82 регион", "91"),
]


@pytest.mark.parametrize(("text", "code"), REGION_CODES)
def test_region_code_with_the_word_region(resolver: RegionResolver, text: str, code: str) -> None:
    assert_resolves(resolver, text, code)


AMBIGUOUS = [
    ("Новгород", ["52", "53"]),
    ("в Новгороде", ["52", "53"]),
    ("Татарстан и Башкирия", ["16", "02"]),
    ("Башкирия или Татарстан", ["02", "16"]),
    ("Алтай", ["04", "22"]),
    ("на Алтае", ["04", "22"]),
    ("РБ", ["02", "03"]),
    ("ЧР", ["20", "21"]),
    ("РК", ["08", "10", "11", "91"]),
    ("Донбасс", ["93", "94"]),
    ("Москва и Московская область", ["77", "50"]),
    ("Питер и Ленобласть", ["78", "47"]),
    ("Казань или Уфа", ["16", "02"]),
    ("Севастополь, Крым", ["92", "91"]),
    ("Казань, Казань, хотя учусь в Уфе", ["16", "02"]),
    ("Свердловсая или Пермь", ["59", "66"]),
]


@pytest.mark.parametrize(("text", "expected"), AMBIGUOUS)
def test_ambiguous_texts_list_candidates_best_first(resolver: RegionResolver, text: str, expected: list[str]) -> None:
    resolution = resolver.resolve(text)
    assert resolution.region is None
    assert resolution.ambiguous
    assert codes(resolution) == expected


NOTHING = [
    "",
    "   ",
    "не знаю",
    "привет",
    "8 класс",
    "я в 9 классе",
    "16",
    "77",
    "область",
    "обл.",
    "край",
    "республика",
    "автономный округ",
    "Россия",
    "РФ",
    "Казахстан",
    "Минск",
    "Киев",
    "ростом 180",
    "край стола",
    "регион 8 класс",
    "регион 100",
    "1023 регион",
    "регион 0",
    "?!",
    "здравствуйте, не могу войти в личный кабинет",
    "роль: ученик",
    "мой логин ivanov@mail.ru",
    "информационный вопрос",
    "технический вопрос",
    "без понятия",
    "другой регион",
    "областная олимпиада",
    "спасибо большое",
    "я педагог-навигатор",
]


@pytest.mark.parametrize("text", NOTHING)
def test_texts_naming_no_region(resolver: RegionResolver, text: str) -> None:
    resolution = resolver.resolve(text)
    assert resolution == Resolution(None, ())
    assert not resolution.ambiguous


# ---------------------------------------------------------------------------------------------
# Latin letters, plate codes and the gazetteer of towns
# ---------------------------------------------------------------------------------------------

LATIN = [
    ("Bashkortostan", "02"),
    ("Respublika Tatarstan", "16"),
    ("iz Sverdlovskoy oblasti", "66"),
    ("Khanty-Mansiysk", "86"),
    ("Nizhniy Tagil", "66"),
    ("Sankt Peterburg", "78"),
    ("v Moskve", "77"),
    ("Ufa", "02"),
]


@pytest.mark.parametrize(("text", "code"), LATIN)
def test_latin_transliteration_is_read_as_russian(resolver: RegionResolver, text: str, code: str) -> None:
    assert_resolves(resolver, text, code)


def test_every_subject_code_has_no_plate_of_another_subject() -> None:
    plates = [plate for region in REGIONS for plate in region.plates]
    assert len(plates) == len(set(plates))
    assert all(re.fullmatch(r"[0-9]{2,3}", plate) for plate in plates)
    assert not {plate for plate in plates if len(plate) == 3} & {region.code for region in REGIONS}


def test_the_gazetteer_is_real_data_with_its_source_named() -> None:
    towns = load_towns()
    head = TOWNS_PATH.read_text(encoding="utf-8")[:400]
    assert "GeoNames" in head and "CC BY 4.0" in head and "scripts/towns_from_geonames.py" in head
    assert len(towns) > 2500
    assert {town.code for town in towns} == {region.code for region in REGIONS}
    assert Town("Находка", "25", 146920) in towns


@pytest.fixture(scope="module")
def with_towns() -> RegionResolver:
    return default_resolver()


@pytest.mark.parametrize(
    ("text", "code"),
    [("Кинешма", "37"), ("из Миасса", "74"), ("г. Находка", "25"), ("Находка", "25"), ("живу в г Шахты", "61")],
)
def test_a_town_outside_regions_yml_names_its_subject(with_towns: RegionResolver, text: str, code: str) -> None:
    assert_resolves(with_towns, text, code)


def test_a_town_several_subjects_have_is_asked_about(with_towns: RegionResolver) -> None:
    resolution = with_towns.resolve("Железногорск")
    assert resolution.ambiguous and {"24", "46"} <= set(codes(resolution))
    assert_resolves(with_towns, "Железногорск, Курская область", "46")


@pytest.mark.parametrize(
    "text", ["у меня находка: тест сохраняется", "ясно", "Анна", "шахты не было", "тест на татарском языке"]
)
def test_a_town_named_by_an_ordinary_word_needs_to_stand_as_a_town(with_towns: RegionResolver, text: str) -> None:
    assert with_towns.resolve(text) == Resolution(None, ())


def test_the_subjects_own_names_win_over_a_town_of_the_same_name(with_towns: RegionResolver) -> None:
    assert_resolves(with_towns, "Киров", "43")  # there is a town Киров in the Калужская область too
    assert_resolves(with_towns, "Березники", "59")  # and a Березник in the Архангельская


def test_a_typo_is_never_taken_for_a_town(with_towns: RegionResolver) -> None:
    assert with_towns.resolve("забыл пороль помогите") == Resolution(None, ())


# ---------------------------------------------------------------------------------------------
# Look-ups and speed
# ---------------------------------------------------------------------------------------------


def test_by_name_is_exact_up_to_case_and_punctuation(resolver: RegionResolver) -> None:
    assert resolver.by_name("Республика Татарстан") == BY_CODE["16"]
    assert resolver.by_name("республика татарстан") == BY_CODE["16"]
    assert resolver.by_name("Ханты-Мансийский автономный округ - Югра") == BY_CODE["86"]
    assert resolver.by_name("Орловская область") == BY_CODE["57"]
    assert resolver.by_name("Татарстан") is None
    assert resolver.by_name("в Татарстане") is None


def test_by_code_and_all(resolver: RegionResolver) -> None:
    assert resolver.by_code("16") == BY_CODE["16"]
    assert resolver.by_code("99") is None
    assert resolver.all() == REGIONS


def test_default_resolver_is_built_once() -> None:
    assert default_resolver() is default_resolver()
    assert default_resolver().resolve("в Казани").region == BY_CODE["16"]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("свердловская", "свердловсая", True),
        ("питер", "петер", True),
        ("абв", "бав", True),
        ("томская", "омская", True),
        ("омск", "томский", False),
        ("казань", "казнаь", True),
        ("уфа", "уфааа", False),
    ],
)
def test_within_one_edit(a: str, b: str, expected: bool) -> None:
    assert within_one_edit(a, b) is expected
    assert within_one_edit(b, a) is expected
