# ruff: noqa: F811 - pytest fixtures are imported by name and then requested as parameters
"""Registration cards of the Union mailbox: gapless numbers under concurrency, exports for the СЭД."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete

from tests.integration.conftest import Api
from tests.integration.mail_rig import UNION, UNION_FOLDER, MailRig, letter, rig  # noqa: F401
from tests.integration.mail_servers import dovecot, smtp_capture  # noqa: F401
from ticketing.adapters.orm import incoming_sequences
from ticketing.adapters.uow import SqlAlchemyUnitOfWork, make_engine
from ticketing.domain.sla import MOSCOW

pytestmark = pytest.mark.mail


@pytest.mark.postgres
async def test_incoming_numbers_have_no_gaps_and_no_twins_under_concurrency(postgres_database: str) -> None:
    from ticketing.adapters import migrate

    await asyncio.to_thread(migrate.upgrade, postgres_database)
    engine = make_engine(postgres_database)
    year = 2031

    async def take(i: int) -> int | None:
        async with SqlAlchemyUnitOfWork(engine) as uow:
            seq = await uow.registration.next_seq(year)
            await asyncio.sleep(0.01)
            if i % 4 == 3:
                return None  # rolled back: its number must go to the next one
            await uow.commit()
            return seq

    try:
        taken = [s for s in await asyncio.gather(*(take(i) for i in range(40))) if s is not None]
        assert sorted(taken) == list(range(1, len(taken) + 1))
    finally:
        async with engine.begin() as conn:
            await conn.execute(delete(incoming_sequences).where(incoming_sequences.c.year == year))
        await engine.dispose()


async def test_cards_export_as_json_csv_and_xlsx(rig: MailRig, api: Api) -> None:
    rig.deliver(
        letter(
            "Прошу разъяснить порядок получения сертификата.\n\nС уважением,\nКузнецова Ольга",
            sender="o.kuz@example.ru",
            to=UNION,
            subject="=HYPERLINK(сертификат)",
        ),
        UNION_FOLDER,
    )
    rig.deliver(letter("Здравствуйте!\nПомогите", sender="x@example.ru", to=UNION, subject=""), UNION_FOLDER)
    await rig.once()
    first, second = await rig.tickets()
    today = first.created_at.astimezone(MOSCOW).date()
    query = {"since": today.isoformat(), "until": today.isoformat()}

    _, response = await api.client.get("/api/v1/registration-cards", params=query, headers=api.headers("line1"))
    assert response.status == 200
    body = response.json
    assert body["total"] == 2 and [c["ticket_number"] for c in body["items"]] == [first.number, second.number]
    card = body["items"][0]
    assert card["incoming_number"] == f"00001/ВХ-{today.year}" and card["correspondent"] == "Кузнецова Ольга"
    assert card["email"] == "o.kuz@example.ru" and card["missing"] == []
    assert body["items"][1]["missing_ru"] == ["фамилия", "имя", "тема", "причина обращения"]

    _, response = await api.client.get(
        "/api/v1/registration-cards", params={**query, "format": "csv"}, headers=api.headers("admin")
    )
    assert response.status == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:8] == [
        "№ вх.",
        "Дата регистрации",
        "Корреспондент",
        "E-mail",
        "Тема",
        "Краткое содержание",
        "Срок ответа",
        "Номер обращения БВБ",
    ]
    assert rows[1][0] == f"00001/ВХ-{today.year}" and rows[1][1] == today.strftime("%d.%m.%Y")
    assert rows[1][4] == "'=HYPERLINK(сертификат)"  # a formula stays text in the registrar's spreadsheet
    assert rows[1][6] == first.due_at.astimezone(MOSCOW).strftime("%d.%m.%Y") and rows[1][7] == first.number

    _, response = await api.client.get(
        "/api/v1/registration-cards", params={**query, "format": "xlsx"}, headers=api.headers("line1")
    )
    sheet = load_workbook(io.BytesIO(response.body)).active
    assert sheet is not None and sheet["A2"].value == f"00001/ВХ-{today.year}" and sheet["H3"].value == second.number

    yesterday = (today - timedelta(days=1)).isoformat()
    _, response = await api.client.get(
        "/api/v1/registration-cards", params={"until": yesterday}, headers=api.headers("line1")
    )
    assert response.json["total"] == 0
    _, response = await api.client.get("/api/v1/registration-cards", headers=api.headers("line2_tatarstan"))
    assert response.status == 403
    _, response = await api.client.get(
        "/api/v1/registration-cards", params={"since": "27.11.2026"}, headers=api.headers("line1")
    )
    assert response.status == 422 and "ГГГГ-ММ-ДД" in response.json["error"]["message"]
