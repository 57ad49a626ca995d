"""The console's own adapters, picked from the container once per app (like ``bootstrap`` does).

Kept here rather than in ``bootstrap.Container`` so the console can be switched off or moved
without touching the API's wiring; built on first use, so tests that hand a ready container
to ``create_app`` get it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sanic import Sanic

from ticketing.adapters.rasa import RasaReplySender
from ticketing.adapters.scenarios import Scenario, load_scenarios
from ticketing.adapters.sessions import RedisSessionStore, SqlSessionStore
from ticketing.bootstrap import Container
from ticketing.http.console.settings import ConsoleSettings
from ticketing.services.replies import ReplySender
from ticketing.services.sessions import SessionStore


@dataclass
class ConsoleParts:
    settings: ConsoleSettings
    sessions: SessionStore
    sender: ReplySender
    scenarios: list[Scenario]


def build_parts(container: Container, settings: ConsoleSettings | None = None) -> ConsoleParts:
    settings = settings or ConsoleSettings.from_env()
    sessions: SessionStore = (
        RedisSessionStore(container.redis) if container.redis is not None else SqlSessionStore(container.engine)
    )
    return ConsoleParts(
        settings=settings,
        sessions=sessions,
        sender=RasaReplySender(settings.rasa_url, settings.rasa_token),
        scenarios=load_scenarios(settings.project_root),
    )


def parts_of(app: Sanic[Any, Any]) -> ConsoleParts:
    """The app's console parts; tests may set ``app.ctx.console`` beforehand (a fake sender)."""
    parts: ConsoleParts | None = getattr(app.ctx, "console", None)
    if parts is None:
        parts = build_parts(app.ctx.container)
        app.ctx.console = parts
    return parts
