"""Sign-in and sign-out of the console."""

from __future__ import annotations

import hmac
import math
import secrets
from datetime import datetime

from sanic import Blueprint, Request
from sanic.response import HTTPResponse, redirect

from ticketing.http.console.auth import (
    COOKIE,
    LOGIN_CSRF_COOKIE,
    clear_session_cookie,
    current,
    form_get,
    same_origin,
    set_session_cookie,
    staff_only,
)
from ticketing.http.console.filters import SEARCH_COOKIE
from ticketing.http.console.render import render
from ticketing.http.console.wiring import parts_of
from ticketing.services.sessions import SESSION_TTL
from ticketing.services.staff import sign_in

bp = Blueprint("console_auth", url_prefix="/console")

LOGIN_FAILURES_PER_ADDRESS = 30  # per 15 minutes, on top of the growing delay per login; successes do not count
LOGIN_WINDOW_SECONDS = 15 * 60


def seconds_until(moment: datetime | None, now: datetime) -> int:
    """Whole seconds to wait (rounded up), 0 when there is nothing to wait for."""
    if moment is None or moment <= now:
        return 0
    return math.ceil((moment - now).total_seconds())


def safe_next(target: str | None) -> str:
    """Only a console page of this site: an open redirect would lend our login page to phishing."""
    if target and target.startswith("/console/") and "//" not in target and "\\" not in target:
        return target
    return "/console/queue"


def login_form(request: Request, *, status: int = 200, error: str | None = None, login: str = "") -> HTTPResponse:
    token = secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        status=status,
        error=error,
        login=login,
        login_csrf=token,
        next=safe_next(request.args.get("next") or form_get(request, "next")),
    )
    response.add_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        path="/console/login",
        httponly=True,
        samesite="Strict",
        secure=parts_of(request.app).settings.secure_cookies,  # Sanic defaults to Secure: none over plain HTTP
        max_age=3600,
    )
    return response


@bp.get("/")
async def index(request: Request) -> HTTPResponse:
    return redirect("/console/queue", status=303)


@bp.get("/login")
async def login_page(request: Request) -> HTTPResponse:
    if await current(request) is not None:
        return redirect(safe_next(request.args.get("next")), status=303)
    return login_form(request)


@bp.post("/login")
async def login(request: Request) -> HTTPResponse:
    container = request.app.ctx.container
    sent, expected = form_get(request, "csrf_token"), request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not sent or not expected or not hmac.compare_digest(sent, expected) or not same_origin(request):
        return login_form(request, status=403, error="Форма входа устарела. Попробуйте ещё раз.")
    login_name = form_get(request, "login").strip()
    password = form_get(request, "password")
    address = f"console-login:{request.remote_addr or request.ip or 'unknown'}"
    limit = {"limit": LOGIN_FAILURES_PER_ADDRESS, "window_seconds": LOGIN_WINDOW_SECONDS}
    if await container.rate_limiter.exceeded(address, **limit):
        response = login_form(
            request,
            status=429,
            login=login_name,
            error="Слишком много неудачных попыток входа с этого адреса. Подождите 15 минут.",
        )
        response.headers["Retry-After"] = str(container.rate_limiter.seconds_left(LOGIN_WINDOW_SECONDS))
        return response
    now = container.clock()
    result = await sign_in(container.uow(), login_name, password, now=now)
    if result.user is None or result.user.id is None:
        wait = seconds_until(result.retry_at, now)
        if result.too_early:
            error = f"Слишком частые попытки входа. Повторите через {wait} с."
            response = login_form(request, status=429, login=login_name, error=error)
        else:
            await container.rate_limiter.allow(address, **limit)  # only failures count: a shift signs in at once
            error = "Неверный логин или пароль." + (f" Следующая попытка — через {wait} с." if wait else "")
            response = login_form(request, status=401, login=login_name, error=error)
        if wait:
            response.headers["Retry-After"] = str(wait)
        return response
    store = parts_of(request.app).sessions
    if old := request.cookies.get(COOKIE):
        await store.end(old)  # a fresh session id on every sign-in: no fixation
    secret, _ = await store.create(result.user.id, now=now)
    response = redirect(safe_next(form_get(request, "next")), status=303)
    set_session_cookie(request, response, secret, int(SESSION_TTL.total_seconds()))
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/console/login")
    return response


@bp.post("/logout")
@staff_only()
async def logout(request: Request) -> HTTPResponse:
    await parts_of(request.app).sessions.end(request.ctx.session_secret)
    response = redirect("/console/login", status=303)
    clear_session_cookie(response)
    response.delete_cookie(SEARCH_COOKIE, path="/console")  # the next person at this browser starts unfiltered
    return response
