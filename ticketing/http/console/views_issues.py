"""The known-issues board (§5.5): line 3 posts, line 1 sees and answers the linked requesters."""

from __future__ import annotations

from datetime import date

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, redirect

from ticketing.bootstrap import Container
from ticketing.domain.access import LINE1_ROLES, ApiRole
from ticketing.domain.deliveries import DeliveryStatus
from ticketing.domain.known_issues import InvalidIssue, IssueStatus, fixed_reply_ru
from ticketing.domain.staff import StaffUser
from ticketing.http.console.auth import form_get, staff_only
from ticketing.http.console.render import page
from ticketing.http.console.wiring import parts_of
from ticketing.services import known_issues, replies
from ticketing.services.tickets import get_ticket

bp = Blueprint("console_issues", url_prefix="/console")

AUTHORS = (ApiRole.LINE3, ApiRole.ADMIN)
ANSWERERS = LINE1_ROLES


def _issue_form(request: Request) -> dict[str, object]:
    try:
        status = IssueStatus(form_get(request, "status"))
    except ValueError:
        raise InvalidIssue("Выберите состояние проблемы из списка.") from None
    raw_date = form_get(request, "expected_on").strip()
    try:
        expected = date.fromisoformat(raw_date) if raw_date else None
    except ValueError:
        raise InvalidIssue("Ожидаемая дата — в виде ГГГГ-ММ-ДД.") from None
    return {
        "title": form_get(request, "title"),
        "description": form_get(request, "description"),
        "keywords": form_get(request, "keywords"),
        "status": status,
        "expected_on": expected,
    }


async def _board(request: Request, *, status: int = 200, error: str | None = None) -> HTTPResponse:
    issues = await known_issues.list_issues(request.app.ctx.container.uow(), active_only=False)
    return await page(
        request,
        "issues.html",
        status=status,
        section="issues",
        issues=issues,
        error=error,
        form={k: request.form.get(k) for k in request.form} if request.form else {},
        can_post=request.ctx.staff.role in AUTHORS,
        IssueStatus=IssueStatus,
    )


@bp.get("/known-issues")
@staff_only()
async def board(request: Request) -> HTTPResponse:
    return await _board(request)


@bp.post("/known-issues")
@staff_only(AUTHORS)
async def post_issue(request: Request) -> HTTPResponse:
    container: Container = request.app.ctx.container
    try:
        issue = await known_issues.post_issue(
            container.uow(),
            author=request.ctx.staff.name,
            now=container.clock(),
            **_issue_form(request),  # type: ignore[arg-type]
        )
    except InvalidIssue as exc:
        return await _board(request, status=422, error=str(exc))
    return redirect(f"/console/known-issues/{issue.id}?done=posted", status=303)


async def _issue_page(
    request: Request, issue_id: int, *, status: int = 200, error: str | None = None, notice: str | None = None
) -> HTTPResponse:
    container: Container = request.app.ctx.container
    found = await known_issues.get_issue(container.uow(), issue_id)
    if found is None:
        return await page(
            request, "error.html", status=404, title="Не найдено", message="Такой известной проблемы нет."
        )
    issue, numbers = found
    user: StaffUser = request.ctx.staff
    visible = numbers
    if user.scope.confined:  # lines 2 and 3 see only the tickets of their scope, even as links
        visible = [n for n in numbers if await get_ticket(container.uow(), n, user.scope) is not None]
    done = {"posted": "Проблема опубликована.", "saved": "Изменения сохранены."}.get(str(request.args.get("done", "")))
    return await page(
        request,
        "issue.html",
        status=status,
        section="issues",
        issue=issue,
        numbers=visible,
        error=error,
        notice=notice or done,
        can_edit=user.role in AUTHORS,
        can_answer=user.role in ANSWERERS and issue.status is IssueStatus.FIXED and bool(numbers),
        default_reply=fixed_reply_ru(issue),
        IssueStatus=IssueStatus,
    )


@bp.get("/known-issues/<issue_id:int>")
@staff_only()
async def issue_page(request: Request, issue_id: int) -> HTTPResponse:
    return await _issue_page(request, issue_id)


@bp.post("/known-issues/<issue_id:int>")
@staff_only(AUTHORS)
async def update_issue(request: Request, issue_id: int) -> HTTPResponse:
    container: Container = request.app.ctx.container
    user: StaffUser = request.ctx.staff
    try:
        result = await known_issues.update_issue(
            container.uow,
            issue_id,
            actor=user.actor,
            scope=user.scope,
            now=container.clock(),
            bus=container.bus,
            **_issue_form(request),  # type: ignore[arg-type]
        )
    except InvalidIssue as exc:
        return await _issue_page(request, issue_id, status=422, error=str(exc))
    if result is None:
        return await _issue_page(request, issue_id)
    _, outcome = result
    if outcome.done:
        notice = f"Сохранено. Возвращены на первую линию для ответа: {', '.join(outcome.done)}."
        return await _issue_page(request, issue_id, notice=notice)
    return redirect(f"/console/known-issues/{issue_id}?done=saved", status=303)


@bp.post("/known-issues/<issue_id:int>/answer-all")
@staff_only(ANSWERERS)
async def answer_all(request: Request, issue_id: int) -> HTTPResponse:
    """One action answers every linked requester, each through the normal answer path (§6.3)."""
    container: Container = request.app.ctx.container
    user: StaffUser = request.ctx.staff
    now = container.clock()
    try:
        outcome = await known_issues.answer_linked(
            container.uow,
            issue_id,
            scope=user.scope,
            actor=user.actor,
            text=form_get(request, "text"),
            now=now,
            bus=container.bus,
        )
    except InvalidIssue as exc:
        return await _issue_page(request, issue_id, status=422, error=str(exc))
    sender = parts_of(request.app).sender
    pending = 0
    for delivery in outcome.deliveries:
        if delivery.status is DeliveryStatus.PENDING:
            result = await replies.attempt(container.uow(), sender, delivery, now)
            pending += result.status is DeliveryStatus.PENDING
    parts = [
        f"Ответ отправлен по {len(outcome.done)} обращениям." if outcome.done else "Ни одно обращение не отвечено."
    ]
    if pending:
        parts.append(f"В чат пока не доставлено {pending}: система повторит сама.")
    if outcome.skipped:
        parts.append("Пропущены: " + "; ".join(f"{n} — {why}" for n, why in outcome.skipped.items()))
    return await _issue_page(request, issue_id, notice=" ".join(parts))
