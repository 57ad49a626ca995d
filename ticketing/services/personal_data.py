"""Personal data on the retention clock and on request (152-ФЗ): anonymise, export, erase; the access log.

- ``anonymise_expired``: closed tickets older than ``PD_RETENTION_DAYS`` lose their requester's data
  (ст. 5 ч. 7), and so do their Rasa conversations, and the conversations nobody wrote in for as long;
- ``export_person``: everything kept about one e-mail, as JSON (ст. 14: the person's right to know);
- ``erase_person``: the same anonymisation at once for that e-mail's closed tickets (ст. 20, 21);
  open ones are refused and named: their answer is still owed, and the data are needed for it.

Each ticket is rewritten in its own transaction, so a failure halfway leaves the done ones done and
the rest as they were; running again continues. What the rules remove: ``domain/personal_data.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from procedure.personal_data import mask_email
from ticketing.domain import personal_data as pd
from ticketing.domain.tickets import Ticket
from ticketing.services.personal_data_ports import (
    PD_ANONYMISE,
    PD_ERASE,
    PD_EXPORT,
    AccessEntry,
    ConversationStore,
)
from ticketing.services.unit_of_work import AbstractUnitOfWork

UowFactory = Callable[[], AbstractUnitOfWork]
BATCH = 200


@dataclass(frozen=True)
class Accessor:
    """Who asks: a staff member or a token's name, its role, the address the request came from."""

    actor: str
    role: str
    address: str | None = None

    def entry(self, now: datetime, action: str, subject: str, tickets: list[str] | tuple[str, ...]) -> AccessEntry:
        return AccessEntry(
            at=now,
            actor=self.actor,
            role=self.role,
            address=self.address,
            action=action,
            subject=subject,
            tickets=tuple(tickets),
        )


@dataclass
class AnonymiseReport:
    tickets: list[str] = field(default_factory=list)
    conversations: int = 0  # Rasa conversations erased (of the tickets and idle ones)
    dry_run: bool = False


@dataclass
class ErasureReport:
    erased: list[str] = field(default_factory=list)
    still_open: list[str] = field(default_factory=list)
    conversations: int = 0


def open_refusal(numbers: list[str]) -> str:
    """What the operator and the person are told about the tickets that still wait for an answer."""
    return (
        f"Не обезличены открытые обращения: {', '.join(numbers)} — ответ на них ещё не дан, и данные нужны для "
        "ответа (152-ФЗ, ст. 21 ч. 3). Закройте их или дождитесь ответа и повторите удаление."
    )


async def record_access(uow_factory: UowFactory, entry: AccessEntry) -> None:
    """One line of the access log, in a transaction of its own."""
    async with uow_factory() as uow:
        await uow.personal_data.record_access(entry)
        await uow.commit()


async def _forget_unlinked(uow_factory: UowFactory, conversations: ConversationStore, ids: set[str]) -> int:
    """Erase these Rasa conversations, but for those a ticket still kept refers to (an open one, say)."""
    if not ids:
        return 0
    async with uow_factory() as uow:
        linked = await uow.personal_data.linked_conversations(ids)
    return await conversations.forget(ids - linked)


async def _anonymise_one(
    uow_factory: UowFactory, number: str, *, now: datetime, reason: str, actor: str
) -> pd.Anonymised | None:
    """Anonymise one closed ticket; None when it was reopened meanwhile (it is then left as it is)."""
    async with uow_factory() as uow:
        ticket = await uow.tickets.get_by_number(number)
        if ticket is None or not pd.is_closed(ticket):
            return None
        done = pd.anonymise(ticket, now=now, reason=reason, actor=actor)
        await uow.personal_data.rewrite(done.ticket, now=now)
        await uow.commit()
    return done


