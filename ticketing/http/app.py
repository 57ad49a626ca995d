"""The Sanic application factory: no side effects at import, resources open in listeners."""

from __future__ import annotations

import functools
import itertools
import json as stdlib_json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sanic import Request, Sanic
from sanic.response import HTTPResponse, json
from sqlalchemy import text

from ticketing.bootstrap import Container, build_container, utc_now
from ticketing.config import Settings
from ticketing.http import (
    api_admin,
    api_known_issues,
    api_operators,
    api_pd,
    api_regions,
    api_registration,
    api_screen,
    api_tickets,
    api_transitions,
    chat,
    console,
    help,
    openapi,
)
from ticketing.http.background import run_daily, run_rounds
from ticketing.http.console.wiring import parts_of
from ticketing.http.errors import error_response, install_error_handlers, install_security_headers
from ticketing.services.calendar_days import load_calendar

_app_ids = itertools.count()

MAX_BODY_BYTES = 2 * 1024 * 1024
# Request line and headers: Sanic's ceiling, so that the longest query the document allows (procedure.limits) fits.
MAX_HEADER_BYTES = 16_384


def create_app(
    settings: Settings | None = None,
    *,
    clock: Callable[[], datetime] = utc_now,
    name: str | None = None,
    container: Container | None = None,
) -> Sanic[Any, Any]:
    """Build the ticketing app; the container (engine, calendar, regions) opens at server start.

    Args:
        settings: configuration; read from the environment when omitted.
        clock: "now" for deadlines; tests pass a fixed one.
        name: Sanic's app registry needs unique names when tests build several apps.
        container: a ready container owned by the caller (tests); the app then neither
            builds nor closes one.
    """
    settings = settings or Settings.from_env()
    # Russian text stays readable in curl and logs instead of \uXXXX escapes.
    dumps = functools.partial(stdlib_json.dumps, ensure_ascii=False, separators=(",", ":"))
    app = Sanic(name or f"ticketing{next(_app_ids) or ''}", dumps=dumps)
    app.config.REQUEST_MAX_SIZE = MAX_BODY_BYTES
    app.config.REQUEST_MAX_HEADER_SIZE = MAX_HEADER_BYTES
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.ctx.settings = settings
    app.ctx.openapi = openapi.build_document()
    app.ctx.container = container

    if container is None:

        @app.before_server_start
        async def _open(app: Sanic[Any, Any]) -> None:
            app.ctx.container = build_container(settings, clock=clock)
            app.ctx.container.calendar = await load_calendar(app.ctx.container.uow())

        @app.after_server_start
        async def _start_rounds(app: Sanic[Any, Any]) -> None:
            app.add_task(run_rounds(app.ctx.container, parts_of(app).sender), name="background-rounds")
            app.add_task(run_daily(app.ctx.container), name="daily-jobs")  # PD_ANONYMISE_HOUR (152-ФЗ)

        @app.before_server_stop
        async def _stop_rounds(app: Sanic[Any, Any]) -> None:
            await app.cancel_task("background-rounds", raise_exception=False)
            await app.cancel_task("daily-jobs", raise_exception=False)

        @app.after_server_stop
        async def _close(app: Sanic[Any, Any]) -> None:
            await app.ctx.container.close()

    @app.get("/healthz")
    async def healthz(request: Request) -> HTTPResponse:
        """Liveness and database reachability, for process runners and load balancers."""
        try:
            async with request.app.ctx.container.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception:
            return error_response(503, "database_unavailable", "База данных недоступна.")
        return json({"status": "ok"})

    install_error_handlers(app)
    install_security_headers(app)
    app.blueprint(openapi.bp)
    app.blueprint(api_tickets.bp)
    app.blueprint(api_transitions.bp)
    app.blueprint(api_screen.bp)
    app.blueprint(api_admin.bp)
    app.blueprint(api_pd.bp)  # personal data on request (152-ФЗ), admin only
    app.blueprint(api_operators.bp)
    app.blueprint(api_regions.bp)
    app.blueprint(api_known_issues.bp)
    app.blueprint(help.bp)  # /help: the public help page from the bot's scenario texts (§4.2.2.3)
    app.blueprint(api_registration.bp)
    console.install(app)
    chat.install(app)  # /chat: the widget of the site and the personal account, a proxy to Rasa (§4.2.2.1)
    return app
