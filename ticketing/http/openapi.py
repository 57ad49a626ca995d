"""The OpenAPI 3.1 document of the JSON API, built from the pydantic models it uses."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json

from ticketing.http.api_screen import ScreenIn, ScreenOut
from ticketing.http.schemas import (
    AnswerIn,
    CommentIn,
    ErrorOut,
    LeaveIn,
    MessageIn,
    RegionOut,
    Resolution,
    TicketIn,
    TicketOut,
    TicketPage,
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
]

_TRANSITIONS = {
    "claim": (None, "Взять в работу на своей линии"),
    "transfer": ("TransferIn", "Передать на линию 2 (п. 4.5) или 3 (п. 4.6, 5.4) с комментарием"),
    "return": ("CommentIn", "Вернуть на первую линию с ответом (линии 2 и 3)"),
    "answer": ("AnswerIn", "Ответить заявителю на вопросы (п. 6.3)"),
    "close": ("CommentIn", "Закрыть отвеченное"),
    "leave-without-answer": ("LeaveIn", "Оставить без ответа с причиной (п. 4.7–4.9, 6.1, 6.2)"),
    "reopen": ("CommentIn", "Переоткрыть"),
    "messages": ("MessageIn", "Новое сообщение заявителя; переоткрывает отвеченное"),
}


def _transition_paths() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for action, (schema, summary) in _TRANSITIONS.items():
        operation: dict[str, Any] = {
            "summary": summary,
            "parameters": [{"name": "number", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {
                "200": _response("обращение после действия", _ref("TicketOut")),
                "404": _response("нет такого (или оно вне ваших регионов)", _ref("ErrorOut")),
                "409": _response("действие сейчас невозможно; message объясняет почему", _ref("ErrorOut")),
                **_ERRORS,
            },
        }
        if schema:
            operation["requestBody"] = {"content": {"application/json": {"schema": _ref(schema)}}}
        paths[f"/api/v1/tickets/{{number}}/{action}"] = {"post": operation}
    return paths


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _response(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description}
    if schema is not None:
        out["content"] = {"application/json": {"schema": schema}}
    return out


_ERRORS = {
    "401": _response("нет токена или он недействителен", _ref("ErrorOut")),
    "403": _response("у роли нет прав", _ref("ErrorOut")),
    "422": _response("ошибка в данных; fields говорит, что исправить", _ref("ErrorOut")),
}


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


def build_document() -> dict[str, Any]:
    components: dict[str, Any] = {}
    for model in _MODELS:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(schema.pop("$defs", {}))
        components[model.__name__] = schema
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
            "/api/v1/tickets": {
                "post": {
                    "summary": "Зарегистрировать обращение (линия 1, п. 4.4)",
                    "parameters": [
                        {
                            "name": "Idempotency-Key",
                            "in": "header",
                            "required": False,
                            "schema": {"type": "string", "maxLength": 200},
                            "description": "повтор с тем же ключом вернёт уже созданное обращение (200)",
                        }
                    ],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("TicketIn")}}},
                    "responses": {
                        "201": _response("создано", _ref("TicketOut")),
                        "200": _response("уже было создано с этим Idempotency-Key", _ref("TicketOut")),
                        **_ERRORS,
                    },
                },
                "get": {
                    "summary": "Список обращений, по сроку ответа",
                    "parameters": [
                        _query("email", {"type": "string"}, "почта заявителя"),
                        _query("login", {"type": "string"}, "логин на платформе"),
                        _query("line", {"type": "integer", "minimum": 1, "maximum": 3}, "линия поддержки"),
                        _query("status", {"type": "string"}, "статус"),
                        _query("region", {"type": "string"}, "регион (официально или как пишут)"),
                        _query("channel", {"type": "string"}, "chat, project_email, union_email"),
                        _query("conversation_id", {"type": "string"}, "диалог в чат-боте"),
                        _query("limit", {"type": "integer", "default": 50, "maximum": 500}, "размер страницы"),
                        _query("offset", {"type": "integer", "default": 0}, "сдвиг"),
                    ],
                    "responses": {"200": _response("страница", _ref("TicketPage")), **_ERRORS},
                },
            },
            "/api/v1/tickets/{number}": {
                "get": {
                    "summary": "Обращение с историей",
                    "parameters": [{"name": "number", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {
                        "200": _response("обращение", _ref("TicketOut")),
                        "404": _response("нет такого (или оно вне ваших регионов)", _ref("ErrorOut")),
                        **_ERRORS,
                    },
                }
            },
            "/api/v1/screen": {
                "post": {
                    "summary": "Проверка текста по правилам Порядка (п. 4.7–4.9)",
                    "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("ScreenIn")}}},
                    "responses": {"200": _response("вердикт", _ref("ScreenOut")), **_ERRORS},
                }
            },
            **_transition_paths(),
            "/api/v1/regions": {
                "get": {
                    "summary": "Субъекты РФ (ст. 65 Конституции)",
                    "responses": {
                        "200": _response("список", {"type": "array", "items": _ref("RegionOut")}),
                        **_ERRORS,
                    },
                }
            },
            "/api/v1/regions/resolve": {
                "get": {
                    "summary": "Узнать регион по тому, как его написал человек",
                    "parameters": [
                        {"name": "q", "in": "query", "required": True, "schema": {"type": "string", "maxLength": 200}}
                    ],
                    "responses": {"200": _response("результат", _ref("Resolution")), **_ERRORS},
                }
            },
        },
    }


@bp.get("/api/v1/openapi.json")
async def openapi_document(request: Request) -> HTTPResponse:
    """The only ``/api/v1`` route open without a token: clients need it to learn the rest."""
    return json(request.app.ctx.openapi)
