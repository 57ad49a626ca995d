# ruff: noqa: F811 - pytest fixtures are imported by name and then requested as parameters
"""Control of speed and quality (§5.3) and the admin pages: users, operators, calendar days."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook

from tests.integration.console_helpers import (  # noqa: F401
    PASSWORD,
    Console,
    cheap_password_hashes,
    console,
    sign_in,
    ticket_path,
)
from tests.integration.test_api_tickets import CHAT_TICKET


async def test_dashboard_counts_medians_shares_and_reasons(console: Console) -> None:
    olga = console["line1"]
    answered = await console.ticket()
    await olga.post(ticket_path(answered, "claim"))
    await console.advance(timedelta(hours=2))
    await olga.post(ticket_path(answered, "reply"), {"text": "Ответ"})
    left = await console.ticket({**CHAT_TICKET, "login": "other", "email": "o@example.ru"})
    await olga.post(ticket_path(left, "leave"), {"reason": "foreign_language"})
    escalated = await console.ticket({**CHAT_TICKET, "region": "Пермский край", "login": "p", "email": "p@example.ru"})
    await olga.post(ticket_path(escalated, "claim"))
    await olga.post(ticket_path(escalated, "transfer"), {"line": "3", "comment": "Ошибка"})
    await console["line3"].post(ticket_path(escalated, "return"), {"comment": "Исправлено"})
    page = await olga.get("/console/dashboard")
    assert page.status == 200
    for text in (
        "Контроль скорости и качества (п. 5.3)",
        "медиана до первого ответа",
        "2 ч 0 мин",
        "100 %",
        "на иностранном языке (п. 4.7)",
        "Без ответа — по основаниям (не нарушения срока)",
        "<svg",
        "Обращения по дням",
        "техническая поддержка платформы",
        "Республика Татарстан",
    ):
        assert text in page.text, text
    await console.advance(timedelta(days=10))
    page = await olga.get("/console/dashboard?since=2026-11-01&until=2026-12-31")
    assert escalated in page.text and "просрочено" in page.text  # the at-risk list
    response = await olga.get("/console/dashboard/export.xlsx?since=2026-11-01&until=2026-12-31")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Сводка", "Под угрозой срыва"]
    summary = {(r[0], r[1]): r[2] for r in book["Сводка"].iter_rows(values_only=True)}
    assert summary[("Всего", "обращений")] == 3
    assert summary[("Без ответа по причинам", "на иностранном языке (п. 4.7)")] == 1
    response = await olga.get("/console/dashboard/export.csv?since=2026-11-01&until=2026-12-31")
    assert "Всего;обращений;3" in response.content.decode("utf-8-sig")


async def test_admin_creates_edits_and_disables_users(console: Console) -> None:
    admin = console["admin"]
    assert (await console["line1"].get("/console/admin/users")).status == 403
    page = await admin.get("/console/admin/users")
    assert "Новый сотрудник" in page.text and "Ольга Первая" in page.text
    response = await admin.post(
        "/console/admin/users",
        {
            "login": "Kazan",
            "name": "Гульнара",
            "role": "line2",
            "regions": "Республика Татарстан",
            "password": PASSWORD,
        },
    )
    assert response.status == 303
    response = await admin.post(
        "/console/admin/users", {"login": "kazan", "name": "Дубль", "role": "line1", "password": PASSWORD}
    )
    assert response.status == 422 and "уже занят" in response.text
    response = await admin.post(
        "/console/admin/users", {"login": "n", "name": "Без региона", "role": "line2", "password": PASSWORD}
    )
    assert response.status == 422 and "хотя бы один регион" in response.text
    assert (await sign_in(console.anonymous(), "kazan")).status == 303
    async with console.api.app.ctx.container.uow() as uow:
        me = await uow.staff.by_login("admin")
    assert me is not None
    response = await admin.post(f"/console/admin/users/{me.id}", {"name": "Я", "role": "admin", "disabled": "1"})
    assert response.status == 422 and "Нельзя отключить себя" in response.text


async def test_regions_without_real_contacts_are_listed_and_shown_as_such(console: Console) -> None:
    """The five shipped samples are not contacts: the ticket page says so, the admin page counts them as missing."""
    number = await console.ticket()  # Республика Татарстан, which ships with a sample row only
    page = await console["line1"].get(ticket_path(number))
    assert "Контакты регионального оператора не заполнены" in page.text
    assert not any(sample in page.text for sample in ("bvb-tatarstan@example.ru", "000-00-16", "(пример)"))
    page = await console["admin"].get("/console/admin/operators")
    assert "Контакты не заполнены: 89 из 89 регионов" in page.text
    missing = page.text.split('id="operators-missing"', 1)[1].split("</section>", 1)[0]
    assert "Республика Татарстан" in missing and "Чукотский автономный округ" in missing
    real = {"organisation": "ГАУ «Центр»", "contact_person": "Иванова И. И.", "email": "rop@c.ru", "phone": "+7 843"}
    saved = await console["admin"].post("/console/admin/operators", {"region": "Республика Татарстан", **real})
    assert saved.status == 303
    page = await console["admin"].get("/console/admin/operators")
    assert "Контакты не заполнены: 88 из 89 регионов" in page.text
    assert "Республика Татарстан" not in page.text.split('id="operators-missing"', 1)[1].split("</section>", 1)[0]
    page = await console["line1"].get(ticket_path(number))
    assert "Региональный оператор: ГАУ «Центр»" in page.text and "не заполнены" not in page.text


async def test_admin_edits_operators_and_calendar(console: Console) -> None:
    admin = console["admin"]
    response = await admin.post(
        "/console/admin/operators",
        {
            "region": "Республика Татарстан",
            "organisation": "ГАУ «Центр»",
            "contact_person": "Иванова И. И.",
            "email": "rop@example.ru",
            "phone": "+7 843 000-00-00",
        },
    )
    assert response.status == 303
    page = await admin.get("/console/admin/operators")
    assert "ГАУ «Центр»" in page.text
    response = await admin.post("/console/admin/operators", {"region": "Республика Татарстан", "email": "bad"})
    assert response.status == 422 and "Проверьте данные оператора" in response.text
    number = await console.ticket()
    page = await console["line1"].get(ticket_path(number))
    assert "Региональный оператор: ГАУ «Центр»" in page.text
    response = await admin.post("/console/admin/calendar", {"day": "2026-12-01", "working": "0", "note": "Указ № 1"})
    assert response.status == 303
    page = await admin.get("/console/admin/calendar")
    assert "01.12.2026" in page.text and "Указ № 1" in page.text
    assert console.api.app.ctx.container.calendar.is_working_day(__import__("datetime").date(2026, 12, 1)) is False
    response = await admin.post("/console/admin/calendar/delete", {"day": "2026-12-01"})
    assert response.status == 303
    assert (await console["line3"].post("/console/admin/calendar", {"day": "2026-12-02", "note": "x"})).status == 403
