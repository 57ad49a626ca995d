# ruff: noqa: F811 - pytest fixtures are imported by name and then requested as parameters
"""Personal data under 152-ФЗ: anonymisation after the retention period, export and erasure on request,
the Rasa conversations that hold the same person's data (services/personal_data.py).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from tests.integration.conftest import Api
from tests.integration.mail_rig import MailRig, letter, rig  # noqa: F401
from tests.integration.mail_servers import dovecot, smtp_capture  # noqa: F401
from tests.integration.test_api_tickets import CHAT_TICKET, create
from tests.integration.test_api_transitions import post
from ticketing.adapters.orm import mail_messages, pd_access, reply_deliveries, ticket_events, tickets
from ticketing.adapters.rasa_tracker import SqlConversationStore
from ticketing.domain.personal_data import REDACTED
from ticketing.services import personal_data as pd

ADMIN = pd.Accessor(actor="cli:dpo", role="admin")
RETENTION = timedelta(days=365)
PERSONAL = ("ivan.petrov@example.ru", "ivanov2011", "белый экран", "Здравствуйте, не загружается тест", "Обновите")


def rasa_tracker(path: Path, conversations: dict[str, float]) -> str:
    """Rasa's SQLTrackerStore table ``events`` (rasa/core/tracker_store.py), a slot and a message each."""
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, type_name VARCHAR(255)"
            " NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"
        )
        for sender, at in conversations.items():
            for event in ({"event": "slot", "name": "email", "value": "ivan.petrov@example.ru"},
                          {"event": "user", "text": "Здравствуйте, не загружается тест"}):  # fmt: skip
                db.execute(
                    "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, ?, ?, ?)",
                    (sender, event["event"], at, json.dumps(event, ensure_ascii=False)),
                )
    return f"sqlite+aiosqlite:///{path}"


