"""``POST /api/v1/screen``: the procedure's screening rules for any text (§4.7–4.9).

The bot asks it for every message and the mail channels for every letter, so both apply
one engine.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from ticketing.bootstrap import Container
from ticketing.http.api_tickets import json_body, validation_error
from ticketing.http.auth import require
from ticketing.http.schemas import errors_ru

bp = Blueprint("screen", url_prefix="/api/v1/screen", strict_slashes=False)


class ScreenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=100_000)


class ScreenOut(BaseModel):
    verdict: str = Field(description="ok, foreign_language, abusive или threat")
    language: str = Field(description="код языка ISO 639-1")
    reasons: list[str]
    no_question: bool = Field(description="нет конкретного вопроса (п. 4.9): бот уточняет вопрос")


@bp.post("/")
@require()
async def screen(request: Request) -> HTTPResponse:
    container: Container = request.app.ctx.container
    try:
        body = ScreenIn.model_validate(json_body(request))
    except ValidationError as exc:
        raise validation_error(errors_ru(exc), "запрос") from exc
    return json(ScreenOut(**container.screening.screen(body.text).to_dict()).model_dump())
