"""The ticket page speaks people's language: taps by their titles, actors by their Russian names (§1.4)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from procedure import button_taps
from ticketing.domain import actors
from ticketing.domain.tickets import EventType, TicketEvent, TranscriptLine
from ticketing.http.console.present import event_details, transcript_rows


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ('/inform{"role": "participant"}', "Участник"),
        ('/inform{"role":"mentor"}', "Наставник"),
        ('/inform{"region": "Пермский край"}', "Пермский край"),
        ("/choose_technical", "Технический вопрос"),
        ("/choose_informational", "Информационный вопрос"),
        ("/affirm", "Да"),
        ("/deny", "Нет"),
        ("/cancel", "Отменить"),
        ("/open_appeal", "Оставить обращение"),
        ("/not_the_answer", "Это не ответ на мой вопрос"),
        ('/correct_field{"field": "email"}', "Исправить почту"),
        ('/correct_field{"field": "request_kind", "request_kind": "complaint"}', "Жалоба"),
        ('/choose_topic{"faq_key": "cost"}', "Сколько стоит участие?"),
        ('/choose_topic{"faq_key": "unknown"}', "Вопрос из подсказок «Возможно, вы имели в виду…»"),
        ('/brand_new_intent{"x": 1}', "(нажата кнопка)"),
        ("/affirm@0.95", "Да"),
    ],
)
def test_every_payload_shape_the_bot_sends_reads_as_words(stored: str, shown: str) -> None:
    rows = transcript_rows([TranscriptLine("user", stored)], {"cost": "Сколько стоит участие?"})
    assert [(r.who, r.text, r.tapped) for r in rows] == [("Заявитель", shown, True)]


def test_typed_words_and_the_bots_lines_are_left_as_written() -> None:
    lines = [
        TranscriptLine("user", "не грузится тест / помогите"),
        TranscriptLine("user", "/ это не кнопка {"),
        TranscriptLine("bot", "/inform это бот так сказал"),
    ]
    rows = transcript_rows(lines, {})
    assert [(r.text, r.tapped) for r in rows] == [
        ("не грузится тест / помогите", False),
        ("/ это не кнопка {", False),
        ("/inform это бот так сказал", False),
    ]


def test_a_tap_is_matched_to_the_offered_button_whatever_the_spacing() -> None:
    offered = [{"title": "Я ученик", "payload": '/inform{"role": "participant"}'}, {"title": "Нет", "payload": "/deny"}]
    assert button_taps.tapped_title('/inform{"role":"participant"}', offered) == "Я ученик"
    assert button_taps.tapped_title("/deny", offered) == "Нет"
    assert button_taps.tapped_title("/affirm", offered) is None
    assert button_taps.tapped_title("ученик", offered) is None


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("token:action-server", "чат-бот"),
        ("token:action-server (prod)", "чат-бот"),
        ("action-server", "чат-бот"),  # a transition through the API (a pupil's message, a screening verdict)
        ("token:crm-import", "через API (токен «crm-import»)"),
        (actors.SCREENING, "автоматическая проверка (п. 4.7–4.9)"),
        (actors.SYSTEM, "система"),
        ("mail:project", "почта проекта (обработчик писем)"),
        ("mail:union", "почта Союза (обработчик писем)"),
        (actors.MAIL_SENDER, "отправка писем"),
        ("mail:other", "почтовый ящик «other»"),
        ("Ольга Первая", "Ольга Первая"),
        ("заявитель в чате", "заявитель в чате"),
    ],
)
def test_every_stored_actor_has_a_russian_name(stored: str, shown: str) -> None:
    assert actors.actor_label_ru(stored) == shown


def test_a_retry_time_stored_in_utc_reads_in_moscow_time() -> None:
    failed = TicketEvent(
        type=EventType.REPLY_SEND_FAILED,
        at=datetime(2026, 12, 7, 9, 0, tzinfo=UTC),
        actor=actors.MAIL_SENDER,
        data={"comment": "Ответ письмом не отправлен (попытка 1): 451 busy; следующая попытка — 07.12.2026 09:30 UTC."},
    )
    ((_, text),) = event_details(failed)
    assert text.endswith("следующая попытка — 07.12.2026 12:30 МСК.") and "UTC" not in text
