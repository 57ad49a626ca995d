"""Administration: staff users, the regional operators' directory (§2.3, §5.7), the calendar's extraordinary days,
the API tokens (who has which, until when; revoke one)."""

from __future__ import annotations

from datetime import date

from pydantic import ValidationError
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, redirect

from ticketing.bootstrap import Container
from ticketing.domain.access import STAFF_ROLES, ApiRole
from ticketing.domain.operators import regions_without_contacts
from ticketing.domain.staff import InvalidStaffUser, StaffUser
from ticketing.http.api_operators import OperatorIn
from ticketing.http.console.auth import form_get, staff_only
from ticketing.http.console.render import page
from ticketing.http.console.wiring import parts_of
from ticketing.http.schemas import errors_ru
from ticketing.services import calendar_days, staff, tokens
from ticketing.services import operators as operator_service
from ticketing.services.console_ports import DuplicateLogin

bp = Blueprint("console_admin", url_prefix="/console/admin")
ADMIN = (ApiRole.ADMIN,)
DONE_RU = {
    "created": "Сотрудник создан.",
    "saved": "Изменения сохранены.",
    "removed": "Запись удалена.",
    "revoked": "Токен отозван; процессы, видевшие его, примут его ещё не дольше 30 секунд.",
}


def _form(request: Request) -> dict[str, str]:
    return {k: form_get(request, k).strip() for k in request.form} if request.form else {}


def _regions(request: Request) -> tuple[str, ...]:
    container: Container = request.app.ctx.container
    chosen = request.form.getlist("regions") if request.form else []
    return tuple(r for r in chosen if container.regions.by_name(r) is not None)


def _role(raw: str) -> ApiRole:
    try:
        role = ApiRole(raw)
    except ValueError:
        raise InvalidStaffUser("Выберите роль из списка.") from None
    if role not in STAFF_ROLES:
        raise InvalidStaffUser("Выберите роль из списка.")
    return role


def _all_regions(container: Container) -> list[str]:
    return sorted(r.name for r in container.regions.all())


async def _users(request: Request, *, status: int = 200, error: str | None = None) -> HTTPResponse:
    container: Container = request.app.ctx.container
    return await page(
        request,
        "admin_users.html",
        status=status,
        section="admin",
        users=await staff.list_users(container.uow()),
        all_regions=_all_regions(container),
        staff_roles=[r.value for r in STAFF_ROLES],
        error=error,
        form=_form(request),
        done=DONE_RU.get(str(request.args.get("done", ""))),
        now=container.clock(),
    )


@bp.get("/users")
@staff_only(ADMIN)
async def users(request: Request) -> HTTPResponse:
    return await _users(request)


@bp.post("/users")
@staff_only(ADMIN)
async def create_user(request: Request) -> HTTPResponse:
    container: Container = request.app.ctx.container
    form = _form(request)
    try:
        await staff.create_user(
            container.uow(),
            login=form.get("login", ""),
            name=form.get("name", ""),
            role=_role(form.get("role", "")),
            password=form_get(request, "password"),
            regions=_regions(request),
            now=container.clock(),
        )
    except InvalidStaffUser as exc:
        return await _users(request, status=422, error=str(exc))
    except DuplicateLogin:
        return await _users(request, status=422, error=f"Логин «{form.get('login')}» уже занят.")
    return redirect("/console/admin/users?done=created", status=303)


async def _user_page(request: Request, user_id: int, *, status: int = 200, error: str | None = None) -> HTTPResponse:
    container: Container = request.app.ctx.container
    async with container.uow() as uow:
        user = await uow.staff.get(user_id)
    if user is None:
        return await page(request, "error.html", status=404, title="Не найдено", message="Такого сотрудника нет.")
    return await page(
        request,
        "admin_user.html",
        status=status,
        section="admin",
        person=user,
        all_regions=_all_regions(container),
        staff_roles=[r.value for r in STAFF_ROLES],
        error=error,
        done=DONE_RU.get(str(request.args.get("done", ""))),
        now=container.clock(),
    )


@bp.get("/users/<user_id:int>")
@staff_only(ADMIN)
async def user_page(request: Request, user_id: int) -> HTTPResponse:
    return await _user_page(request, user_id)


@bp.post("/users/<user_id:int>")
@staff_only(ADMIN)
async def update_user(request: Request, user_id: int) -> HTTPResponse:
    container: Container = request.app.ctx.container
    me: StaffUser = request.ctx.staff
    form = _form(request)
    disabled = form.get("disabled") == "1"
    password = form_get(request, "password")
    if user_id == me.id and (disabled or form.get("role") != ApiRole.ADMIN.value):
        return await _user_page(
            request, user_id, status=422, error="Нельзя отключить себя или снять с себя роль администратора."
        )
    try:
        changed = await staff.update_user(
            container.uow(),
            user_id,
            name=form.get("name", ""),
            role=_role(form.get("role", "")),
            regions=_regions(request),
            disabled=disabled,
            password=password or None,
        )
    except InvalidStaffUser as exc:
        return await _user_page(request, user_id, status=422, error=str(exc))
    if changed is None:
        return await _user_page(request, user_id)
    if disabled or password:
        await parts_of(request.app).sessions.end_all_of(user_id)  # a disabled or re-keyed account signs out now
    return redirect(f"/console/admin/users/{user_id}?done=saved", status=303)


