"""The OpenAPI 3.1 document of the JSON API, built from the pydantic models it uses.

Every route under ``/api/v1`` is described here, with the roles it lets through (``x-roles``);
``tests/integration/test_openapi.py`` fails, naming the route, when one is missing or its roles differ.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from procedure.limits import KNOWN_ISSUE_QUERY_MAX_CHARS
from procedure.text_safety import NOT_BLANK_PATTERN
from ticketing.domain.access import CAN_CREATE_TICKETS, LINE1_ROLES, STAFF_ROLES, ApiRole
from ticketing.http.api_admin import AuditQuery, DayIn, PeriodQuery
from ticketing.http.api_operators import OperatorIn
from ticketing.http.api_pd import PdAccessQuery, PdEmailIn
from ticketing.http.api_regions import MAX_QUERY
from ticketing.http.api_registration import FORMATS
from ticketing.http.api_screen import ScreenIn, ScreenOut
from ticketing.http.console.exports import XLSX_TYPE
from ticketing.http.openapi_models import (
    AuditEntryOut,
    DayOut,
    KnownIssueList,
    KnownIssueMatch,
    KnownIssueOut,
    OperatorOut,
    PdAccessOut,
    PdEraseOut,
    PdExportOut,
    RegistrationCardList,
    RegistrationCardOut,
    ResolveOut,
    StatsOut,
)
from ticketing.http.schemas import (
    YEARS_PATTERN,
    AnswerIn,
    CommentIn,
    ErrorOut,
    KnownIssueIn,
    LeaveIn,
    MessageIn,
    RegionOut,
    Resolution,
    ResolveIn,
    TicketIn,
    TicketOut,
    TicketPage,
    TicketQuery,
    TransferIn,
)

bp = Blueprint("openapi")


_MODELS: list[type[BaseModel]] = [
    TicketIn,
    TicketOut,
    TicketPage,
    RegionOut,
    Resolution,
    ErrorOut,
    ScreenIn,
    ScreenOut,
    TransferIn,
    CommentIn,
    AnswerIn,
    LeaveIn,
    MessageIn,
    DayIn,
    DayOut,
    StatsOut,
    AuditEntryOut,
    OperatorIn,
    OperatorOut,
    KnownIssueOut,
    KnownIssueList,
    KnownIssueMatch,
    KnownIssueIn,
    ResolveIn,
    ResolveOut,
    RegistrationCardOut,
    RegistrationCardList,
    PdEmailIn,
    PdExportOut,
    PdEraseOut,
    PdAccessOut,
]
# Query strings validated by a model: their parameters come from it, their enums go to components.
_QUERY_MODELS: list[type[BaseModel]] = [TicketQuery, PeriodQuery, AuditQuery, PdAccessQuery]

_ANY_TOKEN = tuple(ApiRole)
_ROLE_LABELS = {
    ApiRole.SERVICE: "сервис (бот, почта)",
    ApiRole.LINE1: "линия 1",
    ApiRole.LINE2: "линия 2 (только обращения своих регионов)",
    ApiRole.LINE3: "линия 3",
    ApiRole.ADMIN: "администратор",
}

_TRANSITIONS: dict[str, tuple[str | None, str, tuple[ApiRole, ...]]] = {
    "claim": (None, "Взять в работу на своей линии", STAFF_ROLES),
    "transfer": ("TransferIn", "Передать на линию 2 (п. 4.5) или 3 (п. 4.6, 5.4) с комментарием", LINE1_ROLES),
    "return": (
        "CommentIn",
        "Вернуть на первую линию с ответом (линии 2 и 3)",
        (ApiRole.LINE2, ApiRole.LINE3, ApiRole.ADMIN),
    ),
    "answer": ("AnswerIn", "Ответить заявителю на вопросы (п. 6.3)", LINE1_ROLES),
    "close": ("CommentIn", "Закрыть отвеченное", LINE1_ROLES),
    "leave-without-answer": (
        "LeaveIn",
        "Оставить без ответа с причиной (п. 4.7–4.9, 6.1, 6.2)",
        (*LINE1_ROLES, ApiRole.SERVICE),
    ),
    "reopen": ("CommentIn", "Переоткрыть", LINE1_ROLES),
    "messages": ("MessageIn", "Новое сообщение заявителя; переоткрывает отвеченное", (ApiRole.SERVICE, *LINE1_ROLES)),
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _array(name: str) -> dict[str, Any]:
    return {"type": "array", "items": _ref(name)}


def _response(
    description: str, schema: dict[str, Any] | None = None, links: dict[str, Any] | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description}
    if schema is not None:
        out["content"] = {"application/json": {"schema": schema}}
    if links:
        out["links"] = links
    return out


def _ticket_links(*targets: str) -> dict[str, Any]:
    """OpenAPI links from a response with a ticket to the operations on that ticket, by its ``number``.

    A client (and Schemathesis's stateful phase) follows them: register → read → add a message → …
    ``targets``: ``get`` for ``GET /api/v1/tickets/{number}``, or an action of ``_TRANSITIONS``.
    """
    links: dict[str, Any] = {}
    for target in targets:
        path = "/api/v1/tickets/{number}" + ("" if target == "get" else f"/{target}")
        method = "get" if target == "get" else "post"
        pointer = path.replace("~", "~0").replace("/", "~1")
        name = "Read" if target == "get" else "".join(part.capitalize() for part in target.split("-"))
        links[name] = {
            "operationRef": f"#/paths/{pointer}/{method}",
            "parameters": {"number": "$response.body#/number"},
            "description": f"{method.upper()} {path} того же обращения",
        }
    return links


# From a ticket just registered: reading it and the requester's next message (line 1 takes it from the ticket
# read); after an action the ticket is read again. Few ways on from a new ticket keep a client's (and
# Schemathesis's stateful) walk along register → read → write.
_FROM_A_TICKET = _ticket_links("get", "messages")


_ERRORS = {
    "401": _response("нет токена или он недействителен", _ref("ErrorOut")),
    "403": _response("у роли нет прав", _ref("ErrorOut")),
    # Sanic refuses before any handler: a body over 2 MB, a request line with headers over 16 KB.
    "413": _response("запрос слишком большой: тело больше 2 МБ или адрес с заголовками больше 16 КБ", _ref("ErrorOut")),
    "422": _response("ошибка в данных; fields говорит, что исправить", _ref("ErrorOut")),
}
_NOT_JSON = {"400": _response("тело запроса — не JSON-объект", _ref("ErrorOut"))}
_NO_TICKET = {"404": _response("нет такого (или оно вне ваших регионов)", _ref("ErrorOut"))}


def _query(name: str, schema: dict[str, Any], description: str, *, required: bool = False) -> dict[str, Any]:
    """A query parameter; an optional one given empty (``?status=``) is the same as not given (Sanic drops it)."""
    param = {"name": name, "in": "query", "required": required, "schema": schema, "description": description}
    if not required:
        param["allowEmptyValue"] = True
    return param


def _TEXT_QUERY(max_length: int) -> dict[str, Any]:
    """A required text in the query: something besides spaces, not longer than ``max_length``."""
    return {"type": "string", "minLength": 1, "maxLength": max_length, "pattern": NOT_BLANK_PATTERN}


def _path(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": schema or {"type": "string"},
        "description": description,
    }


_NUMBER = {
    **_path(
        "number", "номер обращения, например БВБ-000123 («бвб 123» тоже подойдёт)", {"type": "string", "maxLength": 40}
    ),
    "example": "БВБ-000001",
}
_DATE = {"type": "string", "format": "date", "pattern": YEARS_PATTERN}
_DAY = _path("day", "дата ГГГГ-ММ-ДД", _DATE)
_REGION = {
    **_path(
        "region", "субъект РФ — официально или как пишут («Татарстан»)", {"type": "string", "maxLength": MAX_QUERY}
    ),
    "example": "Татарстан",
}


def _query_from(model: type[BaseModel], descriptions: dict[str, str]) -> list[dict[str, Any]]:
    """The query parameters of a route that validates its query string with ``model``."""
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    params = []
    for name, prop in schema["properties"].items():
        description = descriptions.get(name) or prop.get("description", "")
        prop = {k: v for k, v in prop.items() if k not in ("title", "description")}
        kinds = [k for k in prop.pop("anyOf", []) if k.get("type") != "null"]  # "absent" is how a query says null
        if len(kinds) == 1:
            prop = {**kinds[0], **prop}
        elif kinds:
            prop["anyOf"] = kinds
        if "default" in prop and prop["default"] is None:
            del prop["default"]
        params.append(_query(name, prop, description))
    return params


def _operation(
    summary: str,
    roles: Iterable[ApiRole],
    responses: dict[str, Any],
    *,
    description: str | None = None,
    parameters: list[dict[str, Any]] | None = None,
    body: str | None = None,
    body_required: bool = True,
) -> dict[str, Any]:
    """One operation; ``roles`` are those its ``require(...)`` lets through, told in words and in ``x-roles``.

    The common errors (400 for a body that is not JSON, 401, 403, 422) are added unless ``responses``
    describes them its own way.
    """
    allowed = set(roles)
    if allowed == set(ApiRole):
        who = "любой действующий токен"
    else:
        who = ", ".join(label for role, label in _ROLE_LABELS.items() if role in allowed)
    operation: dict[str, Any] = {
        "summary": summary,
        "description": f"{description}\n\nКто может вызвать: {who}." if description else f"Кто может вызвать: {who}.",
        "x-roles": [role.value for role in ApiRole if role in allowed],
    }
    if parameters:
        operation["parameters"] = parameters
    if body:
        operation["requestBody"] = {"required": body_required, "content": {"application/json": {"schema": _ref(body)}}}
    merged = {**(_NOT_JSON if body else {}), **_ERRORS, **responses}
    operation["responses"] = dict(sorted(merged.items()))
    return operation


def _ticket_paths() -> dict[str, Any]:
    return {
        "/api/v1/tickets": {
            "post": _operation(
                "Зарегистрировать обращение (линия 1, п. 4.4)",
                CAN_CREATE_TICKETS,
                {
                    "201": _response("создано", _ref("TicketOut"), _FROM_A_TICKET),
                    "200": _response("уже было создано с этим Idempotency-Key", _ref("TicketOut"), _FROM_A_TICKET),
                    "400": _response("тело не JSON-объект или Idempotency-Key длиннее 200", _ref("ErrorOut")),
                    "429": _response("с этого адреса слишком много обращений за час", _ref("ErrorOut")),
                },
                parameters=[
                    {
                        "name": "Idempotency-Key",
                        "in": "header",
                        "required": False,
                        "schema": {"type": "string", "maxLength": 200},
                        "description": "повтор с тем же ключом вернёт уже созданное обращение (200)",
                    }
                ],
                body="TicketIn",
            ),
            "get": _operation(
                "Список обращений, по сроку ответа",
                _ANY_TOKEN,
                {"200": _response("страница", _ref("TicketPage"))},
                parameters=_query_from(
                    TicketQuery,
                    {
                        "email": "почта заявителя",
                        "login": "логин на платформе",
                        "line": "линия поддержки",
                        "status": "статус",
                        "region": "регион (официально или как пишут)",
                        "channel": "chat, project_email, union_email",
                        "conversation_id": "диалог в чат-боте",
                        "assignee": "кто взял в работу",
                        "limit": "размер страницы",
                        "offset": "сдвиг",
                    },
                ),
            ),
        },
        "/api/v1/tickets/{number}": {
            "get": _operation(
                "Обращение с историей",
                _ANY_TOKEN,
                {"200": _response("обращение", _ref("TicketOut"), _ticket_links("messages", "claim")), **_NO_TICKET},
                parameters=[_NUMBER],
            )
        },
        **{
            f"/api/v1/tickets/{{number}}/{action}": {
                "post": _operation(
                    summary,
                    roles,
                    {
                        "200": _response("обращение после действия", _ref("TicketOut"), _ticket_links("get")),
                        **_NO_TICKET,
                        "409": _response("действие сейчас невозможно; message объясняет почему", _ref("ErrorOut")),
                    },
                    parameters=[_NUMBER],
                    body=schema,
                    body_required=schema != "CommentIn",
                )
            }
            for action, (schema, summary, roles) in _TRANSITIONS.items()
        },
        "/api/v1/screen": {
            "post": _operation(
                "Проверка текста по правилам Порядка (п. 4.7–4.9)",
                _ANY_TOKEN,
                {"200": _response("вердикт", _ref("ScreenOut"))},
                body="ScreenIn",
            )
        },
    }


def _directory_paths() -> dict[str, Any]:
    return {
        "/api/v1/regions": {
            "get": _operation(
                "Субъекты РФ (ст. 65 Конституции)", _ANY_TOKEN, {"200": _response("список", _array("RegionOut"))}
            )
        },
        "/api/v1/regions/resolve": {
            "get": _operation(
                "Узнать регион по тому, как его написал человек",
                _ANY_TOKEN,
                {"200": _response("результат", _ref("Resolution"))},
                parameters=[
                    {
                        **_query("q", _TEXT_QUERY(MAX_QUERY), "как написал человек", required=True),
                        "example": "из Казани",
                    }
                ],
            )
        },
        "/api/v1/operators": {
            "get": _operation(
                "Справочник региональных операторов (п. 2.3, 5.7)",
                _ANY_TOKEN,
                {"200": _response("все внесённые регионы", _array("OperatorOut"))},
            )
        },
        "/api/v1/operators/{region}": {
            "get": _operation(
                "Контакты регионального оператора одного региона",
                _ANY_TOKEN,
                {
                    "200": _response("контакты", _ref("OperatorOut")),
                    "404": _response("настоящих контактов нет (нет записи или только образец)", _ref("ErrorOut")),
                    "422": _response("регион не распознан или неоднозначен", _ref("ErrorOut")),
                },
                parameters=[_REGION],
            ),
            "put": _operation(
                "Внести или заменить контакты оператора региона",
                (ApiRole.ADMIN,),
                {"200": _response("запись после изменения", _ref("OperatorOut"))},
                parameters=[_REGION],
                body="OperatorIn",
            ),
            "delete": _operation(
                "Удалить запись оператора региона",
                (ApiRole.ADMIN,),
                {
                    "204": _response("удалено"),
                    "404": _response("для региона записи нет", _ref("ErrorOut")),
                },
                parameters=[_REGION],
            ),
        },
        "/api/v1/known-issues": {
            "get": _operation(
                "Известные проблемы платформы (п. 5.5), новые сначала",
                _ANY_TOKEN,
                {"200": _response("список", _ref("KnownIssueList"))},
                parameters=[_query("active", {"type": "boolean", "default": False}, "true — без исправленных")],
            ),
            "post": _operation(
                "Опубликовать известную проблему (п. 5.5)",
                (ApiRole.LINE3, ApiRole.ADMIN),
                {"201": _response("опубликована; id — её номер", _ref("KnownIssueOut"))},
                description=(
                    "Первая линия сразу видит её на каждом экране консоли, а бот говорит о ней ученику, "
                    "когда тот описывает похожую техническую проблему (совпадение слов заголовка и keywords)."
                ),
                body="KnownIssueIn",
            ),
        },
        "/api/v1/known-issues/{issue_id}/resolve": {
            "post": _operation(
                "Проблема исправлена: ответить всем связанным заявителям (п. 5.5, 6.3)",
                (ApiRole.LINE3, ApiRole.ADMIN),
                {
                    "200": _response("что отвечено и что пропущено (с причиной)", _ref("ResolveOut")),
                    "404": _response("нет такой известной проблемы", _ref("ErrorOut")),
                },
                description=(
                    "Отмечает проблему исправленной, возвращает на первую линию обращения, ждавшие линию 3, "
                    "и отвечает текстом text каждому связанному обращению — по его каналу (чат и копия на почту "
                    "или письмо). Обращения у регионального оператора, уже отвеченные и закрытые пропускаются."
                ),
                parameters=[_path("issue_id", "номер известной проблемы", {"type": "integer"})],
                body="ResolveIn",
            )
        },
        "/api/v1/known-issues/match": {
            "get": _operation(
                "Известная проблема, о которой, вероятно, говорит текст вопроса",
                _ANY_TOKEN,
                {"200": _response("подходящая активная проблема или null", _ref("KnownIssueMatch"))},
                description="Бот спрашивает её, чтобы сказать «мы знаем об этой ошибке».",
                parameters=[
                    {
                        **_query(
                            "q", _TEXT_QUERY(KNOWN_ISSUE_QUERY_MAX_CHARS), "текст вопроса (начало)", required=True
                        ),
                        "example": "не открывается тест, белый экран",
                    }
                ],
            )
        },
    }


_PERIOD = {
    "since": "начало периода, ISO 8601; без смещения — московское время",
    "until": "конец периода, ISO 8601; без смещения — московское время",
}


def _admin_paths() -> dict[str, Any]:
    return {
        "/api/v1/calendar/days": {
            "get": _operation(
                "Особые дни сверх производственного календаря (п. 4.3)",
                _ANY_TOKEN,
                {"200": _response("внесённые дни", _array("DayOut"))},
            )
        },
        "/api/v1/calendar/days/{day}": {
            "put": _operation(
                "Отметить день рабочим или нерабочим",
                (ApiRole.ADMIN,),
                {"200": _response("день после изменения", _ref("DayOut"))},
                description="Сроки новых обращений сразу считаются с учётом этого дня.",
                parameters=[_DAY],
                body="DayIn",
            ),
            "delete": _operation(
                "Снять отметку дня",
                (ApiRole.ADMIN,),
                {"204": _response("снято"), "404": _response("день не был отмечен", _ref("ErrorOut"))},
                parameters=[_DAY],
            ),
        },
        "/api/v1/stats": {
            "get": _operation(
                "Сводка для контроля (п. 5.3)",
                STAFF_ROLES,
                {"200": _response("счётчики", _ref("StatsOut"))},
                description=(
                    "По статусам, линиям, каналам, регионам и типам вопросов; оставленные без ответа "
                    "(п. 4.7–4.9, 6) — отдельно. Линия 2 видит только свои регионы."
                ),
                parameters=_query_from(PeriodQuery, _PERIOD),
            )
        },
        "/api/v1/audit": {
            "get": _operation(
                "Журнал изменений всех обращений, новые сначала",
                (ApiRole.ADMIN,),
                {"200": _response("записи", _array("AuditEntryOut"))},
                parameters=_query_from(
                    AuditQuery,
                    {
                        **_PERIOD,
                        "number": "номер обращения, например БВБ-000123",
                        "actor": "кто менял (имя токена или сотрудника)",
                        "type": "тип события: created, claimed, transferred, answered, closed…",
                        "limit": "размер страницы",
                        "offset": "сдвиг",
                    },
                ),
            )
        },
        "/api/v1/registration-cards": {
            "get": _operation(
                "Регистрационные карточки писем в ящик Союза для СЭД (п. 4.1.2–4.1.3)",
                LINE1_ROLES,
                {
                    "200": {
                        "description": "карточки по порядку входящих номеров",
                        "content": {
                            "application/json": {"schema": _ref("RegistrationCardList")},
                            "text/csv": {"schema": {"type": "string"}},
                            XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
                        },
                    }
                },
                description="В карточках имена и адреса людей, поэтому только линия 1 и администратор.",
                parameters=[
                    _query("since", _DATE, "первый день периода (по Москве)"),
                    _query("until", _DATE, "последний день периода, включительно"),
                    _query("format", {"type": "string", "enum": list(FORMATS), "default": "json"}, "вид ответа"),
                ],
            )
        },
        **_pd_paths(),
    }


_PD_EMAIL = {"type": "string", "minLength": 1, "maxLength": 320}


def _pd_paths() -> dict[str, Any]:
    """Personal data on request (152-ФЗ): ``ticketing/http/api_pd.py``."""
    return {
        "/api/v1/admin/pd/export": {
            "get": _operation(
                "Все данные заявителя по его почте, JSON (152-ФЗ, ст. 14)",
                (ApiRole.ADMIN,),
                {"200": _response("обращения, переписка, история, письма, карточки", _ref("PdExportOut"))},
                parameters=[_query("email", _PD_EMAIL, "адрес заявителя", required=True)],
                description="Запрос записывается в журнал доступа к персональным данным.",
            )
        },
        "/api/v1/admin/pd/erase": {
            "post": _operation(
                "Обезличить закрытые обращения заявителя сейчас (152-ФЗ, ст. 21)",
                (ApiRole.ADMIN,),
                {
                    "200": _response("обезличено", _ref("PdEraseOut")),
                    "409": _response(
                        "есть открытые обращения: закрытые обезличены, открытые названы", _ref("ErrorOut")
                    ),
                },
                body="PdEmailIn",
                description="Удаляются и диалоги бота этих обращений. Открытые не трогаются: ответ на них ещё не дан.",
            )
        },
        "/api/v1/admin/pd/access": {
            "get": _operation(
                "Журнал доступа к персональным данным, новые сначала",
                (ApiRole.ADMIN,),
                {"200": _response("записи", _array("PdAccessOut"))},
                parameters=_query_from(PdAccessQuery, {**_PERIOD, "limit": "размер страницы", "offset": "сдвиг"}),
            )
        },
    }


def build_document() -> dict[str, Any]:
    components: dict[str, Any] = {}
    for model in _MODELS:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(schema.pop("$defs", {}))
        components[model.__name__] = schema
    for model in _QUERY_MODELS:
        components.update(model.model_json_schema(ref_template="#/components/schemas/{model}").get("$defs", {}))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "«Билет в будущее»: система обработки обращений",
            "version": "1.0.0",
            "description": "Регистрация и учёт обращений по Порядку от 30.04.2020 (п. 2.7, 4.2, 5.6).",
        },
        "components": {
            "schemas": components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/openapi.json": {
                "get": {
                    "summary": "Этот документ",
                    "description": "Открыт без токена.",
                    "security": [],
                    "responses": {"200": {"description": "описание API в OpenAPI 3.1"}},
                }
            },
            **_ticket_paths(),
            **_directory_paths(),
            **_admin_paths(),
        },
    }


@bp.get("/api/v1/openapi.json")
async def openapi_document(request: Request) -> HTTPResponse:
    """The only ``/api/v1`` route open without a token: clients need it to learn the rest."""
    return json(request.app.ctx.openapi)
