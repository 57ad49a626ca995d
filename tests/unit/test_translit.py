"""Latin spellings of Russian words, read back through a vocabulary (procedure.translit)."""

from __future__ import annotations

import pytest

from procedure.translit import LatinReader, latin_skeleton, skeleton, spell_out

VOCABULARY = ["свердловская", "нижний", "новгород", "хабаровск", "якутия", "тюмень", "братск", "екатеринбург", "крым"]


@pytest.mark.parametrize(
    ("latin", "russian"),
    [
        ("sverdlovskaya", "свердловская"),
        ("sverdlovskaja", "свердловская"),
        ("nizhny", "нижний"),
        ("nizhniy", "нижний"),
        ("nizhnii", "нижний"),
        ("khabarovsk", "хабаровск"),
        ("habarovsk", "хабаровск"),
        ("yakutia", "якутия"),
        ("yakutiya", "якутия"),
        ("tyumen", "тюмень"),
        ("tjumen", "тюмень"),
        ("bratsk", "братск"),
        ("yekaterinburg", "екатеринбург"),
        ("ekaterinburg", "екатеринбург"),
        ("krym", "крым"),
    ],
)
def test_every_common_romanisation_finds_the_word(latin: str, russian: str) -> None:
    assert LatinReader(VOCABULARY).cyrillic(latin) == russian
    assert latin_skeleton(latin) == skeleton(russian)


def test_an_unknown_latin_word_is_spelt_out_letter_by_letter() -> None:
    assert LatinReader(VOCABULARY).cyrillic("zhivu") == "живу"
    assert spell_out("shchyolkovo") == "щёлково"


@pytest.mark.parametrize(
    ("latin", "russian"), [("kakoy", "какой"), ("podderzhkoy", "поддержкой"), ("moya", "моя"), ("novyy", "новый")]
)
def test_y_after_a_vowel_is_spelt_as_short_i(latin: str, russian: str) -> None:
    assert spell_out(latin) == russian


def test_cyrillic_words_stay_and_latin_look_alikes_in_them_become_cyrillic() -> None:
    reader = LatinReader(VOCABULARY)
    assert reader.cyrillic("крым") == "крым"
    assert reader.cyrillic("mосква") == "москва"  # a Latin «m» typed in a Russian word
    assert reader.cyrillic("16") == "16"


def test_an_earlier_vocabulary_wins_a_shared_skeleton() -> None:
    assert LatinReader(["крым"], ["крим"]).cyrillic("krym") == "крым"
    assert LatinReader(["крим"], ["крым"]).cyrillic("krym") == "крим"


def test_known_tells_a_vocabulary_word_from_a_spelling() -> None:
    reader = LatinReader(VOCABULARY)
    assert reader.known("habarovsk") == "хабаровск"
    assert reader.known("zhivu") is None