async def _operators(request: Request, *, status: int = 200, error: str | None = None) -> HTTPResponse:
    container: Container = request.app.ctx.container
    async with container.uow() as uow:
        operators = await uow.operators.all()
    all_regions = _all_regions(container)
    return await page(
        request,
        "admin_operators.html",
        status=status,
        section="admin",
        operators=operators,
        all_regions=all_regions,
        missing=regions_without_contacts(all_regions, operators),
        error=error,
        form=_form(request),
        done=DONE_RU.get(str(request.args.get("done", ""))),
    )


@bp.get("/operators")
@staff_only(ADMIN)
async def operators(request: Request) -> HTTPResponse:
    return await _operators(request)


@bp.post("/operators")
@staff_only(ADMIN)
async def put_operator(request: Request) -> HTTPResponse:
    container: Container = request.app.ctx.container
    form = _form(request)
    region = container.regions.by_name(form.get("region", ""))
    if region is None:
        return await _operators(request, status=422, error="Выберите регион из списка.")
    try:
        body = OperatorIn.model_validate(
            {k: form.get(k, "") for k in ("organisation", "contact_person", "email", "phone")}
        )
    except ValidationError as exc:
        fields = "; ".join(f"{k}: {v}" for k, v in errors_ru(exc).items())
        return await _operators(request, status=422, error=f"Проверьте данные оператора — {fields}")
    await operator_service.save_operator(
        container.uow(), region=region.name, by=request.ctx.staff.name, now=container.clock(), **body.model_dump()
    )
    return redirect("/console/admin/operators?done=saved", status=303)


@bp.post("/operators/delete")
@staff_only(ADMIN)
async def delete_operator(request: Request) -> HTTPResponse:
    container: Container = request.app.ctx.container
    await operator_service.remove_operator(container.uow(), _form(request).get("region", ""))
    return redirect("/console/admin/operators?done=removed", status=303)


async def _calendar(request: Request, *, status: int = 200, error: str | None = None) -> HTTPResponse:
    container: Container = request.app.ctx.container
    return await page(
        request,
        "admin_calendar.html",
        status=status,
        section="admin",
        days=await calendar_days.list_days(container.uow()),
        error=error,
        form=_form(request),
        done=DONE_RU.get(str(request.args.get("done", ""))),
    )


@bp.get("/calendar")
@staff_only(ADMIN)
async def calendar(request: Request) -> HTTPResponse:
    return await _calendar(request)


@bp.post("/calendar")
@staff_only(ADMIN)
async def put_day(request: Request) -> HTTPResponse:
    """Record a day; deadlines count with it from now on (as ``PUT /api/v1/calendar/days``)."""
    container: Container = request.app.ctx.container
    form = _form(request)
    try:
        day = date.fromisoformat(form.get("day", ""))
    except ValueError:
        return await _calendar(request, status=422, error="Дата — в виде ГГГГ-ММ-ДД.")
    note = form.get("note", "")
    if not note or len(note) > 300:
        return await _calendar(
            request, status=422, error="Укажите основание (до 300 символов), например «Указ от … №…»."
        )
    container.calendar = await calendar_days.set_day(
        container.uow(),
        day=day,
        working=form.get("working") == "1",
        note=note,
        now=container.clock(),
        actor=request.ctx.staff.name,
    )
    return redirect("/console/admin/calendar?done=saved", status=303)


@bp.post("/calendar/delete")
@staff_only(ADMIN)
async def delete_day(request: Request) -> HTTPResponse:
    container: Container = request.app.ctx.container
    try:
        day = date.fromisoformat(_form(request).get("day", ""))
    except ValueError:
        return await _calendar(request, status=422, error="Дата — в виде ГГГГ-ММ-ДД.")
    calendar = await calendar_days.remove_day(container.uow(), day)
    if calendar is not None:
        container.calendar = calendar
    return redirect("/console/admin/calendar?done=removed", status=303)


async def _tokens(request: Request, *, status: int = 200, error: str | None = None) -> HTTPResponse:
    container: Container = request.app.ctx.container
    return await page(
        request,
        "admin_tokens.html",
        status=status,
        section="admin",
        tokens=await tokens.list_tokens(container.uow()),
        error=error,
        done=DONE_RU.get(str(request.args.get("done", ""))),
        now=container.clock(),
    )


@bp.get("/tokens")
@staff_only(ADMIN)
async def api_tokens(request: Request) -> HTTPResponse:
    return await _tokens(request)


@bp.post("/tokens/revoke")
@staff_only(ADMIN)
async def revoke_token(request: Request) -> HTTPResponse:
    container: Container = request.app.ctx.container
    raw = _form(request).get("id", "")
    revoked = await tokens.revoke_token(container.uow(), int(raw), now=container.clock()) if raw.isdigit() else None
    if revoked is None:
        return await _tokens(request, status=422, error="Этот токен уже отозван или его нет.")
    return redirect("/console/admin/tokens?done=revoked", status=303)
