"""The web chat of the site and the personal account (§4.2.2.1, §5.2): widget, demo page, proxy to Rasa.

The browser talks only to this service (``/chat/...``, same origin as the page that embeds the
widget through a reverse proxy); Rasa's REST channel and HTTP API stay internal. See the README
section «Чат на сайте и в личном кабинете».
"""

from __future__ import annotations

import logging
from typing import Any

from sanic import Sanic

from ticketing.bootstrap import build_chat
from ticketing.config import ChatSettings
from ticketing.http.chat import api, pages

log = logging.getLogger(__name__)


def install(app: Sanic[Any, Any], settings: ChatSettings | None = None) -> None:
    """Register the chat on ``app``; its settings are read from the environment at server start.

    Tests may put a :class:`ChatSettings` into ``app.ctx.chat_settings`` before the first request.
    """
    app.ctx.chat_settings = settings
    app.ctx.chat = None

    @app.before_server_start
    async def _open_chat(app: Sanic[Any, Any]) -> None:
        chat_settings: ChatSettings = app.ctx.chat_settings or ChatSettings.from_env()
        app.ctx.chat_settings = chat_settings
        if chat_settings.demo and not chat_settings.jwt_secret_is_default:
            log.warning(
                "CHAT_DEMO=1 with PLATFORM_JWT_SECRET set: /chat/demo signs personal-account tokens "
                "with the real secret; never enable it in production"
            )
        app.ctx.chat = build_chat(app.ctx.container, chat_settings)

    @app.after_server_stop
    async def _close_chat(app: Sanic[Any, Any]) -> None:
        if app.ctx.chat is not None:
            await app.ctx.chat.gateway.close()
            app.ctx.chat = None

    app.blueprint(api.bp)
    app.blueprint(pages.bp)
