"""The action server with its outbox flusher: ``python -m actions.server --port 5055``.

rasa_sdk's own app (``create_app("actions")``) serves the actions; a Sanic listener
starts a background task that, every ~10 s, sends tickets kept in the outbox and tells
their users the numbers through Rasa's HTTP API. One worker, so one flusher.
Nothing runs at import: rasa_sdk imports every module of ``actions``.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
from collections.abc import Sequence

from sanic import Sanic

from actions.common import default_client, default_outbox, settings
from actions.delivery import OutboxDelivery, RasaNotifier
from actions.settings import Settings

logger = logging.getLogger(__name__)


async def flush_forever(delivery: OutboxDelivery, interval: float) -> None:
    """Flushes the outbox every ``interval`` seconds until cancelled; never dies of an error."""
    while True:
        try:
            report = await delivery.flush()
            if report.delivered or report.notified or report.rejected:
                logger.info("outbox flush: %s", report)
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
            flush_forever(delivery, config.flush_interval)
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


def create_app() -> Sanic:
    """rasa_sdk's app for the ``actions`` package, plus the outbox flusher."""
    from rasa_sdk.endpoint import create_app as create_sdk_app
    from rasa_sdk.plugin import plugin_manager

    app = create_sdk_app("actions")
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    attach_flusher(app, settings())
    return app


def main(argv: Sequence[str] | None = None) -> None:
    """Parses ``--host``/``--port`` and runs the server in one worker."""
    parser = argparse.ArgumentParser(description="Action server of the support bot, with the outbox flusher.")
    parser.add_argument("--host", default=os.environ.get("SANIC_HOST", "0.0.0.0"))
    parser.add_argument("--port", type=int, default=settings().port, help="default: ACTIONS_PORT or 5055")
    parser.add_argument("--log-level", default=os.environ.get("LOG_LEVEL", "INFO"))
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app()
    logger.info("action server on http://%s:%s", args.host, args.port)
    app.run(host=args.host, port=args.port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main()
