"""Control and administration: the calendar's extraordinary days, reports (§5.3), the audit log."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, empty, json

from procedure.ticket_numbers import WHOLE_PATTERN, parse_number
from ticketing.bootstrap import Container
from ticketing.domain.access import STAFF_ROLES, ApiRole
from ticketing.domain.sla import MOSCOW
from ticketing.http.api_tickets import json_body, validation_error
from ticketing.http.auth import require
from ticketing.http.errors import ApiError
from ticketing.http.schemas import Moment, Offset, RequiredText, errors_ru
from ticketing.services import calendar_days
from ticketing.services.unit_of_work import AuditFilter

bp = Blueprint("admin", url_prefix="/api/v1", strict_slashes=False)


class DayIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    working: bool = Field(description="true — рабочий день, false — нерабочий")
    note: RequiredText = Field(max_length=300, description="основание, например «Указ от … №…»")


class PeriodQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: Moment | None = None
    until: Moment | None = None


class AuditQuery(PeriodQuery):
    number: str | None = Field(default=None, max_length=40, json_schema_extra={"pattern": WHOLE_PATTERN})
    actor: str | None = Field(default=None, max_length=200)
    type: str | None = Field(default=None, max_length=50)
    limit: int = Field(default=100, ge=1, le=1000)
    offset: Offset = 0


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ApiError(422, "validation_error", f"Дата «{text}» не распознана; нужен вид ГГГГ-ММ-ДД.") from None


def query_of(request: Request, model: type[PeriodQuery]) -> Any:
    try:
        query = model.model_validate({k: v[0] for k, v in request.args.items() if v[0] != ""})
    except ValidationError as exc:
        raise validation_error(errors_ru(exc), "параметры запроса") from exc
    for name in ("since", "until"):
        value = getattr(query, name)
        if value is not None and value.tzinfo is None:  # a date-time without an offset is Moscow time
            setattr(query, name, value.replace(tzinfo=MOSCOW))
    return query


def day_out(day: Any) -> dict[str, Any]:
    return {
        "day": day.day.isoformat(),
        "working": day.working,
        "note": day.note,
        "created_at": day.created_at.astimezone(MOSCOW).isoformat(),
        "created_by": day.created_by,
    }


@bp.get("/calendar/days")
@require()
async def list_days(request: Request) -> HTTPResponse:
    container: Container = request.app.ctx.container
    return json([day_out(d) for d in await calendar_days.list_days(container.uow())])


@bp.put("/calendar/days/<day:str>")
@require((ApiRole.ADMIN,))
async def put_day(request: Request, day: str) -> HTTPResponse:
    """Record an extraordinary day; deadlines of new and flagged tickets count with it at once."""
    container: Container = request.app.ctx.container
    when = parse_day(day)
    try:
        body = DayIn.model_validate(json_body(request))
    except ValidationError as exc:
        raise validation_error(errors_ru(exc), "данные дня") from exc
    container.calendar = await calendar_days.set_day(
        container.uow(),
        day=when,
        working=body.working,
        note=body.note,
        now=container.clock(),
        actor=request.ctx.token.name,
    )
    days = await calendar_days.list_days(container.uow())
    return json(day_out(next(d for d in days if d.day == when)))


@bp.delete("/calendar/days/<day:str>")
@require((ApiRole.ADMIN,))
async def delete_day(request: Request, day: str) -> HTTPResponse:
    container: Container = request.app.ctx.container
    calendar = await calendar_days.remove_day(container.uow(), parse_day(day))
    if calendar is None:
        raise ApiError(404, "not_found", f"День {day} не был отмечен.")
    container.calendar = calendar
    return empty()


@bp.get("/stats")
@require(STAFF_ROLES)
async def stats(request: Request) -> HTTPResponse:
    """Counts by status, line, channel, region, question type; reasons of §4.7–4.9/§6 apart."""
    container: Container = request.app.ctx.container
    query = query_of(request, PeriodQuery)
    async with container.uow() as uow:
        summary = await uow.reports.summary(
            now=container.clock(), since=query.since, until=query.until, scope=request.ctx.token.scope
        )
    answered = summary.answered_in_time + summary.answered_late
    body = asdict(summary)
    body["share_answered_in_time"] = round(summary.answered_in_time / answered, 4) if answered else None
    return json(body)


@bp.get("/audit")
@require((ApiRole.ADMIN,))
async def audit(request: Request) -> HTTPResponse:
    """Every change of every ticket — who, when, what, from which line — newest first."""
    container: Container = request.app.ctx.container
    query = query_of(request, AuditQuery)
    number = parse_number(query.number) if query.number else None
    if query.number and number is None:
        raise ApiError(422, "validation_error", f"«{query.number}» не похоже на номер обращения (БВБ-000123).")
    async with container.uow() as uow:
        entries = await uow.reports.audit(
            AuditFilter(
                number=number,
                actor=query.actor,
                type=query.type,
                since=query.since,
                until=query.until,
                scope=request.ctx.token.scope,
            ),
            limit=query.limit,
            offset=query.offset,
        )
    return json([{**asdict(e), "at": e.at.astimezone(MOSCOW).isoformat()} for e in entries])
