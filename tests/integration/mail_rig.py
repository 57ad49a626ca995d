"""A mail worker wired to the test Dovecot and SMTP capture, on the parametrised database.

The project mailbox is the account's INBOX, the Union's general mailbox its folder «Союз»;
processed letters go to «Обработанные» (Russian names: modified UTF-7 on the wire).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from sqlalchemy import delete

from tests.integration.mail_servers import PASSWORD, SMTP_PASSWORD, SMTP_USER, Dovecot, SmtpCapture
from ticketing.adapters.orm import incoming_sequences
from ticketing.bootstrap import Container, PureParts, build_container, build_mail
from ticketing.config import MailboxSettings, MailServer, MailSettings, Settings, SmtpSettings
from ticketing.domain.access import AccessScope, ApiRole
from ticketing.domain.deliveries import Delivery
from ticketing.domain.lifecycle import Actor
from ticketing.domain.tickets import Ticket
from ticketing.entrypoints.mail_worker import MailWorker
from ticketing.services import replies
from ticketing.services.mail_ports import StoredMail
from ticketing.services.unit_of_work import TicketFilter

PROJECT = "bilet@worldskills.ru"
UNION = "info@worldskills.ru"
UNION_FOLDER = "Союз"
PROCESSED = "Обработанные"
OPERATOR = Actor("Ольга (линия 1)", ApiRole.LINE1)


class MovableClock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


def letter(
    text: str = "Здравствуйте! Не могу войти в личный кабинет.\n\nС уважением,\nПетрова Анна",
    *,
    sender: str = "Анна Петрова <anna@example.ru>",
    to: str = PROJECT,
    subject: str = "Вход в кабинет",
    **headers: str,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime.now(UTC))
    msg["Message-ID"] = make_msgid(domain="example.ru")
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(text)
    return msg


def mail_settings(dovecot: Dovecot, user: str, smtp: SmtpCapture | None, **overrides: object) -> MailSettings:
    server = MailServer(host="127.0.0.1", port=dovecot.port, security="none", user=user, password=PASSWORD)
    settings = MailSettings(
        mailboxes=(
            MailboxSettings("project", "project_email", PROJECT, server, "INBOX"),
            MailboxSettings("union", "union_email", UNION, server, UNION_FOLDER),
        ),
        smtp=SmtpSettings(
            server=MailServer("127.0.0.1", smtp.port, "none", SMTP_USER, SMTP_PASSWORD, timeout=5),
            from_address=PROJECT,
            union_from_address=UNION,
        )
        if smtp is not None
        else None,
        processed_folder=PROCESSED,
        personal_addresses=("kozhevnikova@worldskills.ru",),
        poll_seconds=5,
        outbox_seconds=0.2,
    )
    return MailSettings(**{**settings.__dict__, **overrides})


@dataclass
class MailRig:
    dovecot: Dovecot
    smtp: SmtpCapture
    user: str
    container: Container
    worker: MailWorker
    clock: MovableClock
    mail: MailSettings

    def deliver(self, msg: EmailMessage | bytes, folder: str = "INBOX") -> None:
        self.dovecot.append(self.user, msg if isinstance(msg, bytes) else msg.as_bytes(), folder)

    def reconfigure(self, **overrides: object) -> None:
        """A new worker on other mail settings (limits, folders…), same mailbox and database."""
        self.mail = MailSettings(**{**self.mail.__dict__, **overrides})
        self.worker = MailWorker(self.container, build_mail(self.mail), self.mail)

    async def once(self) -> None:
        await self.worker.once()

    async def tickets(self) -> list[Ticket]:
        async with self.container.uow() as uow:
            page, _ = await uow.tickets.list(TicketFilter(), limit=500, offset=0)
            found = [await uow.tickets.get_by_number(t.number or "") for t in page]
        return sorted((t for t in found if t is not None), key=lambda t: t.id or 0)

    async def ticket(self, number: str) -> Ticket:
        async with self.container.uow() as uow:
            ticket = await uow.tickets.get_by_number(number)
        assert ticket is not None
        return ticket

    async def letters(self, number: str) -> list[StoredMail]:
        async with self.container.uow() as uow:
            return await uow.mail.thread(number)

    async def answer(self, number: str, text: str) -> Delivery:
        """What the console does when line 1 answers (``replies.reply``)."""
        scope = AccessScope(role=ApiRole.LINE1)
        _, delivery = await replies.reply(
            self.container.uow(), number, scope, OPERATOR, text=text, question_ids=None, now=self.clock()
        )
        return delivery


@pytest.fixture
async def rig(
    database_url: str, dovecot: Dovecot, smtp_capture: SmtpCapture, parts: PureParts
) -> AsyncIterator[MailRig]:
    user = dovecot.account()
    mail = mail_settings(dovecot, user, smtp_capture)
    clock = MovableClock()
    container = build_container(Settings(database_url=database_url, mail=mail), clock=clock, parts=parts)
    try:
        yield MailRig(
            dovecot, smtp_capture, user, container, MailWorker(container, build_mail(mail), mail), clock, mail
        )
    finally:
        async with container.engine.begin() as conn:  # the counter is not a ticket table: truncation misses it
            await conn.execute(delete(incoming_sequences))
        await container.close()
