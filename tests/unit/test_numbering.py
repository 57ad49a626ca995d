import pytest

from procedure.ticket_numbers import find_number, format_number, parse_number


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("БВБ-000123", "БВБ-000123"),
        ("бвб-123", "БВБ-000123"),
        ("бвб 123", "БВБ-000123"),
        ("БВБ123", "БВБ-000123"),
        ("BVB-000123", "БВБ-000123"),
        ("bvb 123", "БВБ-000123"),
        ("№123", "БВБ-000123"),
        ("# 123", "БВБ-000123"),
        ("123", "БВБ-000123"),
        ("  БВБ–000123 ", "БВБ-000123"),
        ("БВБ-1234567", "БВБ-1234567"),
    ],
)
def test_people_type_numbers_many_ways(typed: str, expected: str) -> None:
    assert parse_number(typed) == expected


@pytest.mark.parametrize("typed", ["", "БВБ-", "БВБ-0", "abc", "БВБ-12a", "8 класс", "АБВ-123"])
def test_what_is_not_a_number(typed: str) -> None:
    assert parse_number(typed) is None


def test_format_pads_to_six_digits() -> None:
    assert format_number(7) == "БВБ-000007"
    with pytest.raises(ValueError):
        format_number(0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("что с моим обращением бвб 123?", "БВБ-000123"),
        ("Re: Вход [BVB-000045]", "БВБ-000045"),
        ("бвб_7", "БВБ-000007"),
        ("обращение 123", None),  # inside a sentence a number needs its prefix
        ("ТБВБ-12", None),
        ("бвб-0", None),
    ],
)
def test_a_number_inside_a_sentence(text: str, expected: str | None) -> None:
    assert find_number(text) == expected
