"""``python -m bench serve``: the ticketing server as it would start with Sanic's AppLoader.

See ``bench.rig.LOADER_SERVE`` for why the benchmarks need it.
"""

from __future__ import annotations

import os
from typing import Any

from bench.create import install_breakdown


def _bench_app(settings: Any) -> Any:
    """The app as the CLI builds it; with ``BENCH_BREAKDOWN=1``, timed (see :func:`create.breakdown`)."""
    from ticketing.http.app import create_app

    app = create_app(settings, name="ticketing")
    if os.environ.get("BENCH_BREAKDOWN"):
        install_breakdown(app)
    return app


def serve_with_app_loader() -> None:
    """``python -m ticketing serve`` as it would be with Sanic's AppLoader (the fix proposed for the CLI)."""
    from functools import partial

    from sanic import Sanic
    from sanic.worker.loader import AppLoader

    from ticketing.config import Settings

    settings = Settings.from_env()
    loader = AppLoader(factory=partial(_bench_app, settings))  # every worker builds its app from it
    app = loader.load()
    app.prepare(host=settings.host, port=settings.port, workers=settings.workers, access_log=False, motd=False)
    Sanic.serve(primary=app, app_loader=loader)
