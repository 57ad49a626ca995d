"""``/api/v1/tickets``: register requests, look them up, list queues."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, ValidationError
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from procedure.screening import OK
from ticketing.bootstrap import Container
from ticketing.domain import actors
from ticketing.domain.access import CAN_CREATE_TICKETS
from ticketing.domain.deadline_state import deadline_state
from ticketing.domain.lifecycle import Actor
from ticketing.domain.tickets import NewTicket, TranscriptLine
from ticketing.http import pd_log
from ticketing.http.auth import require
from ticketing.http.errors import ApiError
from ticketing.http.paths import not_found_ru, number_in_path
from ticketing.http.schemas import InvalidInput, TicketIn, TicketOut, TicketPage, TicketQuery, errors_ru
from ticketing.services import known_issues, replies
from ticketing.services import tickets as ticket_service
from ticketing.services.personal_data_ports import TICKET_API
from ticketing.services.unit_of_work import TicketFilter

bp = Blueprint("tickets", url_prefix="/api/v1/tickets", strict_slashes=False)


def model_json(model: BaseModel, *, status: int = 200, headers: dict[str, str] | None = None) -> HTTPResponse:
    """The model as JSON, serialised by pydantic's core in one step (no dict in between)."""
    return HTTPResponse(model.model_dump_json(), status=status, headers=headers, content_type="application/json")


def json_body(request: Request) -> dict[str, Any]:
    try:
        body = request.json
    except Exception:
        body = None
    if not isinstance(body, dict):
        raise ApiError(400, "bad_request", "Тело запроса должно быть JSON-объектом (Content-Type: application/json).")
    return body


def validation_error(fields: dict[str, str], what: str = "данные обращения") -> ApiError:
    summary = "; ".join(f"{name}: {msg}" for name, msg in fields.items())
    return ApiError(422, "validation_error", f"Проверьте {what} — {summary}", fields)


def official_region(container: Container, text: str | None) -> str | None:
    """The official name of the region the caller named, or a 422 saying what to choose."""
    if text is None:
        return None
    if container.regions.by_name(text) is not None:
        return text
    resolution = container.regions.resolve(text)
    if resolution.region is not None:
        return resolution.region.name
    if resolution.candidates:
        options = ", ".join(f"«{r.name}»" for r in resolution.candidates)
        message = f"регион «{text}» неоднозначен, уточните: {options}"
    else:
        message = f"не удалось узнать регион «{text}»; укажите субъект РФ, например «Республика Татарстан»"
    raise ApiError(422, "validation_error", f"Проверьте данные обращения — region: {message}", {"region": message})


@bp.post("/")
@require(CAN_CREATE_TICKETS)
async def create_ticket(request: Request) -> HTTPResponse:
    """Register a request on line 1; replays of the same ``Idempotency-Key`` return the first ticket."""
    container: Container = request.app.ctx.container
    raw = json_body(request)
    text = "\n".join(str(raw.get(k) or "") for k in ("subject", "description"))
    verdict = container.screening.screen(text)
    try:
        data = TicketIn.parse(raw, require_5_6_1=verdict.verdict == OK)
    except InvalidInput as exc:
        raise validation_error(exc.fields) from exc
    idempotency_key = request.headers.get("idempotency-key") or None
    if idempotency_key and len(idempotency_key) > 200:
        raise ApiError(400, "bad_request", "Заголовок Idempotency-Key длиннее 200 символов.")
    new = NewTicket(
        channel=data.channel,
        kind=data.kind,
        question_type=data.question_type,
        region=official_region(container, data.region),
        role=data.role,
        login=data.login,
        email=data.email,
        subject=data.derived_subject(),
        description=data.description,
        transcript=tuple(TranscriptLine(**line.model_dump()) for line in data.transcript),
        conversation_id=data.conversation_id,
        instructions_tried=tuple(data.instructions_tried),
        idempotency_key=idempotency_key,
    )
    try:
        opened = await container.intake.open(
            ticket_service.Registration(new, actor=actors.token_actor(request.ctx.token.name), verdict=verdict)
        )
    except ticket_service.TooManyRequests as exc:
        limit = container.settings.tickets_per_requester_per_hour
        message = (
            f"С этого адреса уже зарегистрировано {limit} обращений за час. Дождитесь ответа на них или напишите позже."
        )
        raise ApiError(429, "too_many_requests", message, retry_after=container.requester_retry_after()) from exc
    assert opened.ticket.number is not None
    if data.known_issue_id is not None:
        # §5.5: the bot told the pupil about this issue; «ответить всем» must reach them when it is fixed.
        await known_issues.link_new_ticket(
            container.uow(),
            opened.ticket.number,
            data.known_issue_id,
            actor=Actor(name=actors.token_actor(request.ctx.token.name), role=request.ctx.token.role),
            now=container.clock(),
            bus=container.bus,
        )
    return model_json(
        TicketOut.from_domain(opened.ticket),
        status=201 if opened.created else 200,
        headers={"Location": f"/api/v1/tickets/{quote(opened.ticket.number)}"},
    )


@bp.get("/")
@require()
async def list_tickets(request: Request) -> HTTPResponse:
    """Tickets sorted by deadline, filtered; a line-2 token sees its regions only."""
    container: Container = request.app.ctx.container
    try:
        query = TicketQuery.model_validate({k: v[0] for k, v in request.args.items() if v[0] != ""})
    except ValidationError as exc:
        raise validation_error(errors_ru(exc), "параметры запроса") from exc
    region = official_region(container, query.region) if query.region else None
    flt = TicketFilter(
        email=query.email,
        login=query.login,
        line=query.line,
        status=query.status,
        region=region,
        channel=query.channel,
        conversation_id=query.conversation_id,
        assignee=query.assignee,
    )
    items, total = await ticket_service.list_tickets(
        container.uow(), flt, request.ctx.token.scope, limit=query.limit, offset=query.offset
    )
    now = container.clock()
    page = TicketPage(
        items=[TicketOut.from_domain(t, state=deadline_state(t, now, container.calendar)) for t in items],
        total=total,
        total_exact=total <= ticket_service.COUNT_CAP,
        limit=query.limit,
        offset=query.offset,
    )
    return json(page.model_dump(mode="json", exclude_none=False))


@bp.get("/<number:str>")
@require()
async def get_ticket(request: Request, number: str) -> HTTPResponse:
    """One ticket with its history; «бвб 12» and «BVB-000012» find «БВБ-000012»."""
    container: Container = request.app.ctx.container
    normalised = number_in_path(number)
    ticket = (
        await ticket_service.get_ticket(container.uow(), normalised, request.ctx.token.scope) if normalised else None
    )
    if ticket is None:
        raise ApiError(404, "not_found", not_found_ru(number))
    state = deadline_state(ticket, container.clock(), container.calendar)
    assert ticket.number is not None
    deliveries = await replies.deliveries_of(container.uow(), ticket.number)
    await pd_log.record(request, TICKET_API, [ticket.number])
    return model_json(TicketOut.from_domain(ticket, with_history=True, state=state, deliveries=deliveries))
