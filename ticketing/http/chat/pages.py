"""``/chat/widget.js`` (+ css) and ``/chat/demo``: the widget's files and a page to try both of its modes.

The demo signs personal-account tokens itself with the configured secret, so it is served only
in the embedded default mode (no ``PLATFORM_JWT_SECRET``) or with ``CHAT_DEMO=1``; with a real
secret that would let anyone act as any login, hence never in production.
"""

from __future__ import annotations

import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import jwt
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, html, raw

from procedure.requesters import ROLES
from ticketing.config import ChatSettings
from ticketing.http.errors import ApiError

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
ASSETS = {
    "widget.js": "text/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
    "demo.js": "text/javascript; charset=utf-8",
    "demo.css": "text/css; charset=utf-8",
}
DEMO_TOKEN_SECONDS = 3600
DEMO_DEFAULTS = {
    "login": "ivanov2011",
    "name": "",
    "region": "Татарстан",
    "email": "ivan.petrov@mail.ru",
    "role": "participant",
}
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}

bp = Blueprint("chat_pages", url_prefix="/chat")


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined, trim_blocks=True
    )


def _asset_route(name: str, content_type: str) -> None:
    async def asset(request: Request) -> HTTPResponse:
        """The widget's script and style; short caching so a new version reaches users within minutes."""
        return raw(
            (STATIC / name).read_bytes(),
            content_type=content_type,
            headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"},
        )

    bp.add_route(asset, f"/{name}", methods=["GET"], name=name.replace(".", "_"))


for _name, _type in ASSETS.items():
    _asset_route(_name, _type)


def demo_token(settings: ChatSettings, claims: dict[str, str], now: float | None = None) -> str:
    """A personal-account token as the platform would sign it (see the README for the platform's side)."""
    payload: dict[str, Any] = {k: v for k, v in claims.items() if v}
    payload["exp"] = int((now or time.time()) + DEMO_TOKEN_SECONDS)
    return jwt.encode(payload, settings.signing_secret(), algorithm="HS256")


@bp.get("/demo")
async def demo(request: Request) -> HTTPResponse:
    """Both modes on one page: ``?mode=site`` (default) or ``?mode=account`` with editable claims."""
    settings: ChatSettings = request.app.ctx.chat_settings
    if settings is None or not settings.demo:
        raise ApiError(404, "demo_disabled", "Демонстрационная страница выключена (включает её CHAT_DEMO=1).")
    mode = "account" if request.args.get("mode") == "account" else "site"
    claims = {key: (request.args.get(key) or default).strip()[:100] for key, default in DEMO_DEFAULTS.items()}
    if claims["role"] not in ROLES:
        claims["role"] = DEMO_DEFAULTS["role"]
    token = demo_token(settings, claims) if mode == "account" else ""
    page = (
        _templates()
        .get_template("demo.html")
        .render(mode=mode, claims=claims, roles=ROLES, token=token, minutes=DEMO_TOKEN_SECONDS // 60)
    )
    return html(page, headers=PAGE_HEADERS)
