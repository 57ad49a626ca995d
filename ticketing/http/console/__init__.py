"""The staff console: server-rendered pages in Russian under ``/console`` for lines 1–3 and admins."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sanic import Blueprint, Request, Sanic
from sanic.exceptions import NotFound
from sanic.response import HTTPResponse

from ticketing.http.console import (
    sse,
    views_admin,
    views_auth,
    views_dashboard,
    views_issues,
    views_letters,
    views_queue,
    views_ticket,
)
from ticketing.http.console.render import render

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"


def install(app: Sanic[Any, Any]) -> None:
    """Register the console's blueprints (with their static files and HTML error pages) on ``app``."""
    for bp in BLUEPRINTS:
        app.blueprint(bp)


async def _not_found(request: Request, exc: Exception) -> HTTPResponse:
    return render(request, "error.html", status=404, title="Не найдено", message="Такой страницы нет.")


async def _failed(request: Request, exc: Exception) -> HTTPResponse:
    """A page in Russian instead of the API's JSON; the trace goes to the log, not to the person."""
    log.exception("console error on %s %s", request.method, request.path)
    message = "Что-то пошло не так. Мы уже знаем об ошибке; обновите страницу или повторите позже."
    return render(request, "error.html", status=500, title="Ошибка", message=message)


_static = Blueprint("console_static", url_prefix="/console")
_static.static("/static", STATIC, name="files")
BLUEPRINTS = (
    views_auth.bp,
    views_queue.bp,
    views_ticket.bp,
    views_letters.bp,
    views_issues.bp,
    views_dashboard.bp,
    views_admin.bp,
    sse.bp,
    _static,
)
for _bp in BLUEPRINTS:
    _bp.exception(NotFound, IsADirectoryError)(_not_found)  # /console/static/ itself is no page
    _bp.exception(Exception)(_failed)
