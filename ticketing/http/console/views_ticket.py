"""The ticket page and its actions: every action is a form (POST + CSRF) over the domain's transitions."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote, unquote

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, redirect

from procedure.ticket_numbers import parse_number
from ticketing.bootstrap import Container
from ticketing.domain import lifecycle as lc
from ticketing.domain.access import LINE1_ROLES, STAFF_ROLES, ApiRole
from ticketing.domain.deadline_state import deadline_state, line3_state, line3_target
from ticketing.domain.deliveries import DeliveryStatus
from ticketing.domain.mail.cards import missing_labels_ru
from ticketing.domain.staff import StaffUser
from ticketing.domain.tickets import Status, Ticket
from ticketing.http import pd_log
from ticketing.http.console.auth import form_get, staff_only
from ticketing.http.console.present import transcript_rows
from ticketing.http.console.render import page
from ticketing.http.console.wiring import parts_of
from ticketing.http.paths import number_in_path
from ticketing.services import known_issues, replies
from ticketing.services import operators as operator_service
from ticketing.services import tickets as ticket_service
from ticketing.services.mail_ports import IN
from ticketing.services.personal_data_ports import TICKET_CARD
from ticketing.services.transitions import TicketNotFound, act, act_with_related
from ticketing.services.unit_of_work import ConcurrentUpdate

bp = Blueprint("console_ticket", url_prefix="/console")

ACTION_ROLES: dict[str, tuple[ApiRole, ...]] = {
    "claim": STAFF_ROLES,
    "reply": LINE1_ROLES,
    "transfer": LINE1_ROLES,
    "return": (ApiRole.LINE2, ApiRole.LINE3, ApiRole.ADMIN),
    "close": LINE1_ROLES,
    "leave": LINE1_ROLES,
    "repeat": LINE1_ROLES,
    "reopen": LINE1_ROLES,
    "link": STAFF_ROLES,
}
DONE_RU = {
    "claim": "Обращение взято в работу.",
    "reply": "Ответ записан и доставлен в чат заявителя.",
    "reply_both": "Ответ записан и доставлен в чат заявителя; копия уйдёт письмом на почту, которую он указал.",
    "reply_pending_both": "Ответ записан, но в чат пока не доставлен: сервер бота недоступен. Система повторит "
    "доставку сама, а копия уйдёт письмом на почту заявителя — состояние видно в разделе «Доставка ответов».",
    "reply_pending": "Ответ записан, но в чат пока не доставлен: сервер бота недоступен. "
    "Система повторит доставку сама — состояние видно в разделе «Доставка ответов».",
    "reply_mail": "Ответ записан и поставлен в очередь писем: почтовый обработчик отправит его заявителю "
    "в ту же переписку. Состояние видно в разделе «Доставка ответов».",
    "transfer": "Обращение передано.",
    "return": "Обращение возвращено на первую линию.",
    "close": "Обращение закрыто.",
    "leave": "Обращение оставлено без ответа.",
    "repeat": "Обращение отмечено как повтор и оставлено без ответа (п. 4.9).",
    "reopen": "Обращение переоткрыто.",
    "link": "Обращение связано с известной проблемой.",
}
MAX_TEXT = 20_000
MAX_COMMENT = 5_000


def ticket_url(number: str, **params: str) -> str:
    query = "&".join(f"{k}={quote(v)}" for k, v in params.items())
    return f"/console/tickets/{quote(number)}" + (f"?{query}" if query else "")


async def not_found(request: Request, raw: str) -> HTTPResponse:
    message = f"Обращение «{unquote(raw)}» не найдено (или оно вне ваших регионов). Номер выглядит так: БВБ-000123."
    return await page(request, "error.html", status=404, title="Не найдено", message=message)


async def show(request: Request, number: str, *, status: int = 200, error: str | None = None) -> HTTPResponse:
    container: Container = request.app.ctx.container
    user: StaffUser = request.ctx.staff
    ticket = await ticket_service.get_ticket(container.uow(), number, user.scope)
    if ticket is None:
        return await not_found(request, number)
    if request.method == "GET":  # a page after an action shows what the actor has just seen
        await pd_log.record(request, TICKET_CARD, [ticket.number])
    now = container.clock()
    async with container.uow() as uow:
        deliveries = await uow.deliveries.of_ticket(number)
        linked = await uow.known_issues.issues_of(number)
        active = await uow.known_issues.all_issues(active_only=True)
        card = await uow.registration.of_ticket(number)
        letters = [m for m in await uow.mail.thread(number) if m.direction == IN]
    operator = await operator_service.contacts_of(container.uow(), ticket.region) if ticket.region else None
    done = str(request.args.get("done", ""))
    scenarios = parts_of(request.app).current_scenarios()
    return await page(
        request,
        "ticket.html",
        status=status,
        section="queue",
        ticket=ticket,
        state=deadline_state(ticket, now, container.calendar).value,
        # Line 3 works to its own 24 hours (§5.5); the requester's deadline stays visible beside it.
        line3_due=line3_target(ticket.status.value, ticket.line3_due_at) if user.line == 3 else None,
        line3_state=line3_state(ticket.status.value, ticket.line3_due_at, now).value,
        now=now,
        deliveries=deliveries,
        linked=linked,
        linkable=[i for i in active if i.id not in {x.id for x in linked}],
        operator=operator,
        card=card,
        missing_ru=missing_labels_ru(card.missing) if card else [],
        letters=letters,
        scenarios=scenarios,
        transcript=transcript_rows(ticket.transcript, {s.key: s.title for s in scenarios if s.title}),
        can=abilities(user, ticket),
        done=DONE_RU.get(done),
        error=error,
        form={k: request.form.get(k) for k in request.form} if request.method == "POST" and request.form else {},
        form_action=request.path.rsplit("/", 1)[-1] if request.method == "POST" else "",
        DeliveryStatus=DeliveryStatus,
    )


def abilities(user: StaffUser, ticket: Ticket) -> dict[str, bool]:
    """Which forms to show; the domain still decides, these only spare people dead buttons."""
    line = user.line
    open_ = ticket.status in lc.OPEN_STATES
    on_line1 = line == 1 and ticket.line == 1 and ticket.status in (Status.NEW, Status.IN_PROGRESS)
    waiting = ticket.status in (Status.WAITING_LINE2, Status.WAITING_LINE3)
    return {
        "claim": open_ and ticket.line == line and ticket.assignee != user.name,
        "reply": on_line1,
        "transfer": on_line1,
        "return": waiting and (user.role is ApiRole.ADMIN or ticket.line == line),
        "close": line == 1 and ticket.status is Status.ANSWERED,
        "leave": line == 1 and open_,
        "reopen": line == 1 and not open_,
        "link": True,
    }


@bp.get("/tickets/<raw:str>")
@staff_only()
async def ticket_page(request: Request, raw: str) -> HTTPResponse:
    number = number_in_path(raw)
    if number is None:
        return await not_found(request, raw)
    return await show(request, number)


def _field(request: Request, name: str, limit: int = MAX_COMMENT) -> str:
    value = form_get(request, name).strip()
    if len(value) > limit:
        raise lc.IllegalTransition(f"Текст длиннее {limit} символов: сократите его.")
    return value


def _change(request: Request, action: str, actor: lc.Actor) -> Callable[[Ticket], object]:
    container: Container = request.app.ctx.container
    now = container.clock()
    if action == "claim":
        return lambda t: lc.claim(t, actor, now)
    if action == "transfer":
        to_line = _field(request, "line")
        comment = _field(request, "comment")
        line = int(to_line) if to_line in ("2", "3") else 0
        return lambda t: lc.transfer(t, actor, now, to_line=line, comment=comment, calendar=container.calendar)
    if action == "return":
        comment = _field(request, "comment")
        return lambda t: lc.return_to_line1(t, actor, now, comment=comment)
    if action == "close":
        comment = _field(request, "comment")
        return lambda t: lc.close(t, actor, now, comment=comment)
    if action == "leave":
        reason, comment = _field(request, "reason"), _field(request, "comment")
        return lambda t: lc.leave_without_answer(t, actor, now, reason=reason, comment=comment)
    if action == "reopen":
        comment = _field(request, "comment")
        return lambda t: lc.reopen(t, actor, now, comment=comment)
    raise lc.IllegalTransition("Неизвестное действие.")


async def _perform(request: Request, number: str, action: str) -> str:
    """Run the action; returns the key of the success message."""
    container: Container = request.app.ctx.container
    user: StaffUser = request.ctx.staff
    actor, now = user.actor, container.clock()
    if action == "reply":
        ids = [int(q) for q in (request.form.getlist("questions") if request.form else []) if str(q).isdigit()]
        answered, delivery = await replies.reply(
            container.uow(),
            number,
            user.scope,
            actor,
            text=_field(request, "text", MAX_TEXT),
            question_ids=ids or None,
            now=now,
            bus=container.bus,
        )
        if delivery.status is DeliveryStatus.MANUAL:
            return "reply_mail"
        result = await replies.attempt(container.uow(), parts_of(request.app).sender, delivery, now)
        key = "reply" if result.status is DeliveryStatus.DELIVERED else "reply_pending"
        return f"{key}_both" if replies.mail_copy(answered, "", now) is not None else key
    if action == "repeat":
        earlier = parse_number(_field(request, "repeat_of"))
        if earlier is None:
            raise lc.IllegalTransition("Укажите номер прежнего обращения, например БВБ-000123.")
        comment = _field(request, "comment")
        await act_with_related(
            container.uow(),
            number,
            earlier,
            user.scope,
            lambda t, other: lc.leave_without_answer(
                t, actor, now, reason=lc.LeaveReason.REPEAT.value, comment=comment, repeat_of=other
            ),
            bus=container.bus,
        )
        return action
    if action == "link":
        issue = _field(request, "issue_id")
        if not issue.isdigit():
            raise lc.IllegalTransition(
                "Выберите в списке «Связать с известной проблемой» ту проблему, о которой пишет заявитель: "
                "без выбора обращение ни с чем не связано."
            )
        await known_issues.link_ticket(
            container.uow(), number, user.scope, actor, int(issue), now=now, bus=container.bus
        )
        return action
    await act(container.uow(), number, user.scope, _change(request, action, actor), bus=container.bus)
    return action


@bp.post("/tickets/<raw:str>/<action:str>")
@staff_only()
async def ticket_action(request: Request, raw: str, action: str) -> HTTPResponse:
    user: StaffUser = request.ctx.staff
    number = number_in_path(raw)
    if number is None or action not in ACTION_ROLES:
        return await not_found(request, raw)
    if user.role not in ACTION_ROLES[action]:
        return await show(request, number, status=403, error="Это действие недоступно для вашей роли.")
    try:
        done = await _perform(request, number, action)
    except TicketNotFound:
        return await not_found(request, raw)
    except lc.IllegalTransition as exc:
        return await show(request, number, status=409, error=str(exc))
    except ConcurrentUpdate:
        message = "Обращение только что изменил кто-то другой. Проверьте, что изменилось, и повторите."
        return await show(request, number, status=409, error=message)
    return redirect(ticket_url(number, done=done), status=303)
