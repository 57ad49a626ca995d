"""What a pupil tapped, in words: a button's payload (``/inform{"role": "participant"}``) as its title.

When a pupil taps a button, Rasa records the button's payload as the user's message. A person
reading the conversation (line 1 in the console, §5.3) must see what the pupil saw — «Ученик»,
not ``/inform{"role": "participant"}`` — since everything a person reads is Russian (§1.4).

The action server knows the buttons the bot had just offered, so it stores the title
(:func:`tapped_title`); tickets stored before that keep payloads, and the console reads them
with :func:`describe_payload`, which knows every payload shape the bot sends and never shows a
raw one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from procedure.requesters import APPEAL_FIELD_LABELS, KIND_LABELS, ROLE_LABELS

_PAYLOAD = re.compile(r"^\s*/(?P<intent>[\w-]+)(?:@[\d.]+)?(?P<entities>\{.*\})?\s*$", re.DOTALL)

# Intents a button sends without entities, as the pupil saw them (domain.yml, actions/texts.py).
INTENT_TITLES: dict[str, str] = {
    "affirm": "Да",
    "deny": "Нет",
    "cancel": "Отменить",
    "open_appeal": "Оставить обращение",
    "ticket_status": "Узнать статус обращения",
    "not_the_answer": "Это не ответ на мой вопрос",
    "choose_technical": "Технический вопрос",
    "choose_informational": "Информационный вопрос",
    "correct_field": "Исправить",
    "choose_topic": "Вопрос из подсказок «Возможно, вы имели в виду…»",
    "greet": "Здравствуйте",
    "goodbye": "До свидания",
    "thanks": "Спасибо",
}
UNKNOWN_TAP = "(нажата кнопка)"


def parse_payload(text: str | None) -> tuple[str, dict[str, Any]] | None:
    """The intent and entities of a payload, or ``None`` when ``text`` is what someone typed."""
    found = _PAYLOAD.match(text or "")
    if found is None:
        return None
    entities: dict[str, Any] = {}
    if found["entities"]:
        try:
            parsed = json.loads(found["entities"])
        except ValueError:
            return None
        if not isinstance(parsed, dict):
            return None
        entities = parsed
    return found["intent"], entities


def tapped_title(text: str, buttons: Iterable[Mapping[str, Any]]) -> str | None:
    """The title of the button among ``buttons`` whose payload ``text`` is, or ``None``.

    Payloads are compared as intent and entities, so ``{"role":"parent"}`` matches
    ``{"role": "parent"}`` whatever the spacing the widget sent.
    """
    wanted = parse_payload(text)
    if wanted is None:
        return None
    for button in buttons:
        title, payload = button.get("title"), button.get("payload")
        if isinstance(title, str) and title.strip() and isinstance(payload, str):
            if payload.strip() == text.strip() or parse_payload(payload) == wanted:
                return title.strip()
    return None


def describe_payload(text: str, topic_title: Callable[[str], str | None] = lambda key: None) -> str | None:
    """A payload in words without the buttons it came from; ``None`` when ``text`` is no payload.

    Args:
        text: the user's message as stored.
        topic_title: the scenario's title by its key, for ``/choose_topic{"faq_key": ...}``.
    """
    parsed = parse_payload(text)
    if parsed is None:
        return None
    intent, entities = parsed
    if intent == "inform":
        role, region = entities.get("role"), entities.get("region")
        if isinstance(role, str) and role in ROLE_LABELS:
            return ROLE_LABELS[role].staff.capitalize()
        if isinstance(region, str) and region.strip():
            return region.strip()
    if intent == "correct_field":
        kind, field = entities.get("request_kind"), entities.get("field")
        if isinstance(kind, str) and kind in KIND_LABELS:
            return KIND_LABELS[kind].capitalize()
        if isinstance(field, str) and field in APPEAL_FIELD_LABELS:
            return f"Исправить {APPEAL_FIELD_LABELS[field]}"
    if intent == "choose_topic":
        key = entities.get("faq_key")
        title = topic_title(key) if isinstance(key, str) else None
        if title:
            return title
    return INTENT_TITLES.get(intent, UNKNOWN_TAP)
