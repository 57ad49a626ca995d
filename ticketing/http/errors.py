"""Errors as JSON the caller can act on: ``{"error": {"code", "message", "fields"?}}``."""

from __future__ import annotations

import logging
from typing import Any

from sanic import Request, Sanic
from sanic.exceptions import SanicException
from sanic.response import HTTPResponse, json

log = logging.getLogger(__name__)


class ApiError(SanicException):
    """An error with a stable machine code and a Russian message for people.

    ``retry_after`` (seconds) goes into the ``Retry-After`` header: every 429 and 503 says when to come back.
    """

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: dict[str, str] | None = None,
        *,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message, status_code=status)
        self.code = code
        self.fields = fields
        self.retry_after = retry_after


def error_response(
    status: int, code: str, message: str, fields: dict[str, str] | None = None, **kw: Any
) -> HTTPResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return json({"error": body}, status=status, **kw)


_DEFAULT_MESSAGES = {
    400: ("bad_request", "Некорректный запрос."),
    401: ("unauthorized", "Нужен токен доступа: заголовок «Authorization: Bearer <токен>»."),
    403: ("forbidden", "Недостаточно прав для этого действия."),
    404: ("not_found", "Не найдено."),
    405: ("method_not_allowed", "Этот метод здесь не поддерживается."),
    413: ("payload_too_large", "Слишком большой запрос."),
}


def install_error_handlers(app: Sanic[Any, Any]) -> None:
    @app.exception(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> HTTPResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else {}
        if exc.retry_after is not None:
            headers["Retry-After"] = str(max(1, exc.retry_after))
        return error_response(exc.status_code, exc.code, str(exc), exc.fields, headers=headers or None)

    @app.exception(IsADirectoryError)
    async def _directory(request: Request, exc: IsADirectoryError) -> HTTPResponse:
        code, message = _DEFAULT_MESSAGES[404]  # a static folder itself (/help/static/) is nothing to show
        return error_response(404, code, message)

    @app.exception(SanicException)
    async def _sanic_error(request: Request, exc: SanicException) -> HTTPResponse:
        code, message = _DEFAULT_MESSAGES.get(exc.status_code, ("error", str(exc)))
        return error_response(exc.status_code, code, message)

    @app.exception(Exception)
    async def _unexpected(request: Request, exc: Exception) -> HTTPResponse:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", "Внутренняя ошибка сервиса. Мы уже знаем о ней; повторите позже.")
