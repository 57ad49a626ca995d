"""The OpenAPI document against the app itself: every ``/api/v1`` route, its roles, its bodies.

A route added without its entry in ``ticketing/http/openapi.py`` fails here by name, so the
document clients generate their code from stays complete.
"""

from __future__ import annotations

import ast
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from pydantic import BaseModel
from sanic import Sanic

from tests.integration.conftest import Api
from tests.integration.test_api_tickets import CHAT_TICKET, create
from ticketing.config import Settings
from ticketing.domain.known_issues import IssueStatus
from ticketing.domain.mail.cards import RegistrationCard
from ticketing.http import openapi, openapi_models
from ticketing.http.app import create_app
from ticketing.services import known_issues

ROOT = Path(__file__).resolve().parents[2]
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
SANIC_PARAM = re.compile(r"<([^:>]+)(?::[^>]*)?>")  # <number:str> → {number}


@pytest.fixture(scope="module")
def app() -> Sanic[Any, Any]:
    """The app as the server builds it; routes only, so no database is opened."""
    return create_app(Settings(), name=f"openapi_{uuid.uuid4().hex[:8]}")


def api_routes(app: Sanic[Any, Any]) -> dict[tuple[str, str], str]:
    """``(OpenAPI path, method) → handler name`` of every route registered under ``/api/v1``."""
    routes = {}
    for route in app.router.routes:
        path = "/" + SANIC_PARAM.sub(r"{\1}", route.path)
        if path.startswith("/api/v1/"):
            handler = f"{route.handler.__module__}.{route.handler.__name__}"
            for method in route.methods:
                routes[(path, method.lower())] = handler
    return routes


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


async def test_every_api_route_is_in_the_openapi_document(app: Sanic[Any, Any]) -> None:
    routes = api_routes(app)
    documented = {(path, method) for path, method, _ in operations(openapi.build_document())}
    missing = [f"{m.upper()} {p} ({routes[(p, m)]})" for p, m in sorted(set(routes) - documented)]
    assert not missing, "Опишите в ticketing/http/openapi.py маршруты: " + "; ".join(missing)
    stale = [f"{m.upper()} {p}" for p, m in sorted(documented - set(routes))]
    assert not stale, "В ticketing/http/openapi.py описаны маршруты, которых в приложении нет: " + "; ".join(stale)


def test_the_openapi_document_is_structurally_sound() -> None:
    """openapi-spec-validator is not a dependency: the basics a client generator trips over, by hand."""
    document = openapi.build_document()
    assert document["openapi"].startswith("3.")
    problems = [f"{where}: {ref} не ведёт никуда" for where, ref in refs(document, "#") if not resolves(document, ref)]
    schemes = set(document["components"]["securitySchemes"])
    for path, method, operation in operations(document):
        where = f"{method.upper()} {path}"
        params = operation.get("parameters", []) + document["paths"][path].get("parameters", [])
        keys = [(p["name"], p["in"]) for p in params]
        if len(keys) != len(set(keys)):
            problems.append(f"{where}: параметр объявлен дважды")
        in_template = set(re.findall(r"{([^}]+)}", path))
        declared = {p["name"] for p in params if p["in"] == "path"}
        if in_template != declared:
            problems.append(f"{where}: в пути {sorted(in_template)}, объявлены {sorted(declared)}")
        if any(not p.get("required") for p in params if p["in"] == "path"):
            problems.append(f"{where}: параметр пути должен быть required")
        if not operation.get("responses") or any("description" not in r for r in operation["responses"].values()):
            problems.append(f"{where}: у каждого ответа нужно description")
        for name, link in operation["responses"].get("200", {}).get("links", {}).items():
            problems += _link_problems(document, f"{where} → {name}", link)
        for name, link in operation["responses"].get("201", {}).get("links", {}).items():
            problems += _link_problems(document, f"{where} → {name}", link)
        for requirement in operation.get("security", document["security"]):
            problems += [f"{where}: нет схемы безопасности {name}" for name in set(requirement) - schemes]
    assert not problems, "\n".join(problems)


def _link_problems(document: dict[str, Any], where: str, link: dict[str, Any]) -> list[str]:
    """An OpenAPI link must name an operation that exists and fill exactly its path parameters."""
    ref = link.get("operationRef", "")
    if not resolves(document, ref):
        return [f"{where}: operationRef {ref} не ведёт никуда"]
    path = ref[2:].split("/")[1].replace("~1", "/").replace("~0", "~")
    wanted = set(re.findall(r"{([^}]+)}", path))
    if set(link.get("parameters", {})) != wanted:
        return [f"{where}: параметры {sorted(link.get('parameters', {}))}, а в пути {sorted(wanted)}"]
    return []


