"""Bearer-token authentication and role checks for the API."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from functools import wraps
from typing import Any

from sanic import Request
from sanic.response import HTTPResponse

from ticketing.domain.access import ApiRole, ApiToken
from ticketing.http.errors import ApiError
from ticketing.services.tokens import authenticate

Handler = Callable[..., Awaitable[HTTPResponse]]


def bearer_secret(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def require(roles: Iterable[ApiRole] | None = None) -> Callable[[Handler], Handler]:
    """Let the handler run only for a live token, of one of ``roles`` when given.

    The token is put on ``request.ctx.token`` for the region boundary of line 2.
    """
    allowed = frozenset(roles) if roles is not None else None

    def decorator(handler: Handler) -> Handler:
        @wraps(handler)
        async def wrapped(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            secret = bearer_secret(request)
            if not secret:
                raise ApiError(401, "unauthorized", "Нужен токен доступа: заголовок «Authorization: Bearer <токен>».")
            container = request.app.ctx.container
            token: ApiToken | None = await authenticate(
                container.uow(), secret, container.token_cache, now=container.clock()
            )
            if token is None:
                raise ApiError(
                    401,
                    "unauthorized",
                    "Токен не найден, отозван или истёк срок его действия. Получите новый у администратора.",
                )
            if allowed is not None and token.role not in allowed:
                raise ApiError(403, "forbidden", "Для этого действия у вашей роли нет прав.")
            request.ctx.token = token
            return await handler(request, *args, **kwargs)

        return wrapped

    return decorator
