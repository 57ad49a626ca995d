"""``/api/v1/regions``: the federal subjects and the resolver of what people write."""

from __future__ import annotations

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from ticketing.bootstrap import Container
from ticketing.http.auth import require
from ticketing.http.errors import ApiError
from ticketing.http.schemas import RegionOut, Resolution

bp = Blueprint("regions", url_prefix="/api/v1/regions", strict_slashes=False)

MAX_QUERY = 200


@bp.get("/")
@require()
async def list_regions(request: Request) -> HTTPResponse:
    container: Container = request.app.ctx.container
    return json(
        [
            RegionOut(code=r.code, name=r.name, timezone=r.timezone, capital=r.capital).model_dump()
            for r in container.regions.all()
        ]
    )


@bp.get("/resolve")
@require()
async def resolve_region(request: Request) -> HTTPResponse:
    """``?q=из Свердловской обл.`` → the official name, or candidates when ambiguous."""
    container: Container = request.app.ctx.container
    text = request.args.get("q", "")
    if not text.strip():
        raise ApiError(
            422,
            "validation_error",
            "Передайте текст в параметре q, например ?q=Татарстан.",
            {"q": "обязательный параметр"},
        )
    if len(text) > MAX_QUERY:
        raise ApiError(422, "validation_error", f"Параметр q длиннее {MAX_QUERY} символов.", {"q": "слишком длинно"})
    resolution = container.regions.resolve(text)
    body = Resolution(
        region=resolution.region.name if resolution.region else None,
        candidates=[r.name for r in resolution.candidates],
    )
    return json(body.model_dump())
