"""Request and response bodies of the JSON API (pydantic), and their Russian error messages."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from procedure.requesters import KIND_LABELS, QUESTION_TYPE_LABELS, ROLE_LABELS
from procedure.text_safety import (
    BLANK_PATTERN,
    VISIBLE_PATTERN,
    email_problem,
    invisible_problem,
    neutralise,
    without_surrogates,
)
from ticketing.domain.deadline_state import DEADLINE_LABELS_RU, DeadlineState
from ticketing.domain.deliveries import Delivery, DeliveryMedium, PublicDeliveryStatus
from ticketing.domain.known_issues import IssueStatus
from ticketing.domain.lifecycle import LEAVE_REASON_LABELS_RU, LeaveReason
from ticketing.domain.sla import MOSCOW
from ticketing.domain.tickets import (
    MESSAGE_MAX_CHARS,
    STATUS_LABELS_RU,
    Channel,
    Kind,
    QuestionType,
    RequesterRole,
    Status,
    Ticket,
)


def _encodable(value: Any) -> Any:
    return without_surrogates(value) if isinstance(value, str) else value


INVISIBLE_ONLY_RU = "только невидимые или управляющие символы: напишите текст"


def _neutralised(value: str) -> str:
    """Free text made safe *after* its limits are checked, so a limit counts what was sent."""
    clean = neutralise(value)
    if clean == value:
        return value
    if value.strip() and not clean.strip():
        raise ValueError(INVISIBLE_ONLY_RU)
    return clean.strip()


def _neutralised_required(value: str) -> str:
    """The same, and something must be left: pydantic's strip keeps ``\x1c``–``\x1f``, which neutralising removes."""
    clean = _neutralised(value)
    if not clean.strip():
        raise ValueError(INVISIBLE_ONLY_RU)
    return clean


def _visible(value: Any) -> Any:
    if isinstance(value, str) and (problem := invisible_problem(value.strip())):
        raise ValueError(problem)
    return value


# Free text is neutralised, identifiers with anything invisible refused (procedure.text_safety, issue 13).
# The lengths are those of the text as sent (a limit the document states is the one checked); the
# patterns only tell the OpenAPI document what neutralising leaves (tests/unit/properties/test_text_patterns.py).
S = TypeVar("S", bound=str)
TextOf = Annotated[
    S,
    Field(json_schema_extra={"pattern": f"{BLANK_PATTERN}|{VISIBLE_PATTERN}"}),
    BeforeValidator(_encodable),
    AfterValidator(_neutralised),
]
Text = TextOf[str]
# An optional text's limit goes inside, ``TextOf[Annotated[str, Field(max_length=N)]] | None``: a limit on
# the union is checked after neutralising, so 1 visible and 5 000 control characters passed 5 000 (Schemathesis).
RequiredText = Annotated[
    str,
    Field(min_length=1, json_schema_extra={"pattern": VISIBLE_PATTERN}),  # first: checked on the text as sent
    BeforeValidator(_encodable),
    AfterValidator(_neutralised_required),
]
Identifier = Annotated[str, BeforeValidator(_visible)]


# Query values a probe sent (issue 13): an offset past any table, a year 1 or 9999 that no time zone can
# hold, a number that pydantic would take for a Unix time. Each is a Russian 422 instead of a 500.
MAX_OFFSET = 1_000_000
FIRST_YEAR, LAST_YEAR = 2000, 2100
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")
MOMENT_RU = "дата или время в виде ГГГГ-ММ-ДД или ГГГГ-ММ-ДДTЧЧ:ММ[:СС][+03:00], например 2026-11-27"
YEARS_RU = f"дата должна быть между {FIRST_YEAR} и {LAST_YEAR} годом"


def _iso_moment(value: Any) -> Any:
    if isinstance(value, str) and not _ISO_DATE.match(value.strip()):
        raise ValueError(MOMENT_RU)
    return value


def _sane_moment(value: datetime) -> datetime:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(YEARS_RU)
    return value


DATE_RU = "дата в виде ГГГГ-ММ-ДД, например 2026-11-27"


