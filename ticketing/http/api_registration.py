"""``/api/v1/registration-cards``: the Union mailbox's registration cards for the document system (§4.1.2–4.1.3).

``?since=YYYY-MM-DD&until=YYYY-MM-DD`` (Moscow days, both inclusive) and ``?format=json|csv|xlsx``.
The columns are those a СЭД import expects of an incoming document: incoming number,
registration date, correspondent, e-mail, subject, summary, answer deadline, and our ticket
number; plus what §4.1.1 found missing, so the registrar sees it too. Line 1 and admins only:
the cards carry people's names and addresses.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from ticketing.bootstrap import Container
from ticketing.domain.access import LINE1_ROLES
from ticketing.domain.mail.cards import RegistrationCard, missing_labels_ru
from ticketing.domain.sla import MOSCOW
from ticketing.http import pd_log
from ticketing.http.auth import require
from ticketing.http.console.exports import Cell, csv_response, xlsx_response
from ticketing.http.errors import ApiError
from ticketing.http.schemas import YEARS_RU, check_year
from ticketing.services.personal_data_ports import LIST_EXPORT
from ticketing.services.registration import cards_between

bp = Blueprint("registration_cards", url_prefix="/api/v1/registration-cards", strict_slashes=False)

HEADER = (
    "№ вх.",
    "Дата регистрации",
    "Корреспондент",
    "E-mail",
    "Тема",
    "Краткое содержание",
    "Срок ответа",
    "Номер обращения БВБ",
    "Не хватает сведений (п. 4.1.1)",
)
FORMATS = ("json", "csv", "xlsx")


def card_row(card: RegistrationCard) -> Sequence[Cell]:
    return (
        card.incoming_number,
        card.registration_date.strftime("%d.%m.%Y"),
        card.correspondent,
        card.email or "",
        card.subject,
        card.summary,
        card.due_at.astimezone(MOSCOW).strftime("%d.%m.%Y"),
        card.ticket_number,
        ", ".join(missing_labels_ru(card.missing)),
    )


def _day(request: Request, name: str) -> date | None:
    value = (request.args.get(name) or "").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
        check_year(day)
    except ValueError as exc:
        message = YEARS_RU if str(exc) == YEARS_RU else "дата в виде ГГГГ-ММ-ДД, например 2026-11-27"
        raise ApiError(
            422, "validation_error", f"Проверьте параметры запроса — {name}: {message}", {name: message}
        ) from None
    return day


@bp.get("/")
@require(LINE1_ROLES)
async def list_cards(request: Request) -> HTTPResponse:
    """Cards registered in the period, in the order of their incoming numbers."""
    container: Container = request.app.ctx.container
    since, until = _day(request, "since"), _day(request, "until")
    if since and until and since > until:
        raise ApiError(422, "validation_error", "Проверьте параметры запроса — since позже until.")
    fmt = (request.args.get("format") or "json").lower()
    if fmt not in FORMATS:
        raise ApiError(422, "validation_error", "Проверьте параметры запроса — format: json, csv или xlsx.")
    cards = await cards_between(container.uow(), since, until)
    await pd_log.record(request, LIST_EXPORT, (c.ticket_number for c in cards))
    period = f"{since or 'начало'}_{until or 'сегодня'}"
    if fmt == "csv":
        return csv_response(f"регистрационные-карточки_{period}.csv", HEADER, [card_row(c) for c in cards])
    if fmt == "xlsx":
        return xlsx_response(
            f"регистрационные-карточки_{period}.xlsx", [("Входящие", HEADER, [card_row(c) for c in cards])]
        )
    return json({"items": [c.to_dict() for c in cards], "total": len(cards)})
