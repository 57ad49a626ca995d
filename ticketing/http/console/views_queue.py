"""Queues of every line, live over server-sent events, with exports of the filtered list."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, redirect

from ticketing.bootstrap import Container
from ticketing.domain.staff import StaffUser
from ticketing.http import pd_log
from ticketing.http.console.auth import form_get, staff_only
from ticketing.http.console.exports import QUEUE_HEADER, csv_response, queue_rows, xlsx_response
from ticketing.http.console.filters import (
    FILTER_KEYS,
    MAX_PAGE,
    SEARCH_COOKIE,
    Picked,
    picked,
    region_choices,
    search_cookie_value,
)
from ticketing.http.console.render import page, render
from ticketing.http.console.wiring import parts_of
from ticketing.services import queues
from ticketing.services.console_ports import QueueFilter
from ticketing.services.personal_data_ports import LIST_EXPORT

bp = Blueprint("console_queue", url_prefix="/console")

EXPORT_LIMIT = 50_000


def _tabs(user: StaffUser) -> list[queues.Tab]:
    return queues.tabs_for(user.role, user.name)


async def _context(request: Request) -> dict[str, Any]:
    container: Container = request.app.ctx.container
    user: StaffUser = request.ctx.staff
    tabs = _tabs(user)
    chosen = picked(request, container, user, [t.key for t in tabs])
    tab = next(t for t in tabs if t.key == chosen.tab)
    now = container.clock()
    rows, total = await queues.page(
        container.uow(),
        queues.narrowed(tab.base, chosen.flt),
        user.scope,
        now=now,
        calendar=container.calendar,
        offset=(chosen.page - 1) * queues.PAGE_SIZE,
    )
    counts = await queues.counts(container.uow(), tabs, user.scope, now=now, calendar=container.calendar)
    pages = min(MAX_PAGE, max(1, -(-total // queues.PAGE_SIZE)))
    return {
        "tabs": tabs,
        "counts": counts,
        "chosen": chosen,
        "rows": rows,
        "total": total,
        "pages": pages,
        "capped": total > MAX_PAGE * queues.PAGE_SIZE,
        "now": now,
        "regions": region_choices(container, user),
        "line3_due": tab.base.by_line3_due,
    }


@bp.get("/queue")
@staff_only()
async def queue(request: Request) -> HTTPResponse:
    return await page(request, "queue.html", section="queue", **await _context(request))


@bp.post("/queue")
@staff_only()
async def search(request: Request) -> HTTPResponse:
    """The filter form: the search goes into the console's cookie, the rest into the URL it redirects to.

    An e-mail or a login typed into «Поиск» is personal data; in a URL it would stay in access logs,
    proxies and the browser's history (152-ФЗ), so no link of the console carries it (filters.py).
    «Сбросить» posts the form empty.
    """
    tabs = [t.key for t in _tabs(request.ctx.staff)]
    tab = form_get(request, "tab").strip()
    chosen = Picked(
        tab=tab if tab in tabs else tabs[0],
        flt=QueueFilter(),
        page=1,
        query={k: v for k in FILTER_KEYS if (v := form_get(request, k).strip())},
    )
    response = redirect(chosen.url("/console/queue"), status=303)
    wanted = form_get(request, "q").strip()
    if wanted:
        response.add_cookie(
            SEARCH_COOKIE,
            search_cookie_value(wanted),
            path="/console",
            httponly=True,
            samesite="Strict",
            secure=parts_of(request.app).settings.secure_cookies,
        )
    else:
        response.delete_cookie(SEARCH_COOKIE, path="/console")
    return response


@bp.get("/queue/live")
@staff_only()
async def queue_live(request: Request) -> HTTPResponse:
    """The tabs and the table alone: the page's script swaps them in when an event arrives."""
    return render(request, "_queue_live.html", **await _context(request))


async def _export_rows(request: Request) -> tuple[Picked, list[list[str | int | float | None]]]:
    container: Container = request.app.ctx.container
    user: StaffUser = request.ctx.staff
    tabs = _tabs(user)
    chosen = picked(request, container, user, [t.key for t in tabs])
    tab = next(t for t in tabs if t.key == chosen.tab)
    rows, _ = await queues.page(
        container.uow(),
        queues.narrowed(tab.base, chosen.flt),
        user.scope,
        now=container.clock(),
        calendar=container.calendar,
        limit=EXPORT_LIMIT,
    )
    return replace(chosen, page=1), queue_rows(rows)


def _subject(request: Request, chosen: Picked) -> str:
    """What the access log says was exported: the filters and the search (masked by pd_log.record)."""
    return chosen.url(request.path) + (f" поиск: {chosen.search}" if chosen.search else "")


@bp.get("/queue/export.csv")
@staff_only()
async def export_csv(request: Request) -> HTTPResponse:
    chosen, rows = await _export_rows(request)
    await pd_log.record(request, LIST_EXPORT, (str(row[0]) for row in rows), _subject(request, chosen))
    return csv_response("обращения.csv", QUEUE_HEADER, rows)


@bp.get("/queue/export.xlsx")
@staff_only()
async def export_xlsx(request: Request) -> HTTPResponse:
    chosen, rows = await _export_rows(request)
    await pd_log.record(request, LIST_EXPORT, (str(row[0]) for row in rows), _subject(request, chosen))
    return xlsx_response("обращения.xlsx", [("Обращения", QUEUE_HEADER, rows)])
