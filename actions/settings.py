"""Settings of the action server, read from the environment once, as one frozen object.

Defaults run on a laptop next to ``rasa run`` and the ticketing service.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from procedure.personal_data import DEFAULT_RETENTION_DAYS, retention_days


@dataclass(frozen=True)
class Settings:
    """Where the action server finds its neighbours and keeps its outbox.

    Attributes:
        ticketing_url: Base URL of the ticketing service (``TICKETING_URL``).
        ticketing_token: Bearer token for its ``/api/v1`` (``TICKETING_TOKEN``).
        ticketing_timeout: Seconds to wait for one ticketing call.
        rasa_url: Rasa's HTTP API, for late ticket numbers (``RASA_URL``).
        rasa_token: Rasa's ``--auth-token`` if it uses one (``RASA_TOKEN``).
        outbox_path: SQLite file of tickets not yet delivered (``ACTIONS_OUTBOX_PATH``).
        flush_interval: Seconds between outbox deliveries.
        port: Port of the action server (``ACTIONS_PORT``).
        host: Address it listens on (``ACTIONS_HOST``): loopback unless a deployment opens it.
        server_token: The secret Rasa sends as ``?token=`` (``ACTION_SERVER_TOKEN``, endpoints.yml).
    """

    ticketing_url: str = "http://localhost:8000"
    ticketing_token: str = ""
    ticketing_timeout: float = 5.0
    rasa_url: str = "http://localhost:5005"
    rasa_token: str = ""
    outbox_path: str = "var/actions-outbox.sqlite3"
    flush_interval: float = 10.0
    port: int = 5055
    host: str = "127.0.0.1"
    server_token: str = ""
    pd_retention_days: int = DEFAULT_RETENTION_DAYS  # how long a rejected entry is kept (Outbox.prune)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Reads the settings from ``environ`` (default: the process environment)."""
        env = os.environ if environ is None else environ
        return cls(
            ticketing_url=env.get("TICKETING_URL", cls.ticketing_url),
            ticketing_token=env.get("TICKETING_TOKEN", cls.ticketing_token),
            ticketing_timeout=float(env.get("TICKETING_TIMEOUT", cls.ticketing_timeout)),
            rasa_url=env.get("RASA_URL", cls.rasa_url),
            rasa_token=env.get("RASA_TOKEN", cls.rasa_token),
            outbox_path=env.get("ACTIONS_OUTBOX_PATH", cls.outbox_path),
            flush_interval=float(env.get("ACTIONS_FLUSH_INTERVAL", cls.flush_interval)),
            port=int(env.get("ACTIONS_PORT", cls.port)),
            host=env.get("ACTIONS_HOST") or cls.host,
            server_token=env.get("ACTION_SERVER_TOKEN", cls.server_token),
            pd_retention_days=retention_days(env.get("PD_RETENTION_DAYS")),
        )
