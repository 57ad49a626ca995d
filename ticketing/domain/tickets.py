"""Tickets: the requests the system of record keeps (§2.7, §2.10 of the procedure).

Plain Python: no I/O, no framework. The HTTP layer validates input into :class:`NewTicket`;
services turn it into a :class:`Ticket` with a deadline and a first history event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from procedure import statuses


class Channel(StrEnum):
    """Where a request came from (§4.1, §4.2)."""

    CHAT = "chat"  # the chat-bot on the site and in the personal account (§4.2.2.1)
    PROJECT_EMAIL = "project_email"  # bilet@worldskills.ru, 3 working days (§4.3)
    UNION_EMAIL = "union_email"  # info@worldskills.ru, registered in the СЭД, 30 days (§4.1.4)


class Kind(StrEnum):
    """The kind of request named in §1.1: proposal, statement, complaint, or a request for information."""

    PROPOSAL = "proposal"
    STATEMENT = "statement"
    COMPLAINT = "complaint"
    INFO_REQUEST = "info_request"


class QuestionType(StrEnum):
    """Informational or technical (§5.6.1); decides line 2 or line 3 later (§4.5, §4.6)."""

    INFORMATIONAL = "informational"
    TECHNICAL = "technical"


class RequesterRole(StrEnum):
    """The requester's role on the platform (§5.6.1, §2.4, §2.5, §5.8)."""

    PARTICIPANT = "participant"
    PARENT = "parent"
    MENTOR = "mentor"
    VENUE = "venue"
    OTHER = "other"


