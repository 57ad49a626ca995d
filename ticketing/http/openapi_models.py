"""Models that only describe, for the OpenAPI document, bodies the handlers build as plain dicts.

``tests/integration/test_openapi.py`` checks that real responses have exactly these fields.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from ticketing.domain.known_issues import IssueStatus
from ticketing.domain.tickets import Status
from ticketing.http.schemas import EventOut, RequestFieldsOut


class DayOut(BaseModel):
    day: date
    working: bool = Field(description="true — рабочий день, false — нерабочий")
    note: str = Field(description="основание")
    created_at: datetime = Field(description="когда внесён, по Москве")
    created_by: str = Field(description="кто внёс (имя токена)")


class OperatorOut(BaseModel):
    region: str = Field(description="официальное название субъекта РФ")
    organisation: str
    contact_person: str
    email: str
    phone: str
    is_sample: bool = Field(description="пример из поставки: заменить настоящими контактами")
    updated_at: datetime
    updated_by: str


class KnownIssueOut(BaseModel):
    id: int
    title: str
    description: str
    status: IssueStatus
    status_label: str = Field(description="статус по-русски")
    expected_on: date | None = Field(description="когда ожидается исправление или обновление")
    updated_at: datetime


class KnownIssueList(BaseModel):
    items: list[KnownIssueOut]


class KnownIssueMatch(BaseModel):
    issue: KnownIssueOut | None = Field(description="null — ни одна активная проблема не подходит")


class ResolveOut(BaseModel):
    issue: KnownIssueOut = Field(description="проблема после исправления")
    answered: list[str] = Field(description="номера обращений, которым ушёл ответ")
    skipped: dict[str, str] = Field(description="номер → почему не отвечено сейчас")


class StatsOut(BaseModel):
    total: int
    by_status: dict[str, int]
    by_line: dict[str, int] = Field(description="только открытые: где ждёт работа")
    by_channel: dict[str, int]
    by_region: dict[str, int]
    by_question_type: dict[str, int]
    left_without_answer: dict[str, int] = Field(description="по кодам причин; в просрочки не входят")
    open_breached: int = Field(description="открытые с истёкшим сроком")
    answered_in_time: int
    answered_late: int
    share_answered_in_time: float | None = Field(description="доля отвеченных в срок; null — отвеченных нет")


class AuditEntryOut(EventOut):
    number: str


class RegistrationCardOut(BaseModel):
    incoming_number: str = Field(description="входящий номер, вида 00001/ВХ-2026")
    registered_at: datetime
    registration_date: date = Field(description="дата регистрации по Москве")
    correspondent: str
    surname: str | None
    name: str | None
    patronymic: str | None
    email: str | None
    subject: str
    summary: str
    due_at: datetime
    ticket_number: str
    missing: list[str] = Field(description="коды сведений п. 4.1.1, которых нет в письме")
    missing_ru: list[str] = Field(description="то же по-русски")


class RegistrationCardList(BaseModel):
    items: list[RegistrationCardOut]
    total: int


class PdQuestionOut(BaseModel):
    id: int
    text: str
    answered_at: str | None = Field(description="когда отвечен, ISO 8601")
    answer_channel: str | None


class PdEventOut(BaseModel):
    type: str
    at: str = Field(description="ISO 8601")
    actor: str
    line: int | None
    data: dict[str, Any]


class PdTicketOut(RequestFieldsOut):
    """One ticket of the person as the export gives it (services/personal_data.py, ``_ticket_export``)."""

    status: Status
    line: int
    created_at: str = Field(description="ISO 8601")
    due_at: str = Field(description="ISO 8601")
    resolved_at: str | None = Field(description="ISO 8601")
    questions: list[PdQuestionOut]
    history: list[PdEventOut]
    letters: list[dict[str, Any]] = Field(description="письма: отправитель, тема, список вложений — без самих файлов")
    registration_card: dict[str, Any] | None = Field(description="регистрационная карточка п. 4.1, если есть")


class PdExportOut(BaseModel):
    """One person's data (152-ФЗ, ст. 14): every ticket of the e-mail with messages, history, letters, card."""

    email: str
    exported_at: datetime
    tickets: list[PdTicketOut] = Field(description="обращения: поля, переписка, история, письма, карточка")


class PdEraseOut(BaseModel):
    erased: list[str] = Field(description="номера обезличенных обращений")
    conversations: int = Field(description="сколько событий диалогов бота удалено")


class PdAccessOut(BaseModel):
    at: datetime
    actor: str = Field(description="staff:логин, token:имя или cli:пользователь")
    role: str
    address: str | None = Field(description="адрес, с которого пришёл запрос")
    action: str = Field(description="ticket_card, ticket_api, list_export, pd_export, pd_erase, pd_anonymise")
    action_ru: str
    subject: str = Field(description="путь и фильтр запроса или замаскированная почта")
    tickets: list[str]
