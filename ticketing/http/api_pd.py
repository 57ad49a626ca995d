"""Personal data on request (152-ФЗ, ст. 14, 20, 21), for the administrator: ``/api/v1/admin/pd/…``.

The same use cases as ``python -m ticketing pd`` (services/personal_data.py); each call is in the
access log, which ``GET /api/v1/admin/pd/access`` shows.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from procedure.text_safety import email_problem
from ticketing.bootstrap import Container, conversation_store
from ticketing.domain.access import ApiRole
from ticketing.domain.sla import MOSCOW
from ticketing.http.api_admin import PeriodQuery, query_of
from ticketing.http.api_tickets import json_body
from ticketing.http.auth import require
from ticketing.http.errors import ApiError
from ticketing.http.pd_log import accessor_of
from ticketing.http.schemas import Offset
from ticketing.services import personal_data as pd
from ticketing.services.personal_data_ports import ACTIONS_RU

bp = Blueprint("personal_data", url_prefix="/api/v1/admin/pd", strict_slashes=False)
ADMIN = (ApiRole.ADMIN,)


class PdEmailIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=1, max_length=320, description="адрес заявителя, как он писал (регистр не важен)")


class PdAccessQuery(PeriodQuery):
    limit: int = Field(default=100, ge=1, le=1000)
    offset: Offset = 0


def _email(value: object) -> str:
    email = str(value or "").strip().lower()
    problem = email_problem(email) if email else "укажите адрес заявителя"
    if problem:
        raise ApiError(422, "validation_error", f"Проверьте email — {problem}.", {"email": problem})
    return email


@bp.get("/export")
@require(ADMIN)
async def export(request: Request) -> HTTPResponse:
    """Everything kept about one e-mail, as JSON."""
    container: Container = request.app.ctx.container
    email = _email(request.args.get("email"))
    data = await pd.export_person(container.uow, email, now=container.clock(), accessor=accessor_of(request))
    return json(data)


@bp.post("/erase")
@require(ADMIN)
async def erase(request: Request) -> HTTPResponse:
    """Anonymise the e-mail's closed tickets now; 409 names the open ones, which are kept."""
    container: Container = request.app.ctx.container
    email = _email(json_body(request).get("email"))
    conversations = conversation_store(container.settings)
    try:
        report = await pd.erase_person(
            container.uow, conversations, email, now=container.clock(), accessor=accessor_of(request)
        )
    finally:
        await conversations.close()
    if report.still_open:
        done = f" Обезличены: {', '.join(report.erased)}." if report.erased else ""
        raise ApiError(
            409, "open_tickets", pd.open_refusal(report.still_open) + done, {"still_open": ", ".join(report.still_open)}
        )
    return json({"erased": report.erased, "conversations": report.conversations})


@bp.get("/access")
@require(ADMIN)
async def access(request: Request) -> HTTPResponse:
    """The access log of personal data, newest first."""
    container: Container = request.app.ctx.container
    query = query_of(request, PdAccessQuery)
    async with container.uow() as uow:
        entries = await uow.personal_data.access_log(
            since=query.since, until=query.until, limit=query.limit, offset=query.offset
        )
    return json(
        [
            {
                "at": e.at.astimezone(MOSCOW).isoformat(),
                "actor": e.actor,
                "role": e.role,
                "address": e.address,
                "action": e.action,
                "action_ru": ACTIONS_RU.get(e.action, e.action),
                "subject": e.subject,
                "tickets": list(e.tickets),
            }
            for e in entries
        ]
    )
