"""The console's parts of an app, built by ``bootstrap.build_console`` on first use.

On first use rather than at start, so that tests which hand a ready container to ``create_app``
get them too, and may set ``app.ctx.console`` beforehand (a fake sender).
"""

from __future__ import annotations

from typing import Any

from sanic import Sanic

from ticketing.bootstrap import ConsoleParts, build_console
from ticketing.config import ConsoleSettings


def parts_of(app: Sanic[Any, Any]) -> ConsoleParts:
    """The app's console parts; tests may set ``app.ctx.console`` beforehand (a fake sender)."""
    parts: ConsoleParts | None = getattr(app.ctx, "console", None)
    if parts is None:
        parts = build_console(app.ctx.container, ConsoleSettings.from_env())
        app.ctx.console = parts
    return parts