def senders(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT DISTINCT sender_id FROM events")}


async def answered_ticket(api: Api, **fields: Any) -> str:
    response = await create(api, {**CHAT_TICKET, **fields})
    assert response.status == 201, response.json
    number = str(response.json["number"])
    response = await post(api, number, "answer", "line1", {"text": "Обновите страницу теста, Иван."})
    assert response.status == 200, response.json
    return number


async def row_of(api: Api, number: str) -> Any:
    async with api.app.ctx.container.engine.connect() as conn:
        return (await conn.execute(select(tickets).where(tickets.c.number == number))).one()


async def test_a_ticket_closed_longer_than_the_period_keeps_its_figures_and_loses_the_person(
    api: Api, tmp_path: Path
) -> None:
    start = api.clock.now
    old = await answered_ticket(api)
    recent = await answered_ticket(api, conversation_id="chat-43")
    async with api.app.ctx.container.engine.begin() as conn:  # answered 300 days after the old one
        await conn.execute(
            update(tickets).where(tickets.c.number == recent).values(resolved_at=start + timedelta(days=300))
        )
    still_open = str((await create(api, {**CHAT_TICKET, "conversation_id": "chat-44"})).json["number"])
    store = SqlConversationStore(
        rasa_tracker(
            tmp_path / "rasa.sqlite3",
            {
                "chat-42": start.timestamp(),
                "chat-43": (start + timedelta(days=300)).timestamp(),
                "chat-44": start.timestamp(),
                "idle-visitor": start.timestamp(),
            },
        )
    )
    before = await row_of(api, old)
    now = start + RETENTION + timedelta(days=1)
    uow = api.app.ctx.container.uow
    try:
        preview = await pd.anonymise_expired(uow, store, now=now, retention=RETENTION, accessor=ADMIN, dry_run=True)
        assert preview.tickets == [old] and preview.conversations == 1  # «idle-visitor»; chat-44's ticket is open
        assert (await row_of(api, old)).email == "ivan.petrov@example.ru"  # a dry run changes nothing
        report = await pd.anonymise_expired(uow, store, now=now, retention=RETENTION, accessor=ADMIN)
    finally:
        await store.close()
    assert report.tickets == [old] and report.conversations == 2 * 2  # chat-42 and the idle one, 2 events each
    assert senders(tmp_path / "rasa.sqlite3") == {"chat-43", "chat-44"}

    row = await row_of(api, old)
    assert (row.email, row.login, row.conversation_id, row.idempotency_key) == (None, None, None, None)
    assert row.subject == row.description == REDACTED and row.anonymised_at == now
    assert {line["text"] for line in row.transcript} == {REDACTED} and len(row.transcript) == 2
    # What the statistics of §5.3 count stays as it was.
    for kept in ("number", "channel", "kind", "question_type", "region", "role", "status", "line", "created_at",
                 "due_at", "first_answered_at", "resolved_at"):  # fmt: skip
        assert getattr(row, kept) == getattr(before, kept), kept
    async with api.app.ctx.container.engine.connect() as conn:
        events = (await conn.execute(select(ticket_events).where(ticket_events.c.ticket_id == row.id))).all()
        deliveries = (await conn.execute(select(reply_deliveries).where(reply_deliveries.c.ticket_number == old))).all()
        log = (await conn.execute(select(pd_access))).all()
    assert [e.type for e in events][-1] == "anonymised"
    stored = json.dumps([e.data for e in events] + [list(d) for d in deliveries], ensure_ascii=False, default=str)
    for personal in (*PERSONAL, "Иван"):
        assert personal not in stored, personal
    assert {(d.channel, d.email, d.text) for d in deliveries} == {("chat", None, REDACTED), ("email", None, REDACTED)}
    assert [(e.action, e.actor, e.tickets) for e in log] == [("pd_anonymise", "cli:dpo", [old])]

    for kept_whole in (recent, still_open):
        assert (await row_of(api, kept_whole)).email == "ivan.petrov@example.ru"
    again = await pd.anonymise_expired(uow, SqlConversationStore(f"sqlite+aiosqlite:///{tmp_path}/none.sqlite3"),
                                       now=now, retention=RETENTION, accessor=ADMIN)  # fmt: skip
    assert again.tickets == [] and not (tmp_path / "none.sqlite3").exists()  # no tracker: none created


async def test_one_persons_data_are_exported_then_erased_but_an_open_ticket_is_refused(
    api: Api, tmp_path: Path
) -> None:
    closed = await answered_ticket(api)
    still_open = str((await create(api, {**CHAT_TICKET, "conversation_id": "chat-44"})).json["number"])
    other = str(
        (
            await create(api, {**CHAT_TICKET, "email": "someone@else.ru", "login": "x", "conversation_id": "chat-45"})
        ).json["number"]
    )
    uow = api.app.ctx.container.uow
    exported = await pd.export_person(uow, "Ivan.Petrov@example.ru", now=api.clock.now, accessor=ADMIN)
    assert [t["number"] for t in exported["tickets"]] == [closed, still_open]
    first = exported["tickets"][0]
    assert first["email"] == "ivan.petrov@example.ru" and first["login"] == "ivanov2011"
    assert first["transcript"][0]["text"] == "Здравствуйте, не загружается тест"
    assert "Обновите страницу теста, Иван." in json.dumps(first["history"], ensure_ascii=False)
    assert first["letters"] == [] and first["registration_card"] is None

    store = SqlConversationStore(rasa_tracker(tmp_path / "r.sqlite3", {"chat-42": 1.0, "chat-44": 1.0}))
    try:
        report = await pd.erase_person(uow, store, "ivan.petrov@example.ru", now=api.clock.now, accessor=ADMIN)
    finally:
        await store.close()
    assert report.erased == [closed] and report.still_open == [still_open]
    assert senders(tmp_path / "r.sqlite3") == {"chat-44"}
    assert (await row_of(api, closed)).email is None
    assert (await row_of(api, still_open)).email == "ivan.petrov@example.ru"
    assert (await row_of(api, other)).email == "someone@else.ru"
    message = pd.open_refusal(report.still_open)
    assert still_open in message and "ответ на них ещё не дан" in message
    async with api.app.ctx.container.engine.connect() as conn:
        log = (await conn.execute(select(pd_access).order_by(pd_access.c.id))).all()
    assert [(e.action, e.subject, e.tickets) for e in log] == [
        ("pd_export", "iv***@example.ru", [closed, still_open]),
        ("pd_erase", "iv***@example.ru", [closed]),
    ]


@pytest.mark.parametrize("command", ["anonymise", "export", "erase"])
def test_the_command_speaks_russian_and_checks_the_address(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    from ticketing.entrypoints.cli import main

    with pytest.raises(SystemExit):
        main(["pd", command, "--help"])
    assert "использование: python -m ticketing pd" in capsys.readouterr().out
    if command != "anonymise":
        assert main(["pd", command, "--email", "javascript:alert(1)//@example.ru"]) == 2
        assert "не похоже на адрес" in capsys.readouterr().err


@pytest.mark.mail
async def test_an_erased_letter_keeps_neither_its_text_nor_its_attachments(rig: MailRig, tmp_path: Path) -> None:
    rig.deliver(letter(sender="Мария Иванова <maria.ivanova@example.ru>"))
    await rig.once()
    (ticket,) = await rig.tickets()
    await rig.answer(ticket.number or "", "Здравствуйте, Мария! Сбросьте пароль по ссылке «Забыли пароль».")
    accessor = pd.Accessor(actor="cli:dpo", role="admin")
    exported = await pd.export_person(rig.container.uow, "maria.ivanova@example.ru", now=rig.clock(), accessor=accessor)
    (letter_out,) = [m for m in exported["tickets"][0]["letters"] if m["direction"] == "in"]
    assert letter_out["sender"] == "maria.ivanova@example.ru" and letter_out["subject"] == "Вход в кабинет"
    store = SqlConversationStore(f"sqlite+aiosqlite:///{tmp_path}/absent.sqlite3")
    report = await pd.erase_person(
        rig.container.uow, store, "maria.ivanova@example.ru", now=rig.clock(), accessor=accessor
    )
    assert report.erased == [ticket.number]
    async with rig.container.engine.connect() as conn:
        letters = (
            await conn.execute(select(mail_messages).where(mail_messages.c.ticket_number == ticket.number))
        ).all()
    assert letters and all(m.raw is None and m.sender is None and m.subject == "" for m in letters)
    assert "maria" not in json.dumps([list(m) for m in letters], default=str).lower()
