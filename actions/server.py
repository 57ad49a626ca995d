"""The action server with its outbox flusher: ``python -m actions.server --port 5055``.

rasa_sdk's own app (``create_app("actions")``) serves the actions; a Sanic listener
starts a background task that, every ~10 s, sends tickets kept in the outbox and tells
their users the numbers through Rasa's HTTP API. One worker, so one flusher.
Nothing runs at import: rasa_sdk imports every module of ``actions``.

The server holds the ticketing service's token, and ``action_create_ticket`` registers a
ticket from the slots it is given: anyone who can call ``/webhook`` could register tickets
past every limit of the chat. So it listens on loopback unless ``ACTIONS_HOST`` says otherwise,
and answers only calls that carry the shared secret ``ACTION_SERVER_TOKEN``: Rasa 3.6 sends
the ``token`` of ``action_endpoint`` (endpoints.yml) as the query parameter ``token``
(rasa/utils/endpoints.py). Only ``/health`` (the probes of a cluster) is open.
"""

from __future__ import annotations

import argparse
import asyncio
import hmac
import logging
import os
import sys
from collections.abc import Sequence

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

from actions.common import default_client, default_outbox, settings
from actions.delivery import OutboxDelivery, RasaNotifier
from actions.settings import Settings
from procedure.personal_data import DEFAULT_RETENTION_DAYS, install_log_masking

logger = logging.getLogger(__name__)


async def flush_forever(
    delivery: OutboxDelivery, interval: float, retention_days: int = DEFAULT_RETENTION_DAYS
) -> None:
    """Flushes the outbox every ``interval`` seconds until cancelled, and prunes it; never dies of an error."""
    while True:
        try:
            report = await delivery.flush()
            if report.delivered or report.notified or report.rejected:
                logger.info("outbox flush: %s", report)
            pruned = delivery.outbox.prune(retention_days * 86400.0)
            if pruned:
                logger.info("outbox: %d entries past their purpose deleted", pruned)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("outbox flush failed")
        await asyncio.sleep(interval)


def attach_flusher(app: Sanic, config: Settings) -> None:
    """Starts the flusher after the server starts and stops it before it stops."""

    async def start(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        delivery = OutboxDelivery(default_outbox(), default_client(), RasaNotifier.from_settings(config))
        app.ctx.outbox_flusher = asyncio.get_running_loop().create_task(
            flush_forever(delivery, config.flush_interval, config.pd_retention_days)
        )
        logger.info("outbox flusher started (%s, every %.0f s)", config.outbox_path, config.flush_interval)

    async def stop(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        task: asyncio.Task[None] | None = getattr(app.ctx, "outbox_flusher", None)
        if task:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass

    app.listener(start, "after_server_start")
    app.listener(stop, "before_server_stop")


OPEN_PATHS = frozenset({"/health"})
FORBIDDEN_RU = (
    "Сервер действий отвечает только Rasa: нужен токен в параметре token — тот же, что ACTION_SERVER_TOKEN "
    "(action_endpoint.token в endpoints.yml)."
)
NO_SECRET_RU = (
    "ACTION_SERVER_TOKEN не задан: без общего секрета с Rasa сервер действий не запускается. "
    "make run создаёт его сам в var/action-server.token; иначе задайте ACTION_SERVER_TOKEN и тот же токен "
    "в action_endpoint.token файла endpoints.yml."
)


def attach_guard(app: Sanic, secret: str) -> None:
    """Refuses (403) every call but ``/health`` whose ``?token=`` is not ``secret``; no secret refuses all."""
    expected = secret.encode()

    async def guard(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        given = str(request.args.get("token", "")).encode()
        if not expected or not hmac.compare_digest(given, expected):  # constant time: no guessing by timing
            return json({"error": {"code": "forbidden", "message": FORBIDDEN_RU}}, status=403)
        return None

    app.register_middleware(guard, "request")


def create_app() -> Sanic:
    """rasa_sdk's app for the ``actions`` package, behind the shared secret, plus the outbox flusher."""
    from rasa_sdk.endpoint import create_app as create_sdk_app
    from rasa_sdk.plugin import plugin_manager

    install_log_masking()  # this process logs no e-mail or login of a requester (152-ФЗ)
    config = settings()
    app = create_sdk_app("actions")
    attach_guard(app, config.server_token)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    attach_flusher(app, config)
    return app


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """``--host`` (default ``ACTIONS_HOST`` or 127.0.0.1), ``--port``, ``--log-level``."""
    config = Settings.from_env()
    parser = argparse.ArgumentParser(description="Action server of the support bot, with the outbox flusher.")
    parser.add_argument("--host", default=config.host, help="default: ACTIONS_HOST or 127.0.0.1 (loopback)")
    parser.add_argument("--port", type=int, default=config.port, help="default: ACTIONS_PORT or 5055")
    parser.add_argument("--log-level", default=os.environ.get("LOG_LEVEL", "INFO"))
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> None:
    """Parses ``--host``/``--port`` and runs the server in one worker; refuses to start without the secret.

    A setting it cannot read (``PD_RETENTION_DAYS=abc``) stops it too, with the same Russian message as
    the ticketing service gives (procedure.personal_data.retention_days), not a traceback.
    """
    try:
        Settings.from_env()
    except ValueError as error:
        print(f"actions.server: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not settings().server_token:
        print(f"actions.server: {NO_SECRET_RU}", file=sys.stderr)
        raise SystemExit(2)
    app = create_app()
    logger.info("action server on http://%s:%s", args.host, args.port)
    app.run(host=args.host, port=args.port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
