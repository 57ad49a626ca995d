# ruff: noqa: F811 - pytest fixtures are imported by name and then requested as parameters
"""The ticket page in people's language (issue 14, part 5): taps, scenarios, actors, deadlines, handovers."""

from __future__ import annotations

import re
from datetime import timedelta

from tests.integration.console_helpers import (  # noqa: F401
    Console,
    cheap_password_hashes,
    console,
    ticket_path,
)
from tests.integration.test_api_tickets import CHAT_TICKET
from ticketing.adapters.scenarios import Scenario
from ticketing.domain.sla import MOSCOW

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


async def _to_line3(console: Console, number: str, comment: str = "Белый экран в Chrome") -> None:
    olga = console["line1"]
    assert (await olga.post(ticket_path(number, "claim"))).status == 303
    response = await olga.post(ticket_path(number, "transfer"), {"line": "3", "comment": comment})
    assert response.status == 303, response.text


async def test_line3_queue_goes_by_line3s_24_hours_and_keeps_the_pupils_deadline_beside(console: Console) -> None:
    union = await console.ticket({**CHAT_TICKET, "channel": "union_email", "conversation_id": None})  # 30 days
    chat = await console.ticket()  # 3 working days: the pupil's deadline comes first
    await _to_line3(console, union)
    handed = console.api.clock()
    await console.advance(timedelta(hours=2))
    await _to_line3(console, chat)
    denis = console["line3"]
    page = await denis.get("/console/queue?tab=line3")
    assert page.text.index(union) < page.text.index(chat)  # handed over first, due first on line 3
    assert "Срок линии 3 (24 ч, п. 5.5)" in page.text
    due = (handed + timedelta(hours=24)).astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M")
    row = page.text.split(f'data-number="{union}"', 1)[1].split("</tr>", 1)[0]
    assert f">{due}</span>" in row and "осталось 22 ч" in row and "срок заявителю:" in row
    ticket = await denis.get(ticket_path(union))
    assert f"срок линии 3: {due} МСК — 24 часа с передачи (п. 5.5)" in ticket.text
    assert "срок ответа заявителю:" in ticket.text
    await console.advance(timedelta(hours=19))  # 3 hours left for the first, 5 for the second
    page = await denis.get("/console/queue?tab=line3&deadline=approaching")
    assert union in page.text and chat in page.text and 'class="deadline warn"' in page.text
    await console.advance(timedelta(hours=4))
    page = await denis.get("/console/queue?tab=line3&deadline=breached")
    assert union in page.text and chat not in page.text  # the pupil's deadline is days away; line 3's has passed
    line1 = await console["line1"].get("/console/queue?tab=waiting")
    assert "Срок линии 3" not in line1.text  # line 1 keeps answering to the pupil's deadline


async def test_the_handover_comment_is_the_first_thing_the_next_line_reads(console: Console) -> None:
    long_chat = [{"sender": "user", "text": f"сообщение {i}", "timestamp": float(i)} for i in range(30)]
    number = await console.ticket({**CHAT_TICKET, "transcript": long_chat})
    await _to_line3(console, number, comment="Белый экран в Chrome 120, кэш чистили — не помогло")
    page = await console["line3"].get(ticket_path(number))
    note = page.text.index('class="alert handover"')
    assert note < page.text.index('id="h-requester"') < page.text.index('id="h-history"')
    block = page.text[note:].split("</section>", 1)[0]
    assert "Передано: техническая поддержка платформы с комментарием:" in block
    assert "Белый экран в Chrome 120, кэш чистили — не помогло" in block and "Ольга Первая" in block
    denis = console["line3"]
    assert (await denis.post(ticket_path(number, "claim"))).status == 303
    assert (await denis.post(ticket_path(number, "return"), {"comment": "Исправлено в релизе 2.4"})).status == 303
    page = await console["line1"].get(ticket_path(number))
    block = page.text.split('class="alert handover"', 1)[1].split("</section>", 1)[0]
    assert "Возвращено на первую линию (техническая поддержка платформы) с ответом:" in block
    assert "Исправлено в релизе 2.4" in block and "Денис Разработчик" in block
    response = await console["line1"].post(ticket_path(number, "reply"), {"text": "Исправили, обновите страницу."})
    assert response.status == 303
    page = await console["line1"].get(ticket_path(number))
    assert 'class="alert handover"' not in page.text  # answered: the note is history now


async def test_linking_a_known_issue_starts_with_nothing_chosen_and_refuses_an_empty_choice(console: Console) -> None:
    for title in ("Не открывается профпроба", "Белый экран после второго вопроса теста"):
        issue = {"title": title, "description": "Разбираемся.", "keywords": "", "status": "fixing"}
        assert (await console["line3"].post("/console/known-issues", issue)).status == 303
    number = await console.ticket()
    olga = console["line1"]
    page = await olga.get(ticket_path(number))
    picker = page.text.split('id="issue-id"', 1)[1].split("</select>", 1)[0]
    options = re.findall(r"<option([^>]*)>([^<]*)</option>", picker)
    assert options[0] == (' value="" selected', "— выберите проблему —")
    assert all("selected" not in attrs for attrs, _ in options[1:]), options
    response = await olga.post(ticket_path(number, "link"), {"issue_id": ""})
    assert response.status == 409
    assert "Выберите в списке «Связать с известной проблемой»" in response.text
    page = await olga.get(ticket_path(number))
    assert "Связано с известной проблемой" not in page.text
