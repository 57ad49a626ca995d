# ruff: noqa: F811 - pytest fixtures are imported by name and then requested as parameters
"""The ticket page in people's language (issue 14, part 5): taps, scenarios, actors, deadlines, handovers."""

from __future__ import annotations

import re

from tests.integration.console_helpers import (  # noqa: F401
    Console,
    cheap_password_hashes,
    console,
    ticket_path,
)
from tests.integration.test_api_tickets import CHAT_TICKET
from ticketing.adapters.scenarios import Scenario

PAYLOAD = re.compile(r"/\w+\{|/choose_|/inform|/affirm")


async def test_a_transcript_stored_with_payloads_shows_what_the_pupil_tapped(console: Console) -> None:
    transcript = [
        {"sender": "user", "text": "хочу оставить обращение", "timestamp": 1.0},
        {"sender": "bot", "text": "Кто вы на платформе «Билет в будущее»?", "timestamp": 2.0},
        {"sender": "user", "text": '/inform{"role": "participant"}', "timestamp": 3.0},
        {"sender": "bot", "text": "Какой у вас вопрос?", "timestamp": 4.0},
        {"sender": "user", "text": "/choose_technical", "timestamp": 5.0},
    ]
    number = await console.ticket({**CHAT_TICKET, "transcript": transcript})
    page = await console["line1"].get(ticket_path(number))
    conversation = page.text.split('id="h-conversation"', 1)[1].split("</section>", 1)[0]
    assert "Участник" in conversation and "Технический вопрос" in conversation
    assert 'class="tap"' in conversation
    assert not PAYLOAD.search(conversation), conversation


async def test_the_scenario_picker_names_scenarios_by_their_russian_titles(console: Console) -> None:
    console.api.app.ctx.console.scenarios = [
        Scenario("about_project", "«Билет в будущее» — проект ранней профориентации.", "Что такое «Билет в будущее»?"),
        Scenario("test_not_loading", "Очистите кэш браузера и откройте тест заново."),
    ]
    number = await console.ticket()
    page = await console["line1"].get(ticket_path(number))
    picker = page.text.split('id="scenario"', 1)[1].split("</select>", 1)[0]
    assert ">Что такое «Билет в будущее»?</option>" in picker
    assert ">Очистите кэш браузера и откройте тест заново.</option>" in picker  # no title: the answer's first line
    assert ">about_project<" not in picker and ">test_not_loading<" not in picker


async def test_the_history_names_the_bot_and_the_automatic_check_in_russian(console: Console) -> None:
    number = await console.ticket()
    page = await console["line1"].get(ticket_path(number))
    history = page.text.split('id="h-history"', 1)[1]
    assert "— чат-бот" in history and "— автоматическая проверка (п. 4.7–4.9)" in history
    assert "token:" not in history and "— screening" not in history
