"""What of a ticket is the requester's personal data, and what stays for the statistics (152-ФЗ).

A closed ticket is anonymised when its retention period is over (ст. 5 ч. 7: data are kept no longer
than the purpose requires) or when the person asks (ст. 21 ч. 1, ст. 20): the name, e-mail and login,
the free text the requester and staff wrote about them (subject, description, transcript, questions,
replies and comments), the letters with their attachments and the registration card's correspondent go.
What the control of §5.3 counts stays: the number, the dates and times, region, kind, question type,
channel, status, line, the deadlines, the reason of «без ответа», who of the staff did what and when.

Pure Python: the adapter (``adapters/personal_data.py``) writes the result and erases the letters.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from procedure.statuses import OPEN
from ticketing.domain.tickets import EventType, Question, Ticket, TicketEvent, TranscriptLine

REDACTED = "[обезличено]"
RETENTION = "retention"
REQUEST = "request"
REASONS_RU = {
    RETENTION: "истёк срок хранения персональных данных (152-ФЗ, ст. 5 ч. 7)",
    REQUEST: "по запросу субъекта персональных данных (152-ФЗ, ст. 21)",
}

# Keys of a history entry's ``data`` that carry no personal data: numbers, codes, dates, lines.
_STRUCTURAL = frozenset(
    {
        "channel", "due_at", "line", "from_line", "to_line", "questions", "previous_status", "previous_assignee",
        "issue_id", "title", "incoming_number", "registration_date", "of", "new_ticket", "attempt", "permanent",
        "delivery_id", "mailbox", "status", "verdict", "language", "reasons", "no_question", "missing",
        "instructions_tried", "basis",
    }
)  # fmt: skip


def redact_event_data(data: dict[str, Any]) -> dict[str, Any]:
    """A history entry's data without free text or addresses; its codes and numbers stay."""
    kept: dict[str, Any] = {}
    for key, value in data.items():
        if key in _STRUCTURAL or value is None or isinstance(value, bool | int | float):
            kept[key] = value
        elif isinstance(value, str):
            kept[key] = REDACTED
        else:
            kept[key] = REDACTED if value else value
    return kept


def is_closed(ticket: Ticket) -> bool:
    """Nobody owes the requester an answer any more: the ticket may be anonymised."""
    return ticket.status.value not in OPEN


@dataclass(frozen=True)
class Anonymised:
    """The ticket as it is kept from now on, and the conversation whose tracker is to be erased."""

    ticket: Ticket
    conversation_id: str | None


def anonymise(ticket: Ticket, *, now: datetime, reason: str, actor: str) -> Anonymised:
    """The ticket without its requester's personal data, with a history entry that says why.

    Raises:
        ValueError: the ticket is still open (the answer is owed, the data are needed for it).
    """
    if not is_closed(ticket):
        raise ValueError(f"обращение {ticket.number} открыто: его нельзя обезличить, пока не дан ответ")
    conversation = ticket.conversation_id
    ticket.login = None
    ticket.email = None
    ticket.subject = REDACTED
    ticket.description = REDACTED
    ticket.conversation_id = None
    ticket.idempotency_key = None  # the action server's key is made of the conversation's id
    ticket.transcript = [
        TranscriptLine(sender=line.sender, text=REDACTED, timestamp=line.timestamp) for line in ticket.transcript
    ]
    ticket.questions = [
        Question(id=q.id, text=REDACTED, answered_at=q.answered_at, answer_channel=q.answer_channel)
        for q in ticket.questions
    ]
    ticket.events = [replace(e, data=redact_event_data(e.data)) for e in ticket.events]
    ticket.events.append(
        TicketEvent(
            type=EventType.ANONYMISED,
            at=now,
            actor=actor,
            line=None,
            data={"basis": reason, "comment": REASONS_RU[reason]},
        )
    )
    return Anonymised(ticket=ticket, conversation_id=conversation)
