"""Settings of the staff console, read from the environment once (defaults run on a laptop)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ticketing.config import PROJECT_ROOT, RasaEndpoint, flag


@dataclass(frozen=True)
class ConsoleSettings:
    """Attributes:
    rasa_url: Rasa's HTTP API, where chat replies are appended to the conversation (§6.3).
    rasa_token: Rasa's ``--auth-token``, sent as ``?token=``; none on a laptop.
    project_root: where ``domain.yml`` and ``data/`` of the bot lie (scenario texts for replies).
    secure_cookies: mark the session cookie ``Secure``; switch on behind HTTPS.
    """

    rasa_url: str = "http://localhost:5005"
    rasa_token: str | None = None
    project_root: Path = PROJECT_ROOT
    secure_cookies: bool = False

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> ConsoleSettings:
        env = dict(os.environ if env is None else env)
        defaults = cls()
        rasa = RasaEndpoint.from_env(env)
        return cls(
            rasa_url=rasa.url,
            rasa_token=rasa.token,
            project_root=Path(env.get("CONSOLE_PROJECT_ROOT") or defaults.project_root),
            secure_cookies=flag(env.get("CONSOLE_SECURE_COOKIES"), "CONSOLE_SECURE_COOKIES", default=False),
        )
