"""``/api/v1/known-issues``: the board of §5.5.

Line 3 (and admins) publish an issue and, once it is fixed, answer every linked requester in one
call; the bot asks ``/match`` when a pupil describes a technical problem and tells them what is
wrong and when it is expected to work (actions/known_issues.py).
"""

from __future__ import annotations

from typing import Any

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from procedure.limits import KNOWN_ISSUE_QUERY_MAX_CHARS
from ticketing.bootstrap import Container
from ticketing.config import flag
from ticketing.domain import lifecycle as lc
from ticketing.domain.access import ApiRole
from ticketing.domain.known_issues import InvalidIssue, KnownIssue
from ticketing.domain.sla import MOSCOW
from ticketing.http.api_transitions import body_of
from ticketing.http.auth import require
from ticketing.http.errors import ApiError
from ticketing.http.schemas import KnownIssueIn, ResolveIn
from ticketing.services import known_issues

bp = Blueprint("known_issues", url_prefix="/api/v1/known-issues", strict_slashes=False)

AUTHORS = (ApiRole.LINE3, ApiRole.ADMIN)  # §5.5: line 3 informs line 1 of errors being fixed


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
    if len(text) > KNOWN_ISSUE_QUERY_MAX_CHARS:
        message = f"Текст длиннее {KNOWN_ISSUE_QUERY_MAX_CHARS} символов: передайте его начало."
        raise ApiError(422, "validation_error", message, {"q": "слишком длинный"})
    issue = await known_issues.match(request.app.ctx.container.uow(), text)
    return json({"issue": issue_out(issue) if issue else None})


@bp.post("/")
@require(AUTHORS)
async def post_issue(request: Request) -> HTTPResponse:
    """Publish a known issue; line 1 sees it at once, the bot mentions it when a description matches."""
    body = body_of(request, KnownIssueIn)
    container: Container = request.app.ctx.container
    try:
        issue = await known_issues.post_issue(
            container.uow(),
            title=body.title,
            description=body.description,
            keywords=body.keywords,
            status=body.status,
            expected_on=body.expected_on,
            author=request.ctx.token.name,
            now=container.clock(),
        )
    except InvalidIssue as exc:
        raise ApiError(422, "validation_error", str(exc)) from exc
    return json(issue_out(issue), status=201, headers={"Location": f"/api/v1/known-issues/{issue.id}"})


def _issue_id(raw: str) -> int:
    if not raw.isdigit() or int(raw) <= 0:
        raise ApiError(404, "not_found", f"Известной проблемы «{raw}» нет: номер — целое число, например 12.")
    return int(raw)


@bp.post("/<issue_id:str>/resolve")
@require(AUTHORS)
async def resolve(request: Request, issue_id: str) -> HTTPResponse:
    """Mark the issue fixed and answer every linked ticket with ``text`` (§5.5, §6.3)."""
    number = _issue_id(issue_id)
    body = body_of(request, ResolveIn)
    container: Container = request.app.ctx.container
    token = request.ctx.token
    try:
        result = await known_issues.resolve(
            container.uow,
            number,
            text=body.text,
            actor=lc.Actor(name=token.name, role=token.role),
            scope=token.scope,
            now=container.clock(),
            bus=container.bus,
        )
    except InvalidIssue as exc:
        raise ApiError(422, "validation_error", str(exc), {"text": str(exc)}) from exc
    if result is None:
        raise ApiError(404, "not_found", f"Известной проблемы №{number} нет.")
    issue, outcome = result
    return json({"issue": issue_out(issue), "answered": outcome.done, "skipped": outcome.skipped})
