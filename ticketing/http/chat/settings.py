"""Settings of the web chat (site and personal account), read from the environment once.

The defaults run on a laptop under ``make run``: Rasa on localhost, a development secret for the
personal account's tokens generated into ``var/platform-jwt.secret`` (never printed), and the demo
page switched on. Production sets ``PLATFORM_JWT_SECRET`` (then the demo is off unless
``CHAT_DEMO=1``, which must never be set there: the demo signs tokens with that secret).
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ticketing.config import PROJECT_ROOT, RasaEndpoint, flag

DEV_SECRET_PATH = PROJECT_ROOT / "var" / "platform-jwt.secret"


@lru_cache(maxsize=4)
def dev_secret(path: Path = DEV_SECRET_PATH) -> str:
    """The development secret: created once (mode 0600) and shared by all workers, never printed.

    Several workers may start at once, so the file is created with ``O_EXCL`` and whoever loses
    the race reads the winner's secret.
    """
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):  # the winner may not have written it yet
            value = path.read_text(encoding="utf-8").strip()
            if value:
                return value
            time.sleep(0.02)
        raise RuntimeError(f"{path} пуст: удалите его, и секрет создастся заново.") from None
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        value = secrets.token_urlsafe(48)
        out.write(value + "\n")
    return value


@dataclass(frozen=True)
class ChatSettings:
    """Attributes:
    rasa_url: Rasa's REST channel and HTTP API; only the ticketing service talks to it.
    rasa_token: Rasa's ``--auth-token``, sent as ``?token=`` to the HTTP API; none on a laptop.
    jwt_secret: the HS256 secret shared with the platform (``PLATFORM_JWT_SECRET``); empty means
        the development secret in ``dev_secret_path``, created the first time it is needed.
    jwt_leeway_seconds: clock skew tolerated between the platform and us.
    demo: serve ``/chat/demo``, which signs personal-account tokens itself.
    max_message_chars: longer messages get 413 (the form's description is much shorter).
    messages_per_minute: per conversation; a person types far fewer.
    messages_per_ip_per_minute: per client address; high because a school class shares one
        address behind NAT.
    history_per_minute, history_per_ip_per_minute: the same for the history the widget polls.
    rasa_timeout_seconds: how long one bot turn may take (form actions call the ticketing API).
    rasa_connections: the proxy's connection pool to Rasa; a flood waits at most
        ``pool_timeout_seconds`` for a connection and then gets 503, others are not held up.
    dedup_seconds: how long an answered client message id is remembered.
    """

    rasa_url: str = "http://localhost:5005"
    rasa_token: str | None = field(default=None, repr=False)
    jwt_secret: str = field(default="", repr=False)
    dev_secret_path: Path = DEV_SECRET_PATH
    jwt_leeway_seconds: int = 30
    demo: bool = False
    max_message_chars: int = 2000
    messages_per_minute: int = 20
    messages_per_ip_per_minute: int = 120
    history_per_minute: int = 60
    history_per_ip_per_minute: int = 1200
    rasa_timeout_seconds: float = 30.0
    rasa_connections: int = 32
    pool_timeout_seconds: float = 3.0
    dedup_seconds: int = 24 * 3600

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> ChatSettings:
        """Read ``RASA_URL``, ``RASA_TOKEN``, ``PLATFORM_JWT_SECRET``, ``CHAT_*``; ``ValueError`` says what to fix."""
        env = dict(os.environ if env is None else env)
        d = cls()
        explicit = (env.get("PLATFORM_JWT_SECRET") or "").strip()
        if explicit and len(explicit) < 32:
            raise ValueError("PLATFORM_JWT_SECRET короче 32 символов: задайте длинный случайный секрет.")
        demo = flag(env.get("CHAT_DEMO"), "CHAT_DEMO", default=not explicit)

        def number(name: str, default: float) -> float:
            raw = (env.get(name) or "").strip()
            try:
                value = float(raw) if raw else default
            except ValueError:
                raise ValueError(f"{name}={raw!r}: нужно число.") from None
            if value <= 0:
                raise ValueError(f"{name}={raw!r}: нужно положительное число.")
            return value

        rasa = RasaEndpoint.from_env(env)
        return cls(
            rasa_url=rasa.url,
            rasa_token=rasa.token,
            jwt_secret=explicit,
            demo=demo,
            max_message_chars=int(number("CHAT_MAX_MESSAGE_CHARS", d.max_message_chars)),
            messages_per_minute=int(number("CHAT_MESSAGES_PER_MINUTE", d.messages_per_minute)),
            messages_per_ip_per_minute=int(number("CHAT_MESSAGES_PER_IP_PER_MINUTE", d.messages_per_ip_per_minute)),
            history_per_minute=int(number("CHAT_HISTORY_PER_MINUTE", d.history_per_minute)),
            history_per_ip_per_minute=int(number("CHAT_HISTORY_PER_IP_PER_MINUTE", d.history_per_ip_per_minute)),
            rasa_timeout_seconds=number("CHAT_RASA_TIMEOUT", d.rasa_timeout_seconds),
            rasa_connections=int(number("CHAT_RASA_CONNECTIONS", d.rasa_connections)),
        )

    @property
    def jwt_secret_is_default(self) -> bool:
        return not self.jwt_secret

    def signing_secret(self) -> str:
        """The secret tokens are checked (and the demo's signed) with."""
        return self.jwt_secret or dev_secret(self.dev_secret_path)
