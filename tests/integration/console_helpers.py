"""Fixtures of the console tests: staff of every line signed in, each with its own cookie jar.

Built on the ``api`` fixture (SQLite and PostgreSQL). Replies go to a fake sender that records
them; it can be told to fail, as the bot's server would when it is down.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
from argon2 import PasswordHasher

from tests.integration.conftest import Api, AppClient
from tests.integration.test_api_tickets import CHAT_TICKET, create
from ticketing.adapters.scenarios import Scenario
from ticketing.adapters.sessions import SqlSessionStore
from ticketing.bootstrap import ConsoleParts
from ticketing.config import ConsoleSettings
from ticketing.domain.access import ApiRole
from ticketing.domain.deliveries import Delivery
from ticketing.services.replies import DeliveryFailed, ReplySender
from ticketing.services.staff import configure_hasher, create_user

PASSWORD = "верный-пароль-42"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class FakeSender(ReplySender):
    channels = frozenset({"chat"})  # as the bot's sender: letters are the mail worker's

    def __init__(self) -> None:
        self.sent: list[Delivery] = []
        self.fail = False

    async def send(self, delivery: Delivery) -> None:
        if self.fail:
            raise DeliveryFailed("сервер бота недоступен: ConnectError")
        self.sent.append(delivery)


@dataclass
class Person:
    """A signed-in member of staff; remembers the CSRF token of the last page it saw."""

    client: AppClient
    login: str
    name: str
    csrf: str = ""

    async def get(self, path: str, **kw: Any) -> Any:
        _, response = await self.client.get(path, **kw)
        if found := CSRF.search(response.text):
            self.csrf = found.group(1)
        return response

    async def post(self, path: str, data: dict[str, Any] | None = None, *, csrf: bool = True, **kw: Any) -> Any:
        body = dict(data or {})
        if csrf:
            if not self.csrf:
                await self.get("/console/queue")
            body.setdefault("csrf_token", self.csrf)
        _, response = await self.client.post(path, data=body, **kw)
        return response


@dataclass
class Console:
    api: Api
    sender: FakeSender
    people: dict[str, Person] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Person:
        return self.people[key]

    async def advance(self, delta: timedelta) -> None:
        """Move the clock; sessions last 12 hours, so everybody signs in again afterwards."""
        self.api.clock.now += delta
        for person in self.people.values():
            person.client.cookies.clear()
            response = await sign_in(person.client, person.login)
            assert response.status == 303, response.text
            person.csrf = ""

    def anonymous(self) -> AppClient:
        return AppClient(self.api.app)

    async def ticket(self, body: dict[str, Any] | None = None) -> str:
        response = await create(self.api, body or CHAT_TICKET)
        assert response.status == 201, response.json
        return str(response.json["number"])


def ticket_path(number: str, action: str = "") -> str:
    return f"/console/tickets/{quote(number)}" + (f"/{action}" if action else "")


STAFF = {
    "line1": (ApiRole.LINE1, "Ольга Первая", ()),
    "line1b": (ApiRole.LINE1, "Пётр Второй", ()),
    "line2": (ApiRole.LINE2, "Рустам Татарстан", ("Республика Татарстан",)),
    "line2_perm": (ApiRole.LINE2, "Анна Пермь", ("Пермский край",)),
    "line3": (ApiRole.LINE3, "Денис Разработчик", ()),
    "admin": (ApiRole.ADMIN, "Администратор", ()),
}


async def sign_in(client: AppClient, login: str, password: str = PASSWORD) -> Any:
    _, page = await client.get("/console/login")
    token = CSRF.search(page.text)
    assert token, page.text
    _, response = await client.post(
        "/console/login", data={"login": login, "password": password, "csrf_token": token.group(1)}
    )
    return response


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashes() -> None:
    """Argon2 with its real cost takes ~0.3 s a hash; six people a test would dominate the suite."""
    configure_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture
async def console(api: Api) -> AsyncIterator[Console]:
    container = api.app.ctx.container
    sender = FakeSender()
    api.app.ctx.console = ConsoleParts(
        settings=ConsoleSettings(),
        sessions=SqlSessionStore(container.engine),
        sender=sender,
        scenarios=[Scenario("test_not_loading", "Очистите кэш браузера и откройте тест заново.")],
    )
    result = Console(api=api, sender=sender)
    for login, (role, name, regions) in STAFF.items():
        await create_user(
            container.uow(), login=login, name=name, role=role, password=PASSWORD, regions=regions, now=api.clock()
        )
        client = AppClient(api.app)
        response = await sign_in(client, login)
        assert response.status == 303, response.text
        result.people[login] = Person(client=client, login=login, name=name)
    yield result
