"""Sessions, roles and CSRF for every console route.

Every handler is wrapped by :func:`staff_only`: no session → the sign-in page (or 401 for
scripts), a role outside ``roles`` → 403, a POST without the session's CSRF token → 403. The
user is re-read on every request, so disabling a user or changing their regions acts at once.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable, Iterable
from functools import wraps
from typing import Any
from urllib.parse import quote, urlsplit

from sanic import Request
from sanic.response import HTTPResponse, redirect

from procedure.text_safety import neutralise
from ticketing.domain.access import ApiRole
from ticketing.domain.staff import StaffUser
from ticketing.http.console.render import render
from ticketing.http.console.wiring import parts_of
from ticketing.services.sessions import Session
from ticketing.services.staff import active_user

COOKIE = "bvb_console"
LOGIN_CSRF_COOKIE = "bvb_console_login"
Handler = Callable[..., Awaitable[HTTPResponse | None]]


def set_session_cookie(request: Request, response: HTTPResponse, secret: str, max_age: int) -> None:
    response.add_cookie(
        COOKIE,
        secret,
        path="/console",
        httponly=True,
        samesite="Lax",
        secure=parts_of(request.app).settings.secure_cookies,
        max_age=max_age,
    )


def clear_session_cookie(response: HTTPResponse) -> None:
    response.delete_cookie(COOKIE, path="/console")


async def current(request: Request) -> tuple[StaffUser, Session, str] | None:
    secret = request.cookies.get(COOKIE)
    if not secret:
        return None
    container = request.app.ctx.container
    store = parts_of(request.app).sessions
    session = await store.get(secret, now=container.clock())
    if session is None:
        return None
    user = await active_user(container.uow(), session.user_id)
    if user is None:
        await store.end(secret)
        return None
    return user, session, secret


def same_origin(request: Request) -> bool:
    """A browser names the page a form came from; another site's form is refused even with a cookie."""
    origin = request.headers.get("origin")
    if not origin:
        return True  # older browsers and scripts send none; the CSRF token still has to match
    return bool(urlsplit(origin).netloc == request.host)


def csrf_ok(request: Request, expected: str) -> bool:
    sent = str(form_get(request, "csrf_token") or request.headers.get("x-csrf-token", ""))
    return bool(sent) and hmac.compare_digest(sent, expected) and same_origin(request)


def form_get(request: Request, name: str) -> str:
    """One field of a posted form, not stripped, or "" (also when there is no form).

    What staff type is neutralised like every entry (procedure.text_safety: no control characters or
    bidi overrides); a password is taken as typed, since it is only ever hashed.
    """
    form = request.form
    value = form.get(name) if form else None
    if value is None:
        return ""
    return str(value) if name == "password" else neutralise(str(value))


def forbidden(request: Request, message: str, status: int = 403) -> HTTPResponse:
    return render(request, "error.html", status=status, title="Нет доступа", message=message)


def staff_only(roles: Iterable[ApiRole] | None = None) -> Callable[[Handler], Handler]:
    allowed = frozenset(roles) if roles is not None else None

    def decorator(handler: Handler) -> Handler:
        @wraps(handler)
        async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse | None:
            found = await current(request)
            if found is None:
                if request.method == "GET" and "text/event-stream" not in request.headers.get("accept", ""):
                    target = request.path + (f"?{request.query_string}" if request.query_string else "")
                    return redirect(f"/console/login?next={quote(target)}", status=303)
                return render(
                    request,
                    "error.html",
                    status=401,
                    title="Нужно войти",
                    message="Сессия закончилась. Войдите снова и повторите действие.",
                )
            user, session, secret = found
            request.ctx.staff, request.ctx.session, request.ctx.session_secret = user, session, secret
            if allowed is not None and user.role not in allowed:
                return forbidden(request, "Этот раздел недоступен для вашей роли.")
            if request.method == "POST" and not csrf_ok(request, session.csrf):
                return forbidden(
                    request, "Форма устарела или отправлена не со страницы консоли. Обновите страницу и повторите."
                )
            return await handler(request, *args, **kwargs)

        return wrapped

    return decorator