async def anonymise_expired(
    uow_factory: UowFactory,
    conversations: ConversationStore,
    *,
    now: datetime,
    retention: timedelta,
    accessor: Accessor,
    dry_run: bool = False,
) -> AnonymiseReport:
    """Every closed ticket closed more than ``retention`` ago, and every conversation idle as long."""
    cutoff = now - retention
    report = AnonymiseReport(dry_run=dry_run)
    if dry_run:
        async with uow_factory() as uow:
            report.tickets = await uow.personal_data.expired(cutoff, limit=1_000_000)
            idle = await conversations.idle(cutoff)
            report.conversations = len(set(idle) - await uow.personal_data.linked_conversations(idle))
        return report
    while True:
        async with uow_factory() as uow:
            batch = await uow.personal_data.expired(cutoff, limit=BATCH)
        if not batch:
            break
        forget: list[str] = []
        for number in batch:
            done = await _anonymise_one(uow_factory, number, now=now, reason=pd.RETENTION, actor=accessor.actor)
            if done is not None:
                report.tickets.append(number)
                if done.conversation_id:
                    forget.append(done.conversation_id)
        report.conversations += await _forget_unlinked(uow_factory, conversations, set(forget))
    report.conversations += await _forget_unlinked(uow_factory, conversations, set(await conversations.idle(cutoff)))
    if report.tickets:
        await record_access(
            uow_factory, accessor.entry(now, PD_ANONYMISE, f"закрыты раньше {cutoff:%Y-%m-%d}", report.tickets)
        )
    return report


def _ticket_export(ticket: Ticket, letters: list[dict[str, Any]], card: dict[str, Any] | None) -> dict[str, Any]:
    def iso(moment: datetime | None) -> str | None:
        return moment.isoformat() if moment else None

    return {
        "number": ticket.number,
        "channel": ticket.channel.value,
        "kind": ticket.kind.value,
        "question_type": ticket.question_type.value if ticket.question_type else None,
        "region": ticket.region,
        "role": ticket.role.value if ticket.role else None,
        "login": ticket.login,
        "email": ticket.email,
        "subject": ticket.subject,
        "description": ticket.description,
        "status": ticket.status.value,
        "line": ticket.line,
        "created_at": iso(ticket.created_at),
        "due_at": iso(ticket.due_at),
        "resolved_at": iso(ticket.resolved_at),
        "conversation_id": ticket.conversation_id,
        "transcript": [line.to_dict() for line in ticket.transcript],
        "questions": [q.to_dict() for q in ticket.questions],
        "history": [{**e.to_dict(), "at": e.at.isoformat()} for e in ticket.events],
        "letters": letters,
        "registration_card": card,
    }


async def export_person(uow_factory: UowFactory, email: str, *, now: datetime, accessor: Accessor) -> dict[str, Any]:
    """Every ticket of this e-mail with its messages, history, letters (attachment lists) and card."""
    email = email.strip().lower()
    found: list[dict[str, Any]] = []
    async with uow_factory() as uow:
        for number in await uow.personal_data.of_email(email):
            ticket = await uow.tickets.get_by_number(number)
            if ticket is not None:
                letters = await uow.personal_data.letters(number)
                found.append(_ticket_export(ticket, letters, await uow.personal_data.card(number)))
        numbers = [str(t["number"]) for t in found]
        await uow.personal_data.record_access(accessor.entry(now, PD_EXPORT, mask_email(email), numbers))
        await uow.commit()
    return {"email": email, "exported_at": now.isoformat(), "tickets": found}


async def erase_person(
    uow_factory: UowFactory, conversations: ConversationStore, email: str, *, now: datetime, accessor: Accessor
) -> ErasureReport:
    """Anonymise this e-mail's closed tickets now; the open ones are left and named in the report."""
    email = email.strip().lower()
    report = ErasureReport()
    async with uow_factory() as uow:
        numbers = await uow.personal_data.of_email(email)
        for number in numbers:
            ticket = await uow.tickets.get_by_number(number)
            if ticket is not None and not pd.is_closed(ticket):
                report.still_open.append(number)
    forget: list[str] = []
    for number in numbers:
        if number in report.still_open:
            continue
        done = await _anonymise_one(uow_factory, number, now=now, reason=pd.REQUEST, actor=accessor.actor)
        if done is None:
            report.still_open.append(number)  # reopened by a new message meanwhile
            continue
        report.erased.append(number)
        if done.conversation_id:
            forget.append(done.conversation_id)
    report.conversations = await _forget_unlinked(uow_factory, conversations, set(forget))
    await record_access(uow_factory, accessor.entry(now, PD_ERASE, mask_email(email), report.erased))
    return report