def test_a_new_ticket_links_to_reading_it_and_writing_to_it() -> None:
    """Schemathesis's stateful phase and clients follow these (tests/integration/test_schemathesis.py)."""
    paths = openapi.build_document()["paths"]
    created = paths["/api/v1/tickets"]["post"]["responses"]["201"]["links"]
    read = paths["/api/v1/tickets/{number}"]["get"]["responses"]["200"]["links"]
    assert {link["operationRef"] for link in created.values()} == {
        "#/paths/~1api~1v1~1tickets~1{number}/get",
        "#/paths/~1api~1v1~1tickets~1{number}~1messages/post",
    }
    assert "#/paths/~1api~1v1~1tickets~1{number}~1messages/post" in {link["operationRef"] for link in read.values()}
    links = [*created.values(), *read.values()]
    assert all(link["parameters"] == {"number": "$response.body#/number"} for link in links)


def refs(node: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield where, node["$ref"]
        for key, value in node.items():
            yield from refs(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from refs(value, f"{where}/{i}")


def resolves(document: dict[str, Any], ref: str) -> bool:
    if not ref.startswith("#/"):
        return False
    node: Any = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


# Roles and bodies do not depend on the dialect; and the calendar day, operator and known issue
# written below would outlive the test in the session's PostgreSQL database (only tickets and tokens are truncated).
SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@SQLITE_ONLY
async def test_documented_roles_are_those_the_routes_let_through(api: Api) -> None:
    """Every route is asked with no token and with each role's: 403 exactly for the roles not in x-roles.

    Path parameters get «x»: each route refuses it (404 or 422) before changing anything.
    """
    problems = []
    for path, method, operation in operations(api.app.ctx.openapi):
        url = re.sub(r"{[^}]+}", "x", path)
        request = getattr(api.client, method)
        _, response = await request(url)
        public = operation.get("security") == []
        if (response.status == 401) == public:
            problems.append(f"{method.upper()} {path}: без токена {response.status}")
        if public:
            continue
        for token in api.tokens:
            role = token.split("_")[0]  # line2_tatarstan → line2
            _, response = await request(url, headers=api.headers(token))
            if (response.status == 403) == (role in operation["x-roles"]):
                problems.append(f"{method.upper()} {path}: {role} → {response.status}, x-roles {operation['x-roles']}")
    assert not problems, "\n".join(problems)


def assert_documented(body: Any, model: type[BaseModel], what: str) -> None:
    fields = sorted(model.model_fields)
    assert sorted(body) == fields, f"{what}: в ответе поля {sorted(body)}, в документе {fields} ({model.__name__})"
    model.model_validate(body)


def same(body: Any) -> Any:
    return body


def first(body: Any) -> Any:
    return body[0]


DAY = {"working": False, "note": "указ (пример)"}
OPERATOR = {"organisation": "ЦРО", "contact_person": "Иванова И. И.", "email": "rop@example.ru", "phone": "+7 843 0"}


@SQLITE_ONLY
async def test_hand_built_bodies_match_their_documented_models(api: Api) -> None:
    """These handlers build their JSON by hand and the document describes it with its own models."""
    number = (await create(api)).json["number"]
    await known_issues.post_issue(
        api.app.ctx.container.uow(),
        title="Белый экран в тесте",
        description="Исправляем",
        keywords="белый экран тест",
        status=IssueStatus.FIXING,
        expected_on=date(2026, 12, 1),
        author="dev-support",
        now=api.clock(),
    )
    white_screen = {"q": "белый экран в тесте"}
    checks: list[tuple[str, str, dict[str, Any], Callable[[Any], Any], type[BaseModel]]] = [
        ("put", "/api/v1/calendar/days/2026-12-31", DAY, same, openapi_models.DayOut),
        ("get", "/api/v1/calendar/days", {}, first, openapi_models.DayOut),
        ("put", "/api/v1/operators/Татарстан", OPERATOR, same, openapi_models.OperatorOut),
        ("get", "/api/v1/operators", {}, first, openapi_models.OperatorOut),
        ("get", "/api/v1/operators/Татарстан", {}, same, openapi_models.OperatorOut),
        ("get", "/api/v1/stats", {}, same, openapi_models.StatsOut),
        ("get", "/api/v1/audit", {"number": number}, first, openapi_models.AuditEntryOut),
        ("get", "/api/v1/known-issues", {}, same, openapi_models.KnownIssueList),
        ("get", "/api/v1/known-issues", {}, lambda body: body["items"][0], openapi_models.KnownIssueOut),
        ("get", "/api/v1/known-issues/match", white_screen, same, openapi_models.KnownIssueMatch),
        ("get", "/api/v1/known-issues/match", white_screen, lambda body: body["issue"], openapi_models.KnownIssueOut),
        ("get", "/api/v1/registration-cards", {}, same, openapi_models.RegistrationCardList),
    ]
    for method, url, data, pick, model in checks:
        if method == "put":
            _, response = await api.client.put(url, json=data, headers=api.headers("admin"))
        else:
            _, response = await api.client.get(url, params=data, headers=api.headers("admin"))
        assert response.status == 200, (url, response.json)
        assert_documented(pick(response.json), model, f"{method.upper()} {url}")

    card = RegistrationCard(  # no letters in this test: the handler returns to_dict() of each card
        ticket_number=number,
        incoming_number="00001/ВХ-2026",
        year=2026,
        seq=1,
        registered_at=datetime(2026, 11, 27, 9, 30, tzinfo=UTC),
        registration_date=date(2026, 11, 27),
        correspondent="Кузнецова Ольга",
        email="o.kuz@example.ru",
        subject="Сертификат",
        summary="Не пришёл сертификат",
        due_at=datetime(2026, 12, 2, 20, 59, tzinfo=UTC),
    )
    assert_documented(card.to_dict(), openapi_models.RegistrationCardOut, "карточка из GET /api/v1/registration-cards")


# §5.6.1's data of a chat ticket and what the bot sends with them (actions/ticket_creation.py, ticket_payload).
CHAT_5_6_1 = ("region", "role", "login", "email", "kind", "question_type")
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


def _literal_keys(path: str, function: str) -> set[str]:
    """The string keys a function of ``actions/`` writes into dicts (literals and ``x["key"] = …``).

    The action server runs in the Rasa environment, which cannot import ticketing; its source is read instead.
    """
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    [node] = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == function]
    keys: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Dict):
            keys |= {k.value for k in child.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}
        elif isinstance(child, ast.Subscript) and isinstance(child.ctx, ast.Store):
            if isinstance(child.slice, ast.Constant) and isinstance(child.slice.value, str):
                keys.add(child.slice.value)
    return keys