class Status(StrEnum):
    """Lifecycle of a ticket."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING_LINE2 = "waiting_line2"
    WAITING_LINE3 = "waiting_line3"
    ANSWERED = "answered"
    CLOSED = "closed"
    LEFT_WITHOUT_ANSWER = "left_without_answer"


# Staff's wording, shared with the bot's in procedure/statuses.py (a status missing there fails here, at import).
STATUS_LABELS_RU: dict[Status, str] = {status: statuses.LABELS[status.value].staff for status in Status}

FIRST_LINE = 1  # §4.4: every request is first considered by the regional-network department
# The longest message of a transcript: a requester's message through the API becomes one such line,
# so both are checked against this one number (a longer one was written and then failed the response).
MESSAGE_MAX_CHARS = 10_000


@dataclass(frozen=True)
class TranscriptLine:
    """One message of the chat so far, kept with the ticket so line 1 sees the context."""

    sender: str  # "user" or "bot"
    text: str
    timestamp: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"sender": self.sender, "text": self.text, "timestamp": self.timestamp}


@dataclass
class Question:
    """One question of a request; the request is answered when all of them are (§6.3)."""

    id: int
    text: str
    answered_at: datetime | None = None
    answer_channel: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "answered_at": self.answered_at.isoformat() if self.answered_at else None,
            "answer_channel": self.answer_channel,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Question:
        answered = data.get("answered_at")
        return cls(
            id=int(data["id"]),
            text=str(data["text"]),
            answered_at=datetime.fromisoformat(answered) if answered else None,
            answer_channel=data.get("answer_channel"),
        )


@dataclass(frozen=True)
class NewTicket:
    """What a channel (bot, mailbox) hands over to register a request."""

    channel: Channel
    kind: Kind
    question_type: QuestionType | None
    region: str | None
    role: RequesterRole | None
    login: str | None
    email: str | None
    subject: str
    description: str
    transcript: tuple[TranscriptLine, ...] = ()
    conversation_id: str | None = None
    instructions_tried: tuple[str, ...] = ()
    idempotency_key: str | None = None


class EventType(StrEnum):
    """What an entry of a ticket's history records (``TicketEvent.type``); the console's titles: present.py."""

    CREATED = "created"
    SCREENED = "screened"
    LIKELY_REPEAT = "likely_repeat"
    CLAIMED = "claimed"
    TRANSFERRED = "transferred"
    RETURNED = "returned"
    ANSWERED = "answered"
    CLOSED = "closed"
    LEFT_WITHOUT_ANSWER = "left_without_answer"
    REQUESTER_MESSAGE = "requester_message"
    BACK_TO_BOT = "back_to_bot"  # the pupil stopped writing to the specialist in the chat (domain/chat_threads.py)
    REOPENED = "reopened"
    DEADLINE_APPROACHING = "deadline_approaching"
    DEADLINE_BREACHED = "deadline_breached"
    KNOWN_ISSUE_LINKED = "known_issue_linked"
    REGISTERED = "registered"
    REGISTRATION_INCOMPLETE = "registration_incomplete"
    REPLY_SENT = "reply_sent"
    REPLY_SEND_FAILED = "reply_send_failed"
    MAIL_RECEIVED = "mail_received"
    MAIL_BOUNCED = "mail_bounced"
    MAIL_COPY = "mail_copy"  # the same letter (Message-ID) again: a redelivery, or its Cc to our other mailbox
    FOLLOWED_BY = "followed_by"  # the requester wrote again after «без ответа»: a new ticket took the letter
    ANONYMISED = "anonymised"  # the requester's personal data removed (domain/personal_data.py, 152-ФЗ)


@dataclass(frozen=True)
class TicketEvent:
    """An entry of the append-only history: who did what, when, from which line."""

    type: str  # an EventType (a plain str when read back from the database; they compare equal)
    at: datetime
    actor: str
    line: int | None = None
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "at": self.at,
            "actor": self.actor,
            "line": self.line,
            "data": self.data,
        }


@dataclass
class Ticket:
    """A registered request with its deadline and history."""

    number: str | None
    channel: Channel
    kind: Kind
    question_type: QuestionType | None
    region: str | None
    role: RequesterRole | None
    login: str | None
    email: str | None
    subject: str
    description: str
    transcript: list[TranscriptLine]
    conversation_id: str | None
    instructions_tried: list[str]
    status: Status
    line: int
    created_at: datetime
    due_at: datetime
    updated_at: datetime
    idempotency_key: str | None = None
    events: list[TicketEvent] = field(default_factory=list)
    id: int | None = None
    assignee: str | None = None  # who works on it now, on its current line
    owner: str | None = None  # the line-1 person who answers the requester (§5.3)
    line3_due_at: datetime | None = None  # §5.5: internal 24-hour target, never the requester's deadline
    resolution_reason: str | None = None  # a LeaveReason code when left without an answer
    repeat_of: str | None = None
    questions: list[Question] = field(default_factory=list)
    first_answered_at: datetime | None = None
    resolved_at: datetime | None = None
    likely_repeats: list[str] = field(default_factory=list)
    approaching_notified_at: datetime | None = None
    breached_notified_at: datetime | None = None
    # §4.5, §4.6: the lines (2, 3) the ticket was ever handed to; they keep seeing it (domain.access)
    handed_to: set[int] = field(default_factory=set)
    version: int = 0  # optimistic locking: two operators cannot overwrite each other's move

    def status_label_ru(self) -> str:
        return STATUS_LABELS_RU[self.status]

    @classmethod
    def register(cls, new: NewTicket, *, now: datetime, due_at: datetime, actor: str) -> Ticket:
        """Create the ticket on its first line with its first history event.

        Every request lands on line 1 (§4.4), except organisational questions of mentors and
        venues of a known region, which go straight to that region's operator (§5.8).
        """
        line = initial_line(new)
        ticket = cls(
            number=None,
            channel=new.channel,
            kind=new.kind,
            question_type=new.question_type,
            region=new.region,
            role=new.role,
            login=new.login,
            email=new.email,
            subject=new.subject,
            description=new.description,
            transcript=list(new.transcript),
            conversation_id=new.conversation_id,
            instructions_tried=list(new.instructions_tried),
            status=Status.NEW if line == FIRST_LINE else Status.WAITING_LINE2,
            line=line,
            created_at=now,
            due_at=due_at,
            updated_at=now,
            idempotency_key=new.idempotency_key,
            questions=[Question(id=1, text=new.description)],
            handed_to=set() if line == FIRST_LINE else {line},
        )
        ticket.events.append(
            TicketEvent(
                type=EventType.CREATED,
                at=now,
                actor=actor,
                line=line,
                data={"channel": new.channel.value, "due_at": due_at.isoformat(), "line": line},
            )
        )
        return ticket


def initial_line(new: NewTicket) -> int:
    """§4.4 and §5.8: line 1, or line 2 for a mentor's or venue's organisational question."""
    if (
        new.role in (RequesterRole.MENTOR, RequesterRole.VENUE)
        and new.question_type is QuestionType.INFORMATIONAL
        and new.region
    ):
        return 2
    return FIRST_LINE