def _iso_day(value: Any) -> Any:
    """A JSON date is a string: pydantic alone would take 0 for 1970-01-01 (Schemathesis)."""
    if not isinstance(value, (str, date)) or (isinstance(value, str) and not _ISO_DATE.match(value.strip())):
        raise ValueError(DATE_RU)
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]


def check_year(day: date) -> None:
    """The same bounds for a plain date (``registration-cards``)."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(YEARS_RU)


# The year bound as the document can say it (a pattern alongside the format): 2000–2100.
YEARS_PATTERN = "^(20[0-9]{2}|2100)-"
Moment = Annotated[
    datetime,
    Field(json_schema_extra={"pattern": YEARS_PATTERN}),
    BeforeValidator(_iso_moment),
    AfterValidator(_sane_moment),
]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]


def email_value(value: str) -> str:
    """The address lower-cased (as stored), or ValueError with the Russian reason."""
    address = value.lower()
    problem = email_problem(address)
    if problem is not None:
        raise ValueError(problem)
    return address


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


def _codes(labels: dict[str, str]) -> str:
    """``participant — участник, parent — родитель``: the codes of a field with their names (procedure.requesters)."""
    return ", ".join(f"{code} — {label}" for code, label in labels.items())


# What the OpenAPI document says of each field of a ticket, in and out (the data of §5.6.1 and what the bot
# sends with them): one text per field, so that the request and the response describe it alike.
TICKET_FIELDS_RU = {
    "channel": "канал: chat — чат-бот (п. 4.2.2), project_email — почта проекта (п. 4.3), union_email — общая "
    "почта Союза (п. 4.1)",
    "kind": "вид обращения (п. 1.1): " + _codes(KIND_LABELS),
    "question_type": "тип вопроса (п. 5.6.1): " + _codes(QUESTION_TYPE_LABELS) + "; от него зависит, кто отвечает "
    "дальше: линия 2 (п. 4.5) или линия 3 (п. 4.6); для channel=chat обязателен",
    "region": "регион заявителя (п. 5.6.1): официальное название или как его написал человек («Татарстан», «из "
    "Свердловской обл.») — сервис приводит к официальному, неузнанный — 422; для channel=chat обязателен",
    "role": "роль на платформе (п. 5.6.1): "
    + _codes({k: w.staff for k, w in ROLE_LABELS.items()})
    + "; для channel=chat обязательна",
    "login": "логин на платформе bvbinfo.ru (п. 5.6.1), если человек его назвал",
    "email": "почта для ответа (п. 5.6.1, п. 6.3); для channel=chat обязательна",
    "subject": "тема; без неё — начало описания",
    "description": "описание проблемы словами заявителя (п. 5.6.1)",
    "transcript": "переписка с ботом до обращения, по порядку (п. 5.6.2): её читает линия 1",
    "conversation_id": "идентификатор диалога в чат-боте (sender_id Rasa): туда уходит ответ (п. 6.3)",
    "instructions_tried": "инструкции, которые бот уже предложил и которые не помогли (п. 5.4)",
    "known_issue_id": "известная проблема (п. 5.5), о которой бот сказал; обращение свяжется с ней",
}
TRANSCRIPT_FIELDS_RU = {
    "sender": "кто написал: user — заявитель, bot — бот, staff — сотрудник поддержки",
    "text": "текст сообщения",
    "timestamp": "когда, секунды Unix (как в трекере Rasa)",
}


class TranscriptLineIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    sender: str = Field(pattern="^(user|bot|staff)$", description=TRANSCRIPT_FIELDS_RU["sender"])
    text: Text = Field(max_length=MESSAGE_MAX_CHARS, description=TRANSCRIPT_FIELDS_RU["text"])
    timestamp: float | None = Field(default=None, description=TRANSCRIPT_FIELDS_RU["timestamp"])


class TranscriptLineOut(BaseModel):
    """A stored line as it is: the input limit is not a reason to fail a response (a letter may be longer)."""

    sender: str = Field(description=TRANSCRIPT_FIELDS_RU["sender"])
    text: str = Field(description=TRANSCRIPT_FIELDS_RU["text"])
    timestamp: float | None = Field(default=None, description=TRANSCRIPT_FIELDS_RU["timestamp"])


class TicketIn(BaseModel):
    """Обращение для регистрации (п. 4.2, п. 5.6.2). Обращение из чат-бота (channel=chat) несёт данные п. 5.6.1 —
    регион, роль, почту и тип вопроса, иначе 422 с названием поля; без них принимается только сообщение, которое
    проверка оставляет без ответа (п. 4.8).
    """

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "channel": "chat",
                    "kind": "info_request",
                    "question_type": "technical",
                    "region": "Республика Татарстан",
                    "role": "participant",
                    "login": "ivanov1102",
                    "email": "ivan@example.ru",
                    "subject": "Не загружается тест",
                    "description": "Не загружается тест, белый экран после второго вопроса",
                    "transcript": [
                        {"sender": "user", "text": "Здравствуйте, не загружается тест", "timestamp": 1764230400.0},
                        {"sender": "bot", "text": "Попробуйте очистить кэш браузера.", "timestamp": 1764230401.5},
                    ],
                    "conversation_id": "chat-5f2c1a",
                    "instructions_tried": ["registration_student"],
                }
            ]
        },
    )

    channel: Channel = Field(default=Channel.CHAT, description=TICKET_FIELDS_RU["channel"])
    kind: Kind = Field(default=Kind.INFO_REQUEST, description=TICKET_FIELDS_RU["kind"])
    question_type: QuestionType | None = Field(default=None, description=TICKET_FIELDS_RU["question_type"])
    region: TextOf[Annotated[str, Field(max_length=200)]] | None = Field(
        default=None, description=TICKET_FIELDS_RU["region"]
    )
    role: RequesterRole | None = Field(default=None, description=TICKET_FIELDS_RU["role"])
    login: Identifier | None = Field(default=None, max_length=200, description=TICKET_FIELDS_RU["login"])
    email: str | None = Field(default=None, max_length=320, description=TICKET_FIELDS_RU["email"])
    subject: TextOf[Annotated[str, Field(max_length=300)]] | None = Field(
        default=None, description=TICKET_FIELDS_RU["subject"]
    )
    description: RequiredText = Field(max_length=20_000, description=TICKET_FIELDS_RU["description"])
    transcript: list[TranscriptLineIn] = Field(
        default_factory=list, max_length=500, description=TICKET_FIELDS_RU["transcript"]
    )
    conversation_id: Identifier | None = Field(
        default=None, max_length=200, description=TICKET_FIELDS_RU["conversation_id"]
    )
    instructions_tried: list[Identifier] = Field(
        default_factory=list, max_length=50, description=TICKET_FIELDS_RU["instructions_tried"]
    )
    known_issue_id: int | None = Field(default=None, gt=0, description=TICKET_FIELDS_RU["known_issue_id"])

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        assert value is not None
        return email_value(value)

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


class RequestFieldsOut(BaseModel):
    """What the requester gave (§5.6.1), the same in every view of a ticket: the API's and the export's."""

    number: str
    channel: Channel = Field(description=TICKET_FIELDS_RU["channel"])
    kind: Kind = Field(description=TICKET_FIELDS_RU["kind"])
    question_type: QuestionType | None = Field(description=TICKET_FIELDS_RU["question_type"])
    region: str | None = Field(description="регион заявителя (п. 5.6.1), официальное название; null — не указан")
    role: RequesterRole | None = Field(description=TICKET_FIELDS_RU["role"])
    login: str | None = Field(description=TICKET_FIELDS_RU["login"])
    email: str | None = Field(description=TICKET_FIELDS_RU["email"] + "; null — обезличено или не указана")
    subject: str = Field(description=TICKET_FIELDS_RU["subject"])
    description: str = Field(description=TICKET_FIELDS_RU["description"])
    transcript: list[TranscriptLineOut] = Field(description=TICKET_FIELDS_RU["transcript"])
    conversation_id: str | None = Field(description=TICKET_FIELDS_RU["conversation_id"])


class TicketOut(RequestFieldsOut):
    """A ticket as the API returns it; times are in Moscow time with their offset."""

    instructions_tried: list[str] = Field(description=TICKET_FIELDS_RU["instructions_tried"])
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
            transcript=[TranscriptLineOut(**line.to_dict()) for line in ticket.transcript],
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

    email: str | None = Field(default=None, max_length=320)
    login: str | None = Field(default=None, max_length=200)
    line: int | None = Field(default=None, ge=1, le=3)
    status: Status | None = None
    region: str | None = Field(default=None, max_length=200)
    channel: Channel | None = None
    conversation_id: str | None = Field(default=None, max_length=200)
    assignee: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=50, ge=1, le=500)
    offset: Offset = 0


class TransferIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"line": 3, "comment": "Белый экран в тесте: воспроизводится в Chrome 120"}]},
    )

    line: int = Field(ge=2, le=3, description="2 — региональный оператор (п. 4.5), 3 — техподдержка (п. 4.6)")
    comment: RequiredText = Field(max_length=5000)


class CommentIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"comment": "Ответ дан по телефону"}]},
    )

    comment: TextOf[Annotated[str, Field(max_length=5000)]] | None = None


class AnswerIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"text": "Здравствуйте! Ошибку исправили, тест открывается."}]},
    )

    text: RequiredText = Field(max_length=20_000)
    questions: list[int] | None = Field(default=None, description="номера вопросов; по умолчанию все открытые")


class LeaveIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"reason": "no_question", "comment": "В письме нет вопроса"}]},
    )

    reason: LeaveReason
    comment: TextOf[Annotated[str, Field(max_length=5000)]] | None = None
    repeat_of: str | None = Field(default=None, max_length=30, description="номер прежнего обращения для repeat")


class MessageIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"text": "Спасибо, но тест всё ещё не открывается"}]},
    )

    text: RequiredText = Field(max_length=MESSAGE_MAX_CHARS, description="becomes one transcript line")


class KnownIssueIn(BaseModel):
    """A known issue line 3 publishes (§5.5): what is wrong, what is being done, when it is expected."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "title": "Белый экран в тесте",
                    "description": "Исправляем",
                    "status": "fixing",
                    "keywords": "тест не открывается",
                }
            ]
        },
    )

    title: RequiredText = Field(max_length=200, description="что не работает — так, как скажут пользователи")
    description: Text = Field(max_length=5000, description="подробности для первой линии")
    status: IssueStatus
    expected_on: Day | None = Field(default=None, description="когда ожидается исправление, ГГГГ-ММ-ДД")
    keywords: Text = Field(default="", max_length=500, description="другие слова, которыми о ней пишут: «белый экран»")


class ResolveIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"text": "Ошибку исправили: тест открывается. Пройдите его заново."}]},
    )

    text: RequiredText = Field(max_length=20_000, description="ответ каждому связанному заявителю")


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
    "datetime_parsing": MOMENT_RU,
    "datetime_from_date_parsing": MOMENT_RU,
    "datetime_type": MOMENT_RU,
    "datetime_object_invalid": MOMENT_RU,
    "date_parsing": DATE_RU,
    "date_from_datetime_parsing": DATE_RU,
    "date_type": DATE_RU,
    "bool_parsing": "нужно да или нет (true или false)",
    "bool_type": "нужно да или нет (true или false)",
    "int_from_float": "нужно целое число",
    "greater_than": "больше {gt}",
    "less_than": "меньше {lt}",
    "too_short": "слишком мало элементов (не меньше {min_length})",
    "literal_error": "допустимые значения: {expected}",
    "json_invalid": "это не JSON",
    "uuid_parsing": "нужен идентификатор вида UUID",
}
UNKNOWN_RU = "недопустимое значение"


def errors_ru(exc: ValidationError) -> dict[str, str]:
    """Pydantic's errors as ``{field: Russian message}``, so a person knows what to fix."""
    fields: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"]) or "body"
        template = _PYDANTIC_RU.get(err["type"])
        if err["type"] == "value_error":
            message = str(err.get("ctx", {}).get("error", err["msg"]))
        elif template:
            ctx = {k: str(v).replace(" or ", " или ") for k, v in err.get("ctx", {}).items()}
            try:
                message = template.format(**ctx)
            except (KeyError, IndexError):
                message = template
        else:  # every message a person reads is Russian (§1.4), also for a case not translated yet
            message = UNKNOWN_RU
        fields.setdefault(loc, message)
    return fields
