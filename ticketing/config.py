"""Settings of the ticketing service, read from the environment once.

Defaults run on a laptop with nothing installed (SQLite under ``var/``, no Redis);
production switches by environment variables, documented in the README.
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from procedure import published
from procedure.personal_data import DEFAULT_RETENTION_DAYS, retention_days

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "ticketing.sqlite3"
DEFAULT_TRACKER_PATH = PROJECT_ROOT / "var" / "rasa-tracker.sqlite3"  # endpoints.yml's tracker_store.db


def _sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def normalise_database_url(url: str) -> str:
    """Turn the URLs people usually write into the async drivers SQLAlchemy needs.

    ``postgresql://`` (as Heroku-style platforms and psql print it) becomes
    ``postgresql+asyncpg://`` and ``sqlite:///`` becomes ``sqlite+aiosqlite:///``.
    """
    for plain, async_ in (
        ("postgres://", "postgresql+asyncpg://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("sqlite:///", "sqlite+aiosqlite:///"),
    ):
        if url.startswith(plain):
            return async_ + url[len(plain) :]
    return url


TRUE_WORDS = ("1", "true", "yes", "on", "да")
FALSE_WORDS = ("0", "false", "no", "off", "нет")


DEFAULT_ANONYMISE_HOUR = 3
"""At 03:00 МСК the service anonymises what ran out of ``PD_RETENTION_DAYS`` (night: no staff at work)."""


def anonymise_hour(raw: str | None) -> int:
    """``PD_ANONYMISE_HOUR``: the Moscow hour, 0–23, of the daily anonymisation; empty is 3 (03:00 МСК)."""
    if raw is None or not raw.strip():
        return DEFAULT_ANONYMISE_HOUR
    try:
        hour = int(raw.strip())
    except ValueError:
        hour = -1
    if not 0 <= hour <= 23:
        raise ValueError(f"PD_ANONYMISE_HOUR: нужен час по Москве от 0 до 23 (3 — это 03:00 МСК), а не «{raw}».")
    return hour


def flag(raw: str | None, name: str, default: bool) -> bool:
    """The one reader of yes/no settings and parameters: empty means ``default``; ``ValueError`` in Russian."""
    value = (raw or "").strip().lower()
    if not value:
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ValueError(f"{name}={raw!r}: укажите 1 или 0 (да или нет).")


@dataclass(frozen=True)
class RasaEndpoint:
    """Rasa's HTTP API as the ticketing service reaches it (the chat proxy and the console's replies).

    Attributes:
        url: ``RASA_URL`` without a trailing slash.
        token: Rasa's ``--auth-token`` (``RASA_TOKEN``), sent as ``?token=``; none on a laptop.
    """

    url: str = "http://localhost:5005"
    token: str | None = field(default=None, repr=False)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> RasaEndpoint:
        env = dict(os.environ if env is None else env)
        return cls(url=(env.get("RASA_URL") or cls.url).rstrip("/"), token=env.get("RASA_TOKEN") or None)


@dataclass(frozen=True)
class Settings:
    """Everything the ticketing service can be configured with.

    Attributes:
        database_url: SQLAlchemy async URL; SQLite file by default, PostgreSQL in production.
        redis_url: Redis for pub/sub, queues and rate limits; ``None`` means in-process.
        host: interface the HTTP server binds to.
        port: HTTP port (8000 by default, a contract with the bot and outside checks).
        workers: Sanic worker processes.
        tickets_per_requester_per_hour: new requests one requester (e-mail, login or chat)
            may register in an hour; a flood gets 429 instead of filling line 1's queue.
        mail: the mailboxes and the outgoing server of the mail worker (``MAIL_*``, see below).
        pd_retention_days: a closed ticket keeps its requester's personal data this many days
            (``PD_RETENTION_DAYS``; docs/security.md).
        pd_anonymise_hour: the Moscow hour at which the service anonymises them, once a day, on one
            replica (``PD_ANONYMISE_HOUR``, 03:00 МСК by default; ``http.background.DailyAnonymisation``).
        access_log: Sanic's access log, a line per request (``TICKETING_ACCESS_LOG=1``; off by default):
            e-mails and logins in its query strings are masked like every log line (procedure.personal_data).
        rasa_tracker_url: Rasa's SQL tracker store, where the same person's conversations are
            erased with the ticket (``RASA_TRACKER_URL``; ``var/rasa-tracker.sqlite3`` by default).
    """

    database_url: str = field(default_factory=lambda: _sqlite_url(DEFAULT_SQLITE_PATH))
    redis_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    tickets_per_requester_per_hour: int = 20
    mail: MailSettings = field(default_factory=lambda: MailSettings())
    pd_retention_days: int = DEFAULT_RETENTION_DAYS
    pd_anonymise_hour: int = DEFAULT_ANONYMISE_HOUR
    access_log: bool = False
    rasa_tracker_url: str = field(default_factory=lambda: _sqlite_url(DEFAULT_TRACKER_PATH))

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Read the settings from ``env`` (``os.environ`` by default)."""
        env = dict(os.environ if env is None else env)
        defaults = cls()
        return cls(
            database_url=normalise_database_url(env.get("DATABASE_URL") or defaults.database_url),
            redis_url=env.get("REDIS_URL") or None,
            host=env.get("TICKETING_HOST", defaults.host),
            port=int(env.get("TICKETING_PORT", defaults.port)),
            workers=int(env.get("TICKETING_WORKERS", defaults.workers)),
            tickets_per_requester_per_hour=int(
                env.get("TICKETS_PER_REQUESTER_PER_HOUR", defaults.tickets_per_requester_per_hour)
            ),
            mail=MailSettings.from_env(env),
            pd_retention_days=retention_days(env.get("PD_RETENTION_DAYS")),
            pd_anonymise_hour=anonymise_hour(env.get("PD_ANONYMISE_HOUR")),
            access_log=flag(env.get("TICKETING_ACCESS_LOG"), "TICKETING_ACCESS_LOG", default=False),
            rasa_tracker_url=normalise_database_url(env.get("RASA_TRACKER_URL") or defaults.rasa_tracker_url),
        )

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


