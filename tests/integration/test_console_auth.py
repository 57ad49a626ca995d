# ruff: noqa: F811 - pytest fixtures are imported by name and then requested as parameters
"""Console sign-in, its growing delay, sessions, CSRF, and that no console route answers without a session."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from tests.integration.conftest import AppClient
from tests.integration.console_helpers import (  # noqa: F401
    PASSWORD,
    Console,
    cheap_password_hashes,
    console,
    sign_in,
    ticket_path,
)
from ticketing.adapters import migrate

ROOT = Path(__file__).resolve().parents[2]

# Every console route with a sample path; each must refuse without a session.
GET_ROUTES = [
    "/console/",
    "/console/queue",
    "/console/queue/live",
    "/console/queue/export.csv",
    "/console/queue/export.xlsx",
    "/console/events",
    "/console/tickets/БВБ-000001",
    "/console/tickets/БВБ-000001/letters/1/original",
    "/console/tickets/БВБ-000001/letters/1/attachments/1",
    "/console/known-issues",
    "/console/known-issues/1",
    "/console/dashboard",
    "/console/dashboard/export.csv",
    "/console/dashboard/export.xlsx",
    "/console/admin/users",
    "/console/admin/users/1",
    "/console/admin/operators",
    "/console/admin/calendar",
    "/console/admin/tokens",
]
POST_ROUTES = [
    "/console/queue",
    "/console/logout",
    "/console/tickets/БВБ-000001/claim",
    "/console/tickets/БВБ-000001/reply",
    "/console/known-issues",
    "/console/known-issues/1",
    "/console/known-issues/1/answer-all",
    "/console/admin/users",
    "/console/admin/users/1",
    "/console/admin/operators",
    "/console/admin/operators/delete",
    "/console/admin/calendar",
    "/console/admin/calendar/delete",
    "/console/admin/tokens/revoke",
]


def test_the_route_lists_cover_every_console_route() -> None:
    from ticketing.http.console import BLUEPRINTS

    declared = {
        (method, (bp.url_prefix or "") + route.uri)
        for bp in BLUEPRINTS
        for route in bp._future_routes
        for method in route.methods or ()
        if "static" not in route.uri
    }
    declared -= {("GET", "/console/login"), ("POST", "/console/login")}
    # The two ticket samples share one route; a new route must be added to the lists above.
    assert len(declared) == len(GET_ROUTES) + len(POST_ROUTES) - 1, sorted(declared)


async def test_login_page_is_russian_and_signs_in(console: Console) -> None:
    client = console.anonymous()
    _, page = await client.get("/console/login")
    assert page.status == 200
    assert "<title>Вход — поддержка «Билет в будущее»</title>" in page.text
    assert "Логин" in page.text and "Пароль" in page.text and 'lang="ru"' in page.text
    response = await sign_in(client, "line1")
    assert response.status == 303 and response.headers["location"] == "/console/queue"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/console" in cookie
    _, queue = await client.get("/console/queue")
    assert queue.status == 200 and "Ольга Первая" in queue.text


async def attempts(client: AppClient, login: str, password: str, n: int) -> list[tuple[int, str, str | None]]:
    """What a person (or a script) sees after each of ``n`` tries: status, error text, Retry-After."""
    seen = []
    for _ in range(n):
        response = await sign_in(client, login, password)
        error = re.search(r'role="alert"[^>]*>(.*?)<', response.text, re.S)
        seen.append((response.status, error.group(1).strip() if error else "", response.headers.get("retry-after")))
    return seen


async def test_unknown_and_known_logins_are_answered_alike(console: Console) -> None:
    """Nobody can tell from the answers which logins exist (ASVS 2.2, 3.2)."""
    known = await attempts(console.anonymous(), "line1", "не тот пароль", 6)
    unknown = await attempts(console.anonymous(), "nobody", "не тот пароль", 6)
    assert known == unknown
    assert known[0] == (401, "Неверный логин или пароль.", None)


async def test_a_growing_delay_per_account_instead_of_a_lock(console: Console) -> None:
    """Anyone could lock any colleague out for 15 minutes with five tries; now each failure past the third
    makes the next try wait longer (1 s, 2 s, 4 s … at most 5 minutes), and the right password works again
    as soon as the wait is over."""
    client = console.anonymous()
    seen = await attempts(client, "line1", "не тот пароль", 3)
    assert [s for s, _, _ in seen] == [401, 401, 401]  # three slips are free
    waits = []
    for _ in range(12):
        [(status, error, retry)] = await attempts(client, "line1", "не тот пароль", 1)
        assert status == 401 and "Неверный логин или пароль." in error and retry is not None
        waits.append(int(retry))
        [(status, error, again)] = await attempts(client, "line1", PASSWORD, 1)  # too early, even if right
        assert status == 429 and "Повторите через" in error and again is not None and int(again) <= int(retry)
        console.api.clock.now += timedelta(seconds=int(retry))
    assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]
    assert (await sign_in(client, "line1", PASSWORD)).status == 303
    # a success starts the count again
    seen = await attempts(console.anonymous(), "line1", "не тот пароль", 3)
    assert [r for _, _, r in seen] == [None, None, None]


async def test_successful_sign_ins_do_not_use_up_the_address_limit(console: Console) -> None:
    """An office behind one NAT signs in at the start of a shift: only failures count per address."""
    for _ in range(35):
        assert (await sign_in(console.anonymous(), "line1b", PASSWORD)).status == 303
    statuses = []
    for n in range(31):
        response = await sign_in(console.anonymous(), f"guess{n}", "не тот пароль")
        statuses.append(response.status)
    assert statuses[:30] == [401] * 30 and statuses[30] == 429
    assert int(response.headers["retry-after"]) > 0
    assert "Слишком много неудачных попыток входа с этого адреса" in response.text


async def test_every_route_needs_a_session(console: Console) -> None:
    number = await console.ticket()
    client = console.anonymous()
    for path in GET_ROUTES:
        _, response = await client.get(path.replace("БВБ-000001", number))
        if path == "/console/":
            assert response.status == 303 and response.headers["location"] == "/console/queue"
            continue
        assert response.status in (303, 401), path
        if response.status == 303:
            assert response.headers["location"].startswith("/console/login?next="), path
    for path in POST_ROUTES:
        _, response = await client.post(path.replace("БВБ-000001", number), data={"csrf_token": "x"})
        assert response.status == 401, path
        assert "Войдите снова" in response.text


async def test_post_without_csrf_token_is_refused(console: Console) -> None:
    number = await console.ticket()
    olga = console["line1"]
    response = await olga.post(ticket_path(number, "claim"), csrf=False)
    assert response.status == 403 and "Форма устарела" in response.text
    response = await olga.post(ticket_path(number, "claim"), {"csrf_token": "forged"})
    assert response.status == 403
    response = await olga.post(ticket_path(number, "claim"), headers={"Origin": "https://evil.example"})
    assert response.status == 403
    response = await olga.post("/console/logout", csrf=False)
    assert response.status == 403
    response = await olga.post(ticket_path(number, "claim"))
    assert response.status == 303


async def test_login_form_needs_its_own_token(console: Console) -> None:
    client = console.anonymous()
    _, response = await client.post("/console/login", data={"login": "line1", "password": PASSWORD})
    assert response.status == 403 and "устарела" in response.text


async def test_sign_out_ends_the_session_on_the_server(console: Console) -> None:
    olga = console["line1"]
    stolen = dict(olga.client.cookies)
    assert (await olga.post("/console/logout")).status == 303
    thief = AppClient(console.api.app)
    _, response = await thief.get("/console/queue", cookies=stolen)
    assert response.status == 303 and "/console/login" in response.headers["location"]


async def test_next_never_leads_off_the_console(console: Console) -> None:
    client = console.anonymous()
    _, page = await client.get("/console/login?next=//evil.example/x")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    _, response = await client.post(
        "/console/login",
        data={"login": "line1", "password": PASSWORD, "csrf_token": token.group(1), "next": "https://evil.example"},
    )
    assert response.headers["location"] == "/console/queue"


async def test_disabled_user_is_signed_out_at_once(console: Console) -> None:
    admin, petr = console["admin"], console["line1b"]
    async with console.api.app.ctx.container.uow() as uow:
        user = await uow.staff.by_login("line1b")
    assert user is not None
    await admin.get(f"/console/admin/users/{user.id}")
    response = await admin.post(
        f"/console/admin/users/{user.id}", {"name": user.name, "role": "line1", "disabled": "1"}
    )
    assert response.status == 303
    _, response = await petr.client.get("/console/queue")
    assert response.status == 303
    assert (await sign_in(console.anonymous(), "line1b")).status == 401


def test_cli_adds_a_user_with_the_password_from_stdin_and_lists_it(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/cli.sqlite3"
    env = {"DATABASE_URL": url, "PATH": "/usr/bin:/bin"}
    cmd = [sys.executable, "-m", "ticketing", "user", "add", "--role", "line2", "--login", "Rop16"]
    done = subprocess.run(
        [*cmd, "--name", "Рустам", "--region", "Татарстан", "--password-stdin"],
        input="длинный-пароль-1\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "создан" in done.stdout
    again = subprocess.run(
        [*cmd, "--name", "Рустам", "--region", "Татарстан", "--password-stdin"],
        input="длинный-пароль-1\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert again.returncode == 2 and "уже занят" in again.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "ticketing", "user", "list"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.splitlines() == [
        "логин\tимя\tроль\tрегионы\tсостояние",
        "rop16\tРустам\tline2\tРеспублика Татарстан\tможет войти",
    ]

    async def check() -> None:
        from ticketing.adapters.uow import SqlAlchemyUnitOfWork, make_engine

        engine = make_engine(url)
        try:
            async with SqlAlchemyUnitOfWork(engine) as uow:
                user = await uow.staff.by_login("rop16")
            assert user is not None and user.regions == ("Республика Татарстан",)
            assert user.password_hash.startswith("$argon2id$")
        finally:
            await engine.dispose()

    migrate.upgrade(url)
    asyncio.run(check())
