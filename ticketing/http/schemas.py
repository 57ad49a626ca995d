"""Request and response bodies of the JSON API (pydantic), and their Russian error messages."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ticketing.domain.deadline_state import DEADLINE_LABELS_RU, DeadlineState
from ticketing.domain.deliveries import Delivery, DeliveryMedium, PublicDeliveryStatus
from ticketing.domain.known_issues import IssueStatus
from ticketing.domain.lifecycle import LEAVE_REASON_LABELS_RU, LeaveReason
from ticketing.domain.sla import MOSCOW
from ticketing.domain.tickets import (
    STATUS_LABELS_RU,
    Channel,
    Kind,
    QuestionType,
    RequesterRole,
    Status,
    Ticket,
)

EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s.]{2,}$")
SUBJECT_LENGTH = 120
CHAT_REQUIRED = ("region", "role", "email", "question_type")  # §5.6.1: what the bot must clarify


class InvalidInput(Exception):
    """Input a person must fix; ``fields`` maps each field to a Russian message."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {msg}" for name, msg in fields.items()))
        self.fields = fields


FIELD_NAMES_RU = {
    "channel": "канал",
    "kind": "вид обращения",
    "question_type": "тип вопроса",
    "region": "регион",
    "role": "роль",
    "login": "логин",
    "email": "почта",
    "subject": "тема",
    "description": "описание",
    "transcript": "переписка",
    "conversation_id": "идентификатор диалога",
    "instructions_tried": "испробованные инструкции",
    "line": "линия",
    "status": "статус",
    "limit": "limit",
    "offset": "offset",
    "q": "q",
    "title": "заголовок",
    "expected_on": "ожидаемая дата",
    "keywords": "ключевые слова",
    "text": "текст",
    "known_issue_id": "известная проблема",
}


class TranscriptLineIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    sender: str = Field(pattern="^(user|bot|staff)$", description="who wrote: user, bot or staff")
    text: str = Field(max_length=10_000)
    timestamp: float | None = None


