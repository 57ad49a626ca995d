"""``/api/v1/known-issues``: the board of §5.5 for the bot, which mentions a known issue when a question matches."""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from ticketing.config import flag
from ticketing.domain.known_issues import KnownIssue
from ticketing.domain.sla import MOSCOW
from ticketing.http.auth import require
from ticketing.http.errors import ApiError
from ticketing.services import known_issues

bp = Blueprint("known_issues", url_prefix="/api/v1/known-issues", strict_slashes=False)


def issue_out(issue: KnownIssue) -> dict[str, Any]:
    return {
        "id": issue.id,
        "title": issue.title,
        "description": issue.description,
        "status": issue.status.value,
        "status_label": issue.status_label_ru,
        "expected_on": issue.expected_on.isoformat() if issue.expected_on else None,
        "updated_at": issue.updated_at.astimezone(MOSCOW).isoformat(),
    }


@bp.get("/")
@require()
async def list_issues(request: Request) -> HTTPResponse:
    """Known issues, newest first; ``?active=true`` leaves out the fixed ones."""
    try:
        active = flag(request.args.get("active"), "active", default=False)
    except ValueError as exc:
        raise ApiError(422, "validation_error", str(exc), {"active": "1 или 0"}) from None
    issues = await known_issues.list_issues(request.app.ctx.container.uow(), active_only=active)
    return json({"items": [issue_out(i) for i, _ in issues]})


@bp.get("/match")
@require()
async def match(request: Request) -> HTTPResponse:
    """The active issue the text most likely speaks about, or ``{"issue": null}``."""
    text = str(request.args.get("q", "")).strip()
    if not text:
        raise ApiError(422, "validation_error", "Укажите текст вопроса: ?q=…", {"q": "обязательный параметр"})
    if len(text) > 5000:
        raise ApiError(422, "validation_error", "Текст длиннее 5000 символов.", {"q": "слишком длинный"})
    issue = await known_issues.match(request.app.ctx.container.uow(), text)
    return json({"issue": issue_out(issue) if issue else None})