# --- Mail (§4.1–4.3): the mailboxes the mail worker reads and the server it answers through ---

SECURITY_MODES = ("tls", "starttls", "none")
_DEFAULT_PORTS = {"imap": {"tls": 993, "starttls": 143, "none": 143}, "smtp": {"tls": 465, "starttls": 587, "none": 25}}
MEGABYTE = 1024 * 1024


def _security(env: dict[str, str], name: str, default: str) -> str:
    value = (env.get(name) or default).strip().lower()
    value = {"ssl": "tls", "plain": "none", "no": "none", "off": "none"}.get(value, value)
    if value not in SECURITY_MODES:
        raise ValueError(f"{name}={value!r}: укажите tls, starttls или none.")
    return value


def _addresses(text: str | None) -> tuple[str, ...]:
    return tuple(a.strip().lower() for a in (text or "").replace(";", ",").split(",") if a.strip())


@dataclass(frozen=True)
class MailServer:
    """One IMAP or SMTP server and its login; the password never appears in ``repr`` (nor in logs)."""

    host: str
    port: int
    security: str = "tls"
    user: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 30.0


@dataclass(frozen=True)
class MailboxSettings:
    """A mailbox the worker reads: the project's (bilet@…, §4.3) or the Union's general one (info@…, §4.1).

    Attributes:
        name: ``project`` or ``union``; part of every letter's idempotency key.
        channel: the ticket channel of its letters (``project_email`` or ``union_email``).
        address: the mailbox's own address; a letter whose To/Cc lacks it but names a staff
            member's personal address is left without answer (§6.2).
        server: where it lives; the Union's mailbox may be a folder of the same account.
        folder: the folder new letters arrive in.
    """

    name: str
    channel: str
    address: str
    server: MailServer
    folder: str = "INBOX"


UNION_FROM_NAME = "Союз «Молодые профессионалы (Ворлдскиллс Россия)»"  # answers from info@… (§4.1)


@dataclass(frozen=True)
class SmtpSettings:
    """The outgoing server of replies (§6.3: a letter is answered by letter)."""

    server: MailServer
    from_address: str
    union_from_address: str
    from_name: str = "Билет в будущее"
    union_from_name: str = UNION_FROM_NAME


