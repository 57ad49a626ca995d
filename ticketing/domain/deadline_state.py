"""Where a ticket stands against its answer deadline, for queues, flags and reports (§5.3).

Tickets left without an answer are never deadline breaches (§4.7–4.9, §6.1): their state
is ``not_applicable``, and reports count them apart.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from ticketing.domain import actors
from ticketing.domain.calendar import WorkCalendar
from ticketing.domain.sla import LINE3_WARNING, approaching, breached
from ticketing.domain.tickets import EventType, Status, Ticket, TicketEvent


class DeadlineState(StrEnum):
    ON_TRACK = "on_track"
    APPROACHING = "approaching"  # less than one working day left
    BREACHED = "breached"
    MET = "met"  # answered in time
    MISSED = "missed"  # answered, but late
    NOT_APPLICABLE = "not_applicable"  # left without an answer


DEADLINE_LABELS_RU = {
    DeadlineState.ON_TRACK: "в срок",
    DeadlineState.APPROACHING: "срок истекает",
    DeadlineState.BREACHED: "срок нарушен",
    DeadlineState.MET: "отвечено в срок",
    DeadlineState.MISSED: "отвечено с нарушением срока",
    DeadlineState.NOT_APPLICABLE: "без ответа по основаниям Порядка",
}


def deadline_state(ticket: Ticket, now: datetime, calendar: WorkCalendar) -> DeadlineState:
    if ticket.status is Status.LEFT_WITHOUT_ANSWER:
        return DeadlineState.NOT_APPLICABLE
    if ticket.status in (Status.ANSWERED, Status.CLOSED):
        answered = ticket.resolved_at or ticket.updated_at
        return DeadlineState.MISSED if breached(ticket.due_at, answered) else DeadlineState.MET
    if breached(ticket.due_at, now):
        return DeadlineState.BREACHED
    if approaching(ticket.due_at, now, calendar):
        return DeadlineState.APPROACHING
    return DeadlineState.ON_TRACK


def line3_target(status: str, line3_due_at: datetime | None) -> datetime | None:
    """Line 3's own deadline (24 hours from the handover, §5.5) while the ticket waits on line 3, else ``None``.

    Once line 3 has returned the ticket its part is done: the requester's deadline is line 1's again.
    """
    return line3_due_at if status == Status.WAITING_LINE3.value else None


def line3_state(status: str, line3_due_at: datetime | None, now: datetime) -> DeadlineState:
    """Where line 3 stands against its own 24 hours, not the requester's deadline.

    «срок истекает» in the last :data:`~ticketing.domain.sla.LINE3_WARNING`; ``not_applicable``
    when the ticket is not waiting on line 3 (:func:`line3_target`).
    """
    target = line3_target(status, line3_due_at)
    if target is None:
        return DeadlineState.NOT_APPLICABLE
    if breached(target, now):
        return DeadlineState.BREACHED
    if target - now < LINE3_WARNING:
        return DeadlineState.APPROACHING
    return DeadlineState.ON_TRACK


def flag_deadline(ticket: Ticket, now: datetime, calendar: WorkCalendar) -> TicketEvent | None:
    """Flag, once each, a deadline about to pass and a passed one (§5.3: line 1 controls the speed).

    Returns:
        the event appended to the history, or ``None`` when nothing new is to be said.
    """
    state = deadline_state(ticket, now, calendar)
    event: TicketEvent | None = None
    if state is DeadlineState.BREACHED and ticket.breached_notified_at is None:
        ticket.breached_notified_at = now
        ticket.approaching_notified_at = ticket.approaching_notified_at or now
        event = TicketEvent(
            type=EventType.DEADLINE_BREACHED,
            at=now,
            actor=actors.SYSTEM,
            line=ticket.line,
            data={"due_at": ticket.due_at.isoformat()},
        )
    elif state is DeadlineState.APPROACHING and ticket.approaching_notified_at is None:
        ticket.approaching_notified_at = now
        event = TicketEvent(
            type=EventType.DEADLINE_APPROACHING,
            at=now,
            actor=actors.SYSTEM,
            line=ticket.line,
            data={"due_at": ticket.due_at.isoformat()},
        )
    if event is not None:
        ticket.events.append(event)
    return event
