"""The personal account's claims → the bot's slots and greeting (pure, no I/O)."""

from __future__ import annotations

import pytest

from ticketing.domain.platform_identity import (
    PlatformIdentity,
    greeting,
    identity_from_claims,
    map_role,
    mask_email,
)


def resolve(text: str) -> str | None:
    return {"Татарстан": "Республика Татарстан", "Республика Татарстан": "Республика Татарстан"}.get(text)


@pytest.mark.parametrize(
    ("raw", "role"),
    [
        ("student", "participant"),
        ("Участник", "participant"),
        ("PARENT", "parent"),
        ("педагог-навигатор", "mentor"),
        ("teacher", "mentor"),
        ("employer", "venue"),
        ("other", "other"),
        ("superhero", None),
        (None, None),
        (42, None),
    ],
)
def test_roles_of_the_platform_map_to_the_bots(raw: object, role: str | None) -> None:
    assert map_role(raw) == role


def test_claims_become_slots_in_the_forms_order() -> None:
    identity = identity_from_claims(
        {"login": " ivanov2011 ", "email": "Ivan@Mail.RU", "region": "Татарстан", "role": "student", "name": "Иван\n"},
        resolve,
    )
    assert identity == PlatformIdentity("ivanov2011", "ivan@mail.ru", "Республика Татарстан", "participant", "Иван")
    assert list(identity.slots()) == ["region", "role", "login", "email"]


@pytest.mark.parametrize("login", [None, "", "a", "два слова", "x" * 65, "<b>", 123])
def test_without_a_usable_login_the_user_is_anonymous(login: object) -> None:
    assert identity_from_claims({"login": login, "email": "a@b.ru"}, resolve) is None


def test_odd_claims_are_left_out_for_the_bot_to_ask() -> None:
    identity = identity_from_claims({"login": "petrov", "email": "нет", "region": "Марс", "role": "x"}, resolve)
    assert identity == PlatformIdentity("petrov")
    assert identity.slots() == {"login": "petrov"}


def test_the_email_is_masked() -> None:
    assert mask_email("ivan.petrov@mail.ru") == "i…@mail.ru"
    assert mask_email("broken") == "…"


def test_the_greeting_says_what_the_bot_knows() -> None:
    full = PlatformIdentity("ivanov2011", "ivan@mail.ru", "Республика Татарстан", "participant")
    assert greeting(full) == (
        "Здравствуйте, ivanov2011! Вижу ваш регион — Республика Татарстан — и почту i…@mail.ru, "
        "переспрашивать не буду. Опишите, пожалуйста, ваш вопрос."
    )
    assert greeting(PlatformIdentity("ivanov2011", email="ivan@mail.ru", name="Иван")) == (
        "Здравствуйте, Иван! Вижу вашу почту i…@mail.ru, переспрашивать не буду. Опишите, пожалуйста, ваш вопрос."
    )
    assert greeting(PlatformIdentity("ivanov2011", region="Республика Татарстан")).startswith(
        "Здравствуйте, ivanov2011! Вижу ваш регион — Республика Татарстан, переспрашивать"
    )
