"""``POST /api/v1/tickets/{number}/<action>``: every move of a ticket as an explicit endpoint.

Each checks role, region and state; an illegal move answers 409 with a Russian message that
says why, a ticket outside the caller's regions answers 404 like a missing one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from ticketing.bootstrap import Container
from ticketing.domain import lifecycle as lc
from ticketing.domain.access import LINE1_ROLES, STAFF_ROLES, ApiRole
from ticketing.domain.deadline_state import deadline_state
from ticketing.domain.tickets import Ticket
from ticketing.http.api_tickets import json_body, validation_error
from ticketing.http.auth import require
from ticketing.http.errors import ApiError
from ticketing.http.paths import number_or_404
from ticketing.http.schemas import AnswerIn, CommentIn, LeaveIn, MessageIn, TicketOut, TransferIn, errors_ru
from ticketing.services import replies
from ticketing.services.transitions import TicketNotFound, act, act_with_related
from ticketing.services.unit_of_work import ConcurrentUpdate

bp = Blueprint("transitions", url_prefix="/api/v1/tickets", strict_slashes=False)

M = TypeVar("M", bound=BaseModel)


def body_of(request: Request, model: type[M]) -> M:
    raw: dict[str, Any] = json_body(request) if request.body else {}
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise validation_error(errors_ru(exc), "данные запроса") from exc


@contextmanager
def transition_errors() -> Iterator[None]:
    """The domain's refusals as the API's answers: 404, 409 with the Russian reason."""
    try:
        yield
    except TicketNotFound as exc:
        missing = str(exc)
        raise ApiError(404, "not_found", f"Обращение «{missing}» не найдено (или оно вне ваших регионов).") from exc
    except lc.IllegalTransition as exc:
        raise ApiError(409, "illegal_transition", str(exc)) from exc
    except ConcurrentUpdate as exc:
        message = "Обращение только что изменил кто-то другой. Обновите его и повторите."
        raise ApiError(409, "conflict", message) from exc


def ticket_response(container: Container, ticket: Ticket) -> HTTPResponse:
    state = deadline_state(ticket, container.clock(), container.calendar)
    return json(TicketOut.from_domain(ticket, with_history=True, state=state).model_dump(mode="json"))


def actor_of(request: Request) -> lc.Actor:
    token = request.ctx.token
    return lc.Actor(name=token.name, role=token.role)


async def run(
    request: Request,
    raw_number: str,
    change: Callable[[Ticket, lc.Actor], object],
    *,
    related: str | None = None,
    with_related: Callable[[Ticket, Ticket, lc.Actor], object] | None = None,
) -> HTTPResponse:
    """One transition: ``change``, or ``with_related`` when it needs the ``related`` ticket too."""
    container: Container = request.app.ctx.container
    actor = actor_of(request)
    number = number_or_404(raw_number)
    scope = request.ctx.token.scope
    with transition_errors():
        if related is not None and with_related is not None:
            ticket = await act_with_related(
                container.uow(),
                number,
                related,
                scope,
                lambda t, other: with_related(t, other, actor),
                bus=container.bus,
            )
        else:
            ticket = await act(container.uow(), number, scope, lambda t: change(t, actor), bus=container.bus)
    return ticket_response(container, ticket)


@bp.post("/<number:str>/claim")
@require(STAFF_ROLES)
async def claim(request: Request, number: str) -> HTTPResponse:
    now = request.app.ctx.container.clock()
    return await run(request, number, lambda t, a: lc.claim(t, a, now))


@bp.post("/<number:str>/transfer")
@require(LINE1_ROLES)
async def transfer(request: Request, number: str) -> HTTPResponse:
    body = body_of(request, TransferIn)
    container: Container = request.app.ctx.container
    now = container.clock()
    return await run(
        request,
        number,
        lambda t, a: lc.transfer(t, a, now, to_line=body.line, comment=body.comment, calendar=container.calendar),
    )


@bp.post("/<number:str>/return")
@require((ApiRole.LINE2, ApiRole.LINE3, ApiRole.ADMIN))
async def return_to_line1(request: Request, number: str) -> HTTPResponse:
    body = body_of(request, CommentIn)
    now = request.app.ctx.container.clock()
    return await run(request, number, lambda t, a: lc.return_to_line1(t, a, now, comment=body.comment))


@bp.post("/<number:str>/answer")
@require(LINE1_ROLES)
async def answer(request: Request, number: str) -> HTTPResponse:
    """Answer and queue the delivery by the request's own channel (§6.3), as the console does."""
    body = body_of(request, AnswerIn)
    container: Container = request.app.ctx.container
    with transition_errors():
        ticket, _ = await replies.reply(
            container.uow(),
            number_or_404(number),
            request.ctx.token.scope,
            actor_of(request),
            text=body.text,
            question_ids=body.questions,
            now=container.clock(),
            bus=container.bus,
        )
    return ticket_response(container, ticket)


@bp.post("/<number:str>/close")
@require(LINE1_ROLES)
async def close(request: Request, number: str) -> HTTPResponse:
    body = body_of(request, CommentIn)
    now = request.app.ctx.container.clock()
    return await run(request, number, lambda t, a: lc.close(t, a, now, comment=body.comment))


@bp.post("/<number:str>/leave-without-answer")
@require((*LINE1_ROLES, ApiRole.SERVICE))
async def leave_without_answer(request: Request, number: str) -> HTTPResponse:
    body = body_of(request, LeaveIn)
    now = request.app.ctx.container.clock()
    if body.reason is lc.LeaveReason.REPEAT and body.repeat_of:
        return await run(
            request,
            number,
            lambda t, a: lc.leave_without_answer(t, a, now, reason=body.reason.value, comment=body.comment),
            related=number_or_404(body.repeat_of),
            with_related=lambda t, earlier, a: lc.leave_without_answer(
                t, a, now, reason=body.reason.value, comment=body.comment, repeat_of=earlier
            ),
        )
    return await run(
        request,
        number,
        lambda t, a: lc.leave_without_answer(t, a, now, reason=body.reason.value, comment=body.comment),
    )


@bp.post("/<number:str>/reopen")
@require(LINE1_ROLES)
async def reopen(request: Request, number: str) -> HTTPResponse:
    body = body_of(request, CommentIn)
    now = request.app.ctx.container.clock()
    return await run(request, number, lambda t, a: lc.reopen(t, a, now, comment=body.comment))


@bp.post("/<number:str>/messages")
@require((ApiRole.SERVICE, *LINE1_ROLES))
async def requester_message(request: Request, number: str) -> HTTPResponse:
    """A new message from the requester (a chat reply or a letter); reopens an answered ticket."""
    body = body_of(request, MessageIn)
    now = request.app.ctx.container.clock()
    return await run(request, number, lambda t, a: lc.requester_message(t, a, now, text=body.text))
