"""The web chat of the site and the personal account (§4.2.2.1, §5.2): widget, demo page, proxy to Rasa.

The browser talks only to this service (``/chat/...``, same origin as the page that embeds the
widget through a reverse proxy); Rasa's REST channel and HTTP API stay internal. See the README
section «Чат на сайте и в личном кабинете».
"""

from __future__ import annotations

import logging
from typing import Any

from sanic import Sanic

from ticketing.adapters.rasa import RasaGateway
from ticketing.http.chat import api, pages
from ticketing.http.chat.reply_cache import LocalReplyCache, RedisReplyCache
from ticketing.http.chat.runtime import ChatRuntime
from ticketing.http.chat.settings import ChatSettings

log = logging.getLogger(__name__)


def install(app: Sanic[Any, Any], settings: ChatSettings | None = None) -> None:
    """Register the chat on ``app``; its settings are read from the environment at server start.

    Tests may put a :class:`ChatSettings` into ``app.ctx.chat_settings`` before the first request.
    The in-process reply memory is made here, not in the listener, because Sanic's ASGI test
    client starts and stops the server around every request.
    """
    app.ctx.chat_settings = settings
    app.ctx.chat_local_replies = LocalReplyCache()
    app.ctx.chat = None

    @app.before_server_start
    async def _open_chat(app: Sanic[Any, Any]) -> None:
        chat_settings: ChatSettings = app.ctx.chat_settings or ChatSettings.from_env()
        app.ctx.chat_settings = chat_settings
        container = app.ctx.container
        if chat_settings.demo and not chat_settings.jwt_secret_is_default:
            log.warning(
                "CHAT_DEMO=1 with PLATFORM_JWT_SECRET set: /chat/demo signs personal-account tokens "
                "with the real secret; never enable it in production"
            )
        app.ctx.chat = ChatRuntime(
            settings=chat_settings,
            gateway=RasaGateway(
                chat_settings.rasa_url,
                chat_settings.rasa_token,
                timeout=chat_settings.rasa_timeout_seconds,
                connections=chat_settings.rasa_connections,
                pool_timeout=chat_settings.pool_timeout_seconds,
            ),
            replies=RedisReplyCache(container.redis) if container.redis is not None else app.ctx.chat_local_replies,
            limiter=container.rate_limiter,
            regions=container.regions,
        )

    @app.after_server_stop
    async def _close_chat(app: Sanic[Any, Any]) -> None:
        if app.ctx.chat is not None:
            await app.ctx.chat.gateway.close()
            app.ctx.chat = None

    app.blueprint(api.bp)
    app.blueprint(pages.bp)