@dataclass(frozen=True)
class MailSettings:
    """Everything the mail worker is configured with; empty (``configured`` False) on a laptop.

    Attributes:
        mailboxes: the project mailbox and, when configured, the Union's general mailbox.
        smtp: the outgoing server; ``None`` means replies wait in the outbox.
        processed_folder: where a letter goes once its ticket is committed; empty means
            «leave it in place and mark it with the keyword ``$BvbProcessed``».
        failed_folder: where a letter that cannot be processed goes (kept for a person).
        personal_addresses: staff members' personal addresses and ``@domain`` entries (§6.2).
        poll_seconds: how often to look for new letters when the server has no IDLE, and the
            longest IDLE before it is renewed.
        idle: use IMAP IDLE when the server offers it (new letters within a second or two).
        outbox_seconds: how often the worker looks for answers to send.
        attachment_max_bytes, letter_max_bytes: attachments over these are recorded by name
            and size, not stored.
        replies_per_address_per_hour: more replies to one address wait (no mail storms).
        union_incoming_format: the incoming number of a registration card (§4.1.2): ``{seq}``
            is the number within the year, ``{year}`` the year of registration.
    """

    mailboxes: tuple[MailboxSettings, ...] = ()
    smtp: SmtpSettings | None = None
    processed_folder: str = "Processed"
    failed_folder: str = "Failed"
    personal_addresses: tuple[str, ...] = ()
    poll_seconds: float = 60.0
    idle: bool = True
    outbox_seconds: float = 5.0
    attachment_max_bytes: int = 10 * MEGABYTE
    letter_max_bytes: int = 25 * MEGABYTE
    replies_per_address_per_hour: int = 10
    union_incoming_format: str = "{seq:05d}/ВХ-{year}"

    @property
    def configured(self) -> bool:
        return bool(self.mailboxes)

    def mailbox(self, name: str) -> MailboxSettings | None:
        return next((m for m in self.mailboxes if m.name == name), None)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> MailSettings:
        """Read ``MAIL_*`` and ``UNION_INCOMING_FORMAT``; raises ``ValueError`` saying what to fix."""
        from ticketing.domain.mail.cards import check_incoming_format

        env = dict(os.environ if env is None else env)
        defaults = cls()
        incoming_format = check_incoming_format(env.get("UNION_INCOMING_FORMAT") or defaults.union_incoming_format)
        base = cls(
            processed_folder=env.get("MAIL_IMAP_PROCESSED_FOLDER", defaults.processed_folder).strip(),
            failed_folder=env.get("MAIL_IMAP_FAILED_FOLDER", defaults.failed_folder).strip(),
            personal_addresses=_addresses(env.get("MAIL_PERSONAL_ADDRESSES")),
            poll_seconds=float(env.get("MAIL_POLL_SECONDS") or defaults.poll_seconds),
            idle=(env.get("MAIL_IMAP_IDLE") or "1").strip().lower() not in ("0", "false", "no", "off"),
            outbox_seconds=float(env.get("MAIL_OUTBOX_SECONDS") or defaults.outbox_seconds),
            attachment_max_bytes=int(float(env.get("MAIL_ATTACHMENT_MAX_MB") or 10) * MEGABYTE),
            letter_max_bytes=int(float(env.get("MAIL_LETTER_MAX_MB") or 25) * MEGABYTE),
            replies_per_address_per_hour=int(
                env.get("MAIL_REPLIES_PER_ADDRESS_PER_HOUR") or defaults.replies_per_address_per_hour
            ),
            union_incoming_format=incoming_format,
            smtp=_smtp_from_env(env),
        )
        host = (env.get("MAIL_IMAP_HOST") or "").strip()
        if not host:
            return base
        security = _security(env, "MAIL_IMAP_SECURITY", "tls")
        server = MailServer(
            host=host,
            port=int(env.get("MAIL_IMAP_PORT") or _DEFAULT_PORTS["imap"][security]),
            security=security,
            user=env.get("MAIL_IMAP_USER", ""),
            password=env.get("MAIL_IMAP_PASSWORD", ""),
        )
        project_address = (env.get("MAIL_PROJECT_ADDRESS") or "bilet@worldskills.ru").strip().lower()
        mailboxes = [
            MailboxSettings("project", "project_email", project_address, server, env.get("MAIL_IMAP_FOLDER") or "INBOX")
        ]
        union_folder = (env.get("MAIL_UNION_IMAP_FOLDER") or "").strip()
        union_user = (env.get("MAIL_UNION_IMAP_USER") or "").strip()
        if union_folder or union_user:
            union_server = server
            if union_user:
                union_server = MailServer(
                    host=(env.get("MAIL_UNION_IMAP_HOST") or host).strip(),
                    port=int(env.get("MAIL_UNION_IMAP_PORT") or server.port),
                    security=server.security,
                    user=union_user,
                    password=env.get("MAIL_UNION_IMAP_PASSWORD", ""),
                )
            union_address = (env.get("MAIL_UNION_ADDRESS") or "info@worldskills.ru").strip().lower()
            mailboxes.append(
                MailboxSettings("union", "union_email", union_address, union_server, union_folder or "INBOX")
            )
            if union_server == server and (union_folder or "INBOX") == mailboxes[0].folder:
                raise ValueError(
                    "Общая почта Союза и почта проекта читаются из одной папки: задайте MAIL_UNION_IMAP_FOLDER."
                )
        return replace(base, mailboxes=tuple(mailboxes))


