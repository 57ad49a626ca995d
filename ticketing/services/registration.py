"""Registration cards of the Union's general mailbox (§4.1.2–4.1.4) and their export for the СЭД.

A letter to info@… is registered at the moment its ticket is: that moment is the registration
date, the 30-day deadline counts from it (``domain.sla``), and the incoming number is the next
one of the year, taken inside the same transaction so that numbers have no gaps and no twins.
What §4.1.1 asks for and the letter lacks is written on the card and in the ticket's history,
so line 1 sees it before writing the answer.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ticketing.domain.mail.cards import RegistrationCard, incoming_number, missing_labels_ru, summary_of
from ticketing.domain.mail.requester import PersonName
from ticketing.domain.sla import MOSCOW
from ticketing.domain.tickets import EventType, Ticket, TicketEvent
from ticketing.services.unit_of_work import AbstractUnitOfWork

MAX_EXPORT = 50_000


async def register(
    uow: AbstractUnitOfWork,
    ticket: Ticket,
    *,
    person: PersonName | None,
    display_name: str,
    email: str | None,
    text: str,
    missing: tuple[str, ...],
    incoming_format: str,
    actor: str,
) -> RegistrationCard:
    """Register the ticket's letter (once: a second call returns the first card) and note it in the history."""
    assert ticket.number is not None
    existing = await uow.registration.of_ticket(ticket.number)
    if existing is not None:
        return existing
    registered_at = ticket.created_at
    day = registered_at.astimezone(MOSCOW).date()
    seq = await uow.registration.next_seq(day.year)
    card = await uow.registration.add(
        RegistrationCard(
            ticket_number=ticket.number,
            incoming_number=incoming_number(incoming_format, seq, day.year),
            year=day.year,
            seq=seq,
            registered_at=registered_at,
            registration_date=day,
            correspondent=(person.full if person and not person.empty else display_name or email or "")[:300],
            surname=person.surname if person else None,
            name=person.name if person else None,
            patronymic=person.patronymic if person else None,
            email=email,
            subject=ticket.subject,
            summary=summary_of(text),
            due_at=ticket.due_at,
            missing=missing,
        )
    )
    due = ticket.due_at.astimezone(MOSCOW).strftime("%d.%m.%Y")
    comment = (
        f"Зарегистрировано в СЭД: вх. № {card.incoming_number} от {day:%d.%m.%Y}, срок ответа — {due} (п. 4.1.2–4.1.4)."
    )
    ticket.events.append(
        TicketEvent(
            type=EventType.REGISTERED,
            at=registered_at,
            actor=actor,
            data={"incoming_number": card.incoming_number, "registration_date": day.isoformat(), "comment": comment},
        )
    )
    if missing:
        labels = ", ".join(missing_labels_ru(missing))
        ticket.events.append(
            TicketEvent(
                type=EventType.REGISTRATION_INCOMPLETE,
                at=registered_at,
                actor=actor,
                data={
                    "missing": list(missing),
                    "comment": f"Не хватает сведений по п. 4.1.1: {labels}. Проверьте письмо перед ответом.",
                },
            )
        )
    ticket.updated_at = max(ticket.updated_at, registered_at)
    return card


def moscow_day_bounds(since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    """``[since 00:00, until+1 00:00)`` in Moscow time: both days inclusive, as people mean a period."""
    start = datetime.combine(since, time.min, MOSCOW) if since else None
    end = datetime.combine(until + timedelta(days=1), time.min, MOSCOW) if until else None
    return start, end


async def cards_between(uow: AbstractUnitOfWork, since: date | None, until: date | None) -> list[RegistrationCard]:
    """The cards registered on the Moscow days from ``since`` to ``until`` inclusive."""
    start, end = moscow_day_bounds(since, until)
    async with uow:
        return await uow.registration.between(start, end, limit=MAX_EXPORT)