def _undescribed(schema: dict[str, Any], names: Iterable[str]) -> list[str]:
    """Those of ``names`` the schema lacks, or describes without a Russian description."""
    properties = schema["properties"]
    return [n for n in names if n not in properties or not CYRILLIC.search(properties[n].get("description", ""))]


@SQLITE_ONLY
async def test_the_document_describes_every_field_of_a_chat_ticket(api: Api) -> None:
    """What the bot sends and what the API returns for a chat ticket, field by field, with a Russian description."""
    schemas = api.app.ctx.openapi["components"]["schemas"]
    sent = _literal_keys("actions/ticket_creation.py", "ticket_payload")
    line = _literal_keys("actions/common.py", "build_transcript")
    assert set(CHAT_5_6_1) | {"description", "transcript", "conversation_id", "known_issue_id"} <= sent
    assert _undescribed(schemas["TicketIn"], sent) == []
    assert _undescribed(schemas["TranscriptLineIn"], line) == []
    assert "регион, роль, почту и тип вопроса" in schemas["TicketIn"]["description"]  # required for chat
    assert set(CHAT_TICKET) <= sent  # the tests' chat ticket is one the bot could send

    bot_like = {**CHAT_TICKET, "subject": "Не загружается тест", "instructions_tried": ["registration_student"]}
    created = (await create(api, bot_like)).json
    number = quote(created["number"])
    _, one = await api.client.get(f"/api/v1/tickets/{number}", headers=api.headers("admin"))
    _, listed = await api.client.get("/api/v1/tickets?email=ivan.petrov@example.ru", headers=api.headers("line1"))
    out = schemas["TicketOut"]
    for what, ticket in (("POST", created), ("GET один", one.json), ("GET список", listed.json["items"][0])):
        assert set(ticket) == set(out["properties"]), what
        assert _undescribed(out, [*CHAT_5_6_1, "transcript", "conversation_id", "instructions_tried"]) == []
        assert {k for row in ticket["transcript"] for k in row} <= set(schemas["TranscriptLineOut"]["properties"])
        assert (ticket["region"], ticket["role"], ticket["question_type"]) == ("Республика Татарстан", "participant",
                                                                               "technical")  # fmt: skip
    assert _undescribed(schemas["TranscriptLineOut"], line) == []

    _, exported = await api.client.get(
        "/api/v1/admin/pd/export?email=ivan.petrov@example.ru", headers=api.headers("admin")
    )
    [ticket] = exported.json["tickets"]
    assert_documented(ticket, openapi_models.PdTicketOut, "обращение в GET /api/v1/admin/pd/export")
    assert _undescribed(schemas["PdTicketOut"], CHAT_5_6_1) == []
    assert schemas["PdExportOut"]["properties"]["tickets"]["items"] == {"$ref": "#/components/schemas/PdTicketOut"}
