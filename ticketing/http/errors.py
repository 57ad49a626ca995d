"""Errors as JSON the caller can act on: ``{"error": {"code", "message", "fields"?}}``."""

from __future__ import annotations

import logging
from typing import Any

from sanic import Request, Sanic
from sanic.constants import HTTP_METHODS
from sanic.exceptions import MethodNotAllowed, NotFound, SanicException
from sanic.response import BaseHTTPResponse, HTTPResponse, json

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
        allowed = _allowed_methods(request, exc) if isinstance(exc, MethodNotAllowed) else None
        headers = {"Allow": ", ".join(allowed)} if allowed else None  # RFC 9110: a 405 names them
        return error_response(exc.status_code, code, message, headers=headers)

    @app.exception(Exception)
    async def _unexpected(request: Request, exc: Exception) -> HTTPResponse:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "internal_error", "Внутренняя ошибка сервиса. Мы уже знаем о ней; повторите позже.")


def _allowed_methods(request: Request, exc: MethodNotAllowed) -> list[str]:
    """The methods the path answers, for the ``Allow`` of a 405.

    Sanic's router names them only when one handler serves the path; a path with a handler per method
    (``GET``, ``PUT`` and ``DELETE /api/v1/operators/{region}``) comes without them, so each method is
    asked of the router (cached there) to learn them.
    """
    known = getattr(exc, "allowed_methods", None)
    if known:
        return sorted(known)
    allowed = []
    for method in HTTP_METHODS:
        try:
            request.app.router.get(request.path, method, request.headers.get("host"))
        except (MethodNotAllowed, NotFound):
            continue
        allowed.append(method)
    return sorted(allowed)


# Where the answers carry people's data: no shared or browser cache may keep them.
PRIVATE_PREFIXES = ("/api/v1", "/console", "/chat/api")


def install_security_headers(app: Sanic[Any, Any]) -> None:
    """``X-Content-Type-Options: nosniff`` on every response; ``Cache-Control: no-store`` on the private ones.

    A browser must not guess a type for a JSON answer or an upload, and a proxy or the back button must
    not keep a ticket or a transcript (152-ФЗ). Static files and the public help page stay cacheable; a
    response that set its own ``Cache-Control`` keeps it.
    """

    async def _headers(request: Request, response: BaseHTTPResponse) -> HTTPResponse | None:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        path = request.path
        if path.startswith(PRIVATE_PREFIXES) and "/static/" not in path and "cache-control" not in response.headers:
            response.headers["Cache-Control"] = "no-store"
        return None

    app.register_middleware(_headers, "response")
