"""The screening's reasons read in Russian in a ticket's history (§1.4; issue 14, item 9.7)."""

from __future__ import annotations

import pytest

from procedure.screening import ScreeningEngine
from procedure.screening.reasons import describe, describe_all


@pytest.mark.parametrize(
    ("reason", "russian"),
    [
        ("lingua:en", "язык текста: английский (по статистике слов)"),
        ("words:uz", "слова языка: узбекский"),
        ("script:ukrainian_letters", "буквы, которых нет в русском: украинский"),
        ("script:armenian", "письмо: армянское письмо"),
        ("translit:ru", "русский текст латинскими буквами"),
        ("obscene_root:хуй", "нецензурное слово («х…»)"),
        ("threat:kill", "угроза: убийство"),
        ("insult", "оскорбление"),
        ("something_new", "something_new"),
    ],
)
def test_each_reason_in_russian(reason: str, russian: str) -> None:
    assert describe(reason) == russian


@pytest.mark.parametrize(
    "text",
    [
        "Hello, I cannot log in to my account, please help me with the password",
        "Я тебя найду и убью",
        "Привіт, я не можу зайти в особистий кабінет, що робити?",
    ],
)
def test_what_the_engine_says_has_no_machine_code_left(text: str) -> None:
    verdict = ScreeningEngine(use_lingua=False).screen(text)
    assert verdict.reasons, verdict
    russian = describe_all(verdict.reasons)
    assert ":" in russian and not any(code in russian for code in ("lingua", "words:", "script:", "threat:"))
