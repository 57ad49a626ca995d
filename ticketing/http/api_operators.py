"""``/api/v1/operators``: the regional operators' directory (§2.3, §5.7), edited by admins."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, empty, json

from ticketing.bootstrap import Container
from ticketing.domain.access import ApiRole
from ticketing.domain.operators import RegionalOperator
from ticketing.domain.sla import MOSCOW
from ticketing.http.api_tickets import json_body, official_region, validation_error
from ticketing.http.auth import require
from ticketing.http.errors import ApiError
from ticketing.http.schemas import RequiredText, Text, email_value, errors_ru
from ticketing.services import operators as operator_service

bp = Blueprint("operators", url_prefix="/api/v1/operators", strict_slashes=False)


class OperatorIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    organisation: RequiredText = Field(max_length=300)
    contact_person: RequiredText = Field(max_length=200)
    email: str = Field(max_length=320)
    phone: Text = Field(min_length=5, max_length=50)

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return email_value(value)


def operator_out(operator: RegionalOperator) -> dict[str, Any]:
    return {
        **operator.__dict__,
        "updated_at": operator.updated_at.astimezone(MOSCOW).isoformat(),
    }


def region_of(container: Container, raw: str) -> str:
    region = official_region(container, unquote(raw))
    assert region is not None
    return region


@bp.get("/")
@require()
async def list_operators(request: Request) -> HTTPResponse:
    container: Container = request.app.ctx.container
    async with container.uow() as uow:
        return json([operator_out(o) for o in await uow.operators.all()])


@bp.get("/<region:str>")
@require()
async def get_operator(request: Request, region: str) -> HTTPResponse:
    """The contact of one region's operator; the region may be written as people write it.

    A sample row is not a contact: it answers 404 like a region without an entry, so the bot says
    that line 1 will pass the question on (§4.5) instead of reading out «(пример)» and example.ru.
    """
    container: Container = request.app.ctx.container
    name = region_of(container, region)
    operator = await operator_service.contacts_of(container.uow(), name)
    if operator is None:
        raise ApiError(404, "not_found", f"Контакты регионального оператора для региона «{name}» ещё не внесены.")
    return json(operator_out(operator))


@bp.put("/<region:str>")
@require((ApiRole.ADMIN,))
async def put_operator(request: Request, region: str) -> HTTPResponse:
    container: Container = request.app.ctx.container
    name = region_of(container, region)
    try:
        body = OperatorIn.model_validate(json_body(request))
    except ValidationError as exc:
        raise validation_error(errors_ru(exc), "данные оператора") from exc
    operator = await operator_service.save_operator(
        container.uow(), region=name, by=request.ctx.token.name, now=container.clock(), **body.model_dump()
    )
    return json(operator_out(operator))


@bp.delete("/<region:str>")
@require((ApiRole.ADMIN,))
async def delete_operator(request: Request, region: str) -> HTTPResponse:
    container: Container = request.app.ctx.container
    name = region_of(container, region)
    if not await operator_service.remove_operator(container.uow(), name):
        raise ApiError(404, "not_found", f"Для региона «{name}» записи нет.")
    return empty()
