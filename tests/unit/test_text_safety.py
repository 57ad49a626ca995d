"""procedure.text_safety: free text neutralised, identifiers with anything invisible refused (issue 13)."""

from __future__ import annotations

import pytest

from procedure.text_safety import EMAIL_RU, INVISIBLE_RU, email_problem, invisible_problem, neutralise


def test_free_text_keeps_lines_tabs_letters_and_emoji() -> None:
    text = "Белый экран 👨‍👩‍👧\n\tшаг 2 — «тест» שלום"
    assert neutralise(text) == text  # ZWJ of the emoji and right-to-left letters stay: they are text
    assert neutralise("a\r\nb\rc") == "a\nb\nc"
    assert neutralise("\x00a\x07b\x1bc\x7fd\x9fe\u202ef\u2069g\ud83dh") == "abcdef" + "g\ufffdh"


@pytest.mark.parametrize(
    "value", ["ivan\u202e", "iv\u200ban", "ivan\u2060", "\ufeffivan", "iv an", "iv\x00an", "i\u00ad"]
)
def test_identifiers_refuse_anything_invisible(value: str) -> None:
    assert invisible_problem(value) == INVISIBLE_RU


@pytest.mark.parametrize(
    "address, problem",
    [
        ("ivan.petrov@mail.ru", None),
        ("o'brien+bvb@example.ru", None),
        ("ivan@почта.рф", None),
        ("ivan@xn--80a1acny.xn--p1ai", None),
        ("ivan\u202e@mail.ru", INVISIBLE_RU),
        ("javascript:alert(1)//@example.ru", EMAIL_RU),
        ("<script>@example.ru", EMAIL_RU),
        ("ivan..petrov@mail.ru", EMAIL_RU),
        ("ivan@mail", EMAIL_RU),
        ("иван@mail.ru", EMAIL_RU),
    ],
)
def test_the_one_shape_of_an_address(address: str, problem: str | None) -> None:
    assert email_problem(address) == problem