class TicketIn(BaseModel):
    """A request to register (§4.2, §5.6.2). Chat requests must carry the §5.6.1 data (see :meth:`parse`)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    channel: Channel = Channel.CHAT
    kind: Kind = Kind.INFO_REQUEST
    question_type: QuestionType | None = None
    region: str | None = Field(default=None, max_length=200, description="official name or as the user wrote it")
    role: RequesterRole | None = None
    login: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    subject: str | None = Field(default=None, max_length=300)
    description: str = Field(min_length=1, max_length=20_000)
    transcript: list[TranscriptLineIn] = Field(default_factory=list, max_length=500)
    conversation_id: str | None = Field(default=None, max_length=200)
    instructions_tried: list[str] = Field(default_factory=list, max_length=50)
    known_issue_id: int | None = Field(
        default=None, gt=0, description="известная проблема (п. 5.5), о которой бот сказал; обращение свяжется с ней"
    )

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        if not EMAIL_RE.match(value):
            raise ValueError("это не похоже на адрес электронной почты (нужно вида name@example.ru)")
        return value.lower()

    @field_validator("login", "region", "subject", "conversation_id")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @classmethod
    def parse(cls, raw: dict[str, Any], *, require_5_6_1: bool = True) -> TicketIn:
        """Validate a request body, reporting every problem at once (fields and §5.6.1 data alike).

        Args:
            raw: the JSON body.
            require_5_6_1: False for a chat message that screening leaves without an answer
                (a threat from an anonymous visitor must still reach line 1, §4.8).

        Raises:
            InvalidInput: with a Russian message per field.
        """
        fields: dict[str, str] = {}
        try:
            model: TicketIn | None = cls.model_validate(raw)
        except ValidationError as exc:
            fields.update(errors_ru(exc))
            model = None
        if require_5_6_1 and raw.get("channel", Channel.CHAT.value) == Channel.CHAT.value:
            for name in CHAT_REQUIRED:
                if raw.get(name) in (None, "") and name not in fields:
                    fields[name] = "обязательно для обращения из чат-бота (п. 5.6.1 Порядка)"
        if fields or model is None:
            raise InvalidInput(fields)
        return model

    def derived_subject(self) -> str:
        """The subject given, or the start of the description (line 1 sorts by it)."""
        if self.subject:
            return self.subject
        first_line = self.description.strip().splitlines()[0]
        return first_line if len(first_line) <= SUBJECT_LENGTH else first_line[: SUBJECT_LENGTH - 1] + "…"


class QuestionOut(BaseModel):
    id: int
    text: str
    answered_at: datetime | None
    answer_channel: str | None


class EventOut(BaseModel):
    type: str
    at: datetime
    actor: str
    line: int | None
    data: dict[str, Any]


class DeliveryOut(BaseModel):
    """One delivery of an answer (§6.3): a chat answer goes both into the chat and by e-mail."""

    channel: DeliveryMedium
    status: PublicDeliveryStatus
    at: datetime = Field(description="when it reached this status, Moscow time")

    @classmethod
    def from_domain(cls, delivery: Delivery) -> DeliveryOut:
        return cls(
            channel=delivery.medium,
            status=delivery.public_status,
            at=delivery.status_at.astimezone(MOSCOW),
        )


class TicketOut(BaseModel):
    """A ticket as the API returns it; times are in Moscow time with their offset."""

    number: str
    channel: Channel
    kind: Kind
    question_type: QuestionType | None
    region: str | None
    role: RequesterRole | None
    login: str | None
    email: str | None
    subject: str
    description: str
    transcript: list[TranscriptLineIn]
    conversation_id: str | None
    instructions_tried: list[str]
    status: Status
    status_label: str = Field(description="the status in Russian, as the console shows it")
    line: int
    created_at: datetime
    due_at: datetime
    updated_at: datetime
    deadline_state: DeadlineState | None = Field(default=None, description="on_track, approaching, breached, …")
    deadline_label: str | None = None
    assignee: str | None = None
    owner: str | None = None
    line3_due_at: datetime | None = None
    resolution_reason: str | None = None
    resolution_label: str | None = None
    repeat_of: str | None = None
    likely_repeats: list[str] = Field(default_factory=list)
    questions: list[QuestionOut] = Field(default_factory=list)
    first_answered_at: datetime | None = None
    resolved_at: datetime | None = None
    history: list[EventOut] | None = None
    deliveries: list[DeliveryOut] | None = Field(
        default=None, description="how each answer travels to the requester (one ticket only)"
    )

    @classmethod
    def from_domain(
        cls,
        ticket: Ticket,
        *,
        with_history: bool = False,
        state: DeadlineState | None = None,
        deliveries: list[Delivery] | None = None,
    ) -> TicketOut:
        assert ticket.number is not None

        def msk(moment: datetime | None) -> datetime | None:
            return moment.astimezone(MOSCOW) if moment else None

        reason = LeaveReason(ticket.resolution_reason) if ticket.resolution_reason else None
        return cls(
            number=ticket.number,
            channel=ticket.channel,
            kind=ticket.kind,
            question_type=ticket.question_type,
            region=ticket.region,
            role=ticket.role,
            login=ticket.login,
            email=ticket.email,
            subject=ticket.subject,
            description=ticket.description,
            transcript=[TranscriptLineIn(**line.to_dict()) for line in ticket.transcript],
            conversation_id=ticket.conversation_id,
            instructions_tried=ticket.instructions_tried,
            status=ticket.status,
            status_label=STATUS_LABELS_RU[ticket.status],
            line=ticket.line,
            created_at=ticket.created_at.astimezone(MOSCOW),
            due_at=ticket.due_at.astimezone(MOSCOW),
            updated_at=ticket.updated_at.astimezone(MOSCOW),
            deadline_state=state,
            deadline_label=DEADLINE_LABELS_RU[state] if state else None,
            assignee=ticket.assignee,
            owner=ticket.owner,
            line3_due_at=msk(ticket.line3_due_at),
            resolution_reason=ticket.resolution_reason,
            resolution_label=LEAVE_REASON_LABELS_RU[reason] if reason else None,
            repeat_of=ticket.repeat_of,
            likely_repeats=ticket.likely_repeats,
            questions=[
                QuestionOut(id=q.id, text=q.text, answered_at=msk(q.answered_at), answer_channel=q.answer_channel)
                for q in ticket.questions
            ],
            first_answered_at=msk(ticket.first_answered_at),
            resolved_at=msk(ticket.resolved_at),
            history=[EventOut(**{**e.to_dict(), "at": e.at.astimezone(MOSCOW)}) for e in ticket.events]
            if with_history
            else None,
            deliveries=[DeliveryOut.from_domain(d) for d in deliveries] if deliveries is not None else None,
        )


class TicketQuery(BaseModel):
    """Filters and pagination of ``GET /api/v1/tickets``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: str | None = None
    login: str | None = None
    line: int | None = Field(default=None, ge=1, le=3)
    status: Status | None = None
    region: str | None = None
    channel: Channel | None = None
    conversation_id: str | None = None
    assignee: str | None = None
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0)


class TransferIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    line: int = Field(ge=2, le=3, description="2 — региональный оператор (п. 4.5), 3 — техподдержка (п. 4.6)")
    comment: str = Field(min_length=1, max_length=5000)


class CommentIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    comment: str | None = Field(default=None, max_length=5000)


class AnswerIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: str = Field(min_length=1, max_length=20_000)
    questions: list[int] | None = Field(default=None, description="номера вопросов; по умолчанию все открытые")


class LeaveIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: LeaveReason
    comment: str | None = Field(default=None, max_length=5000)
    repeat_of: str | None = Field(default=None, max_length=30, description="номер прежнего обращения для repeat")


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: str = Field(min_length=1, max_length=20_000)


class KnownIssueIn(BaseModel):
    """A known issue line 3 publishes (§5.5): what is wrong, what is being done, when it is expected."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=200, description="что не работает — так, как скажут пользователи")
    description: str = Field(max_length=5000, description="подробности для первой линии")
    status: IssueStatus
    expected_on: date | None = Field(default=None, description="когда ожидается исправление, ГГГГ-ММ-ДД")
    keywords: str = Field(default="", max_length=500, description="другие слова, которыми о ней пишут: «белый экран»")


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    text: str = Field(min_length=1, max_length=20_000, description="ответ каждому связанному заявителю")


class TicketPage(BaseModel):
    items: list[TicketOut]
    total: int = Field(description="сколько найдено; не больше 10 001 — см. total_exact")
    total_exact: bool = Field(default=True, description="false: найдено больше 10 000, total — нижняя граница")
    limit: int
    offset: int


class RegionOut(BaseModel):
    code: str
    name: str
    timezone: str
    capital: str


class Resolution(BaseModel):
    region: str | None
    candidates: list[str]


class ErrorBody(BaseModel):
    code: str
    message: str
    fields: dict[str, str] | None = None


class ErrorOut(BaseModel):
    error: ErrorBody


_PYDANTIC_RU = {
    "missing": "обязательное поле",
    "extra_forbidden": "неизвестное поле",
    "string_too_long": "слишком длинно (не больше {max_length} символов)",
    "string_too_short": "не может быть пустым",
    "too_long": "слишком много элементов (не больше {max_length})",
    "enum": "допустимые значения: {expected}",
    "int_parsing": "нужно целое число",
    "int_type": "нужно целое число",
    "string_type": "нужна строка",
    "float_parsing": "нужно число",
    "float_type": "нужно число",
    "list_type": "нужен список",
    "greater_than_equal": "не меньше {ge}",
    "less_than_equal": "не больше {le}",
    "string_pattern_mismatch": "недопустимое значение",
    "model_type": "нужен JSON-объект",
    "model_attributes_type": "нужен JSON-объект",
    "dict_type": "нужен JSON-объект",
    "date_from_datetime_parsing": "нужна дата вида ГГГГ-ММ-ДД",
    "date_parsing": "нужна дата вида ГГГГ-ММ-ДД",
    "date_type": "нужна дата вида ГГГГ-ММ-ДД",
    "greater_than": "больше {gt}",
}


def errors_ru(exc: ValidationError) -> dict[str, str]:
    """Pydantic's errors as ``{field: Russian message}``, so a person knows what to fix."""
    fields: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"]) or "body"
        template = _PYDANTIC_RU.get(err["type"])
        if err["type"] == "value_error":
            message = str(err.get("ctx", {}).get("error", err["msg"]))
        elif template:
            ctx = dict(err.get("ctx", {}))
            if isinstance(ctx.get("expected"), str):
                ctx["expected"] = ctx["expected"].replace(" or ", " или ")
            try:
                message = template.format(**ctx)
            except (KeyError, IndexError):
                message = template
        else:
            message = err["msg"]
        fields.setdefault(loc, message)
    return fields
