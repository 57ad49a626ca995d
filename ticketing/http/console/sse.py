"""``/console/events``: ticket events as server-sent events, so queues update without reloading.

Fed by ``container.bus`` (Redis pub/sub across workers, in-process on a laptop). A line-2 user
receives only the events of tickets in their scope (``domain.access``: line 2 its regions' tickets
handed to it, line 3 what was handed to it). A heartbeat every 15 s lets proxies keep the connection
and lets the server notice a closed tab; a stream ends after 10 minutes and the browser
reconnects by itself, so a server restart never strands anybody.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse

from ticketing.domain.actors import actor_label_ru
from ticketing.domain.staff import StaffUser
from ticketing.http.console.auth import staff_only

bp = Blueprint("console_events", url_prefix="/console")

HEARTBEAT_SECONDS = 15.0
STREAM_SECONDS = 600.0
RETRY_MS = 5000


def visible(user: StaffUser, message: dict[str, Any]) -> bool:
    return user.scope.can_see(region=message.get("region"), handed_to=message.get("handed_to") or ())


def frame(message: dict[str, Any]) -> str:
    """One event; ``actor_ru`` names who acted as the history does («чат-бот», not ``token:action-server``)."""
    if isinstance(message.get("actor"), str):
        message = {**message, "actor_ru": actor_label_ru(message["actor"])}
    return f"event: ticket\ndata: {json.dumps(message, ensure_ascii=False)}\n\n"


@bp.get("/events")
@staff_only()
async def events(request: Request) -> HTTPResponse | None:
    user: StaffUser = request.ctx.staff
    bus = request.app.ctx.container.bus
    inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=500)

    async def pump() -> None:
        async for message in bus.subscribe():
            if visible(user, message) and not inbox.full():
                inbox.put_nowait(message)

    response = await request.respond(
        content_type="text/event-stream; charset=utf-8",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
    task = asyncio.create_task(pump())
    loop = asyncio.get_running_loop()
    ends = loop.time() + STREAM_SECONDS
    try:
        await response.send(f"retry: {RETRY_MS}\n: connected\n\n")
        while loop.time() < ends:
            try:
                message = await asyncio.wait_for(inbox.get(), timeout=HEARTBEAT_SECONDS)
            except TimeoutError:
                await response.send(": heartbeat\n\n")
                continue
            await response.send(frame(message))
        await response.eof()
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    return None
