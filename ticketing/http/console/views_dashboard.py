"""Control of speed and quality (§5.3): counts, medians, shares in time, tickets at risk, a chart, exports."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from ticketing.bootstrap import Container
from ticketing.domain.sla import MOSCOW
from ticketing.domain.staff import StaffUser
from ticketing.http.console.auth import staff_only
from ticketing.http.console.charts import days_chart
from ticketing.http.console.exports import QUEUE_HEADER, csv_response, queue_rows, xlsx_response
from ticketing.http.console.filters import region_choices
from ticketing.http.console.present import (
    CHANNEL_LABELS_RU,
    QUESTION_TYPE_LABELS_RU,
    REASON_RU,
    STATUS_RU,
    duration,
    line_name,
)
from ticketing.http.console.render import page
from ticketing.services import queues

bp = Blueprint("console_dashboard", url_prefix="/console")

DEFAULT_DAYS = 30


def _day(text: str, fallback: date) -> date:
    try:
        return date.fromisoformat(text) if text else fallback
    except ValueError:
        return fallback


async def collect(request: Request) -> dict[str, Any]:
    container: Container = request.app.ctx.container
    user: StaffUser = request.ctx.staff
    now = container.clock()
    today = now.astimezone(MOSCOW).date()
    first = _day(str(request.args.get("since", "")), today - timedelta(days=DEFAULT_DAYS - 1))
    last = _day(str(request.args.get("until", "")), today)
    if last < first:
        first, last = last, first
    region = str(request.args.get("region", ""))
    regions = region_choices(container, user)
    region = region if region in regions else ""
    since = datetime.combine(first, time(), tzinfo=MOSCOW)
    until = datetime.combine(last + timedelta(days=1), time(), tzinfo=MOSCOW)
    until_approach = queues.approach_until(now, container.calendar)
    async with container.uow() as uow:
        board = await uow.console.dashboard(
            now=now,
            approach_until=until_approach,
            since=since,
            until=until,
            scope=user.scope,
            region=region or None,
        )
    summary = board.summary
    at_risk = [(row, queues.row_state(row, now, until_approach)) for row in board.at_risk]
    answered = summary.answered_in_time + summary.answered_late
    return {
        "summary": summary,
        "board": board,
        "at_risk": at_risk,
        "share": summary.answered_in_time / answered if answered else None,
        "since": first.isoformat(),
        "until": last.isoformat(),
        "region": region,
        "regions": regions,
        "now": now,
    }


def summary_rows(data: dict[str, Any]) -> list[list[str | int | float | None]]:
    """The dashboard's numbers as «раздел; показатель; значение» for a spreadsheet."""
    summary, board = data["summary"], data["board"]
    rows: list[list[str | int | float | None]] = [
        ["Период", "с", data["since"]],
        ["Период", "по", data["until"]],
        ["Всего", "обращений", summary.total],
        ["Сроки", "открытых с нарушенным сроком", summary.open_breached],
        ["Сроки", "отвечено в срок", summary.answered_in_time],
        ["Сроки", "отвечено с нарушением срока", summary.answered_late],
        ["Скорость", "медиана до первого ответа", duration(board.median_first_answer)],
        ["Скорость", "медиана до решения", duration(board.median_resolution)],
    ]
    for title, values, labels in (
        ("По статусам", summary.by_status, STATUS_RU),
        ("Открытые по линиям", summary.by_line, {str(k): line_name(k) for k in (1, 2, 3)}),
        ("По каналам", summary.by_channel, CHANNEL_LABELS_RU),
        ("По регионам", summary.by_region, {}),
        ("По типу вопроса", summary.by_question_type, QUESTION_TYPE_LABELS_RU),
        ("Без ответа по причинам", summary.left_without_answer, REASON_RU),
    ):
        rows += [[title, labels.get(k, k), v] for k, v in values.items()]
    for line, share in board.in_time_by_line.items():
        rows.append(["В срок по линиям", line_name(line), f"{share.in_time} из {share.total}"])
    for region, share in board.in_time_by_region.items():
        rows.append(["В срок по регионам", region, f"{share.in_time} из {share.total}"])
    return rows


@bp.get("/dashboard")
@staff_only()
async def dashboard(request: Request) -> HTTPResponse:
    data = await collect(request)
    return await page(request, "dashboard.html", section="dashboard", chart=days_chart(data["board"].days), **data)


SUMMARY_HEADER = ("Раздел", "Показатель", "Значение")


@bp.get("/dashboard/export.csv")
@staff_only()
async def export_csv(request: Request) -> HTTPResponse:
    return csv_response("сводка.csv", SUMMARY_HEADER, summary_rows(await collect(request)))


@bp.get("/dashboard/export.xlsx")
@staff_only()
async def export_xlsx(request: Request) -> HTTPResponse:
    data = await collect(request)
    return xlsx_response(
        "сводка.xlsx",
        [
            ("Сводка", SUMMARY_HEADER, summary_rows(data)),
            ("Под угрозой срыва", QUEUE_HEADER, queue_rows(data["at_risk"])),
        ],
    )