def _smtp_from_env(env: dict[str, str]) -> SmtpSettings | None:
    host = (env.get("MAIL_SMTP_HOST") or "").strip()
    if not host:
        return None
    security = _security(env, "MAIL_SMTP_SECURITY", "starttls")
    project_address = (env.get("MAIL_PROJECT_ADDRESS") or "bilet@worldskills.ru").strip().lower()
    from_address = (env.get("MAIL_FROM") or project_address).strip()
    return SmtpSettings(
        server=MailServer(
            host=host,
            port=int(env.get("MAIL_SMTP_PORT") or _DEFAULT_PORTS["smtp"][security]),
            security=security,
            user=env.get("MAIL_SMTP_USER", ""),
            password=env.get("MAIL_SMTP_PASSWORD", ""),
        ),
        from_address=from_address,
        union_from_address=(env.get("MAIL_UNION_FROM") or env.get("MAIL_UNION_ADDRESS") or from_address).strip(),
        from_name=env.get("MAIL_FROM_NAME") or "Билет в будущее",
        union_from_name=env.get("MAIL_UNION_FROM_NAME") or UNION_FROM_NAME,
    )


# --- The staff console (read when the console first serves a page) ---------------------------


@dataclass(frozen=True)
class ConsoleSettings:
    """Attributes:
    rasa_url: Rasa's HTTP API, where chat replies are appended to the conversation (§6.3).
    rasa_token: Rasa's ``--auth-token``, sent as ``?token=``; none on a laptop.
    project_root: where ``domain.yml`` and ``data/`` of the bot lie (scenario texts for replies).
    secure_cookies: mark the session cookie ``Secure``; switch on behind HTTPS.
    published_content: the directory ``make publish`` writes the published scenario content to
        (``PUBLISHED_CONTENT``; ``make run`` sets ``var/published``): the help page and the
        console's scenarios follow it, not the files as saved. None: the files themselves.
    """

    rasa_url: str = "http://localhost:5005"
    rasa_token: str | None = None
    project_root: Path = PROJECT_ROOT
    secure_cookies: bool = False
    published_content: Path | None = None

    def content_root(self) -> Path:
        """Where the scenario content is read from now: the published version, else the working copy."""
        return published.content_root(self.published_content, self.project_root)

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
            published_content=_under_root(env.get("PUBLISHED_CONTENT")),
        )


def _under_root(raw: str | None) -> Path | None:
    """A path from the environment; a relative one is taken from the project root, as ``make run`` gives it."""
    if not raw or not raw.strip():
        return None
    path = Path(raw.strip())
    return path if path.is_absolute() else PROJECT_ROOT / path


# --- The web chat of the site and the personal account (read when the server starts) -----------
# The defaults run on a laptop under ``make run``: Rasa on localhost, a development secret for the
# personal account's tokens generated into ``var/platform-jwt.secret`` (never printed), and the demo
# page switched on. Production sets ``PLATFORM_JWT_SECRET`` (then the demo is off unless
# ``CHAT_DEMO=1``, which must never be set there: the demo signs tokens with that secret).

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
