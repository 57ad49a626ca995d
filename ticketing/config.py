"""Settings of the ticketing service, read from the environment once.

Defaults run on a laptop with nothing installed (SQLite under ``var/``, no Redis);
production switches by environment variables, documented in the README.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = PROJECT_ROOT / "var" / "ticketing.sqlite3"


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
    """

    database_url: str = field(default_factory=lambda: _sqlite_url(DEFAULT_SQLITE_PATH))
    redis_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    tickets_per_requester_per_hour: int = 20
    mail: MailSettings = field(default_factory=lambda: MailSettings())

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


@dataclass(frozen=True)
class SmtpSettings:
    """The outgoing server of replies (§6.3: a letter is answered by letter)."""

    server: MailServer
    from_address: str
    union_from_address: str
    from_name: str = "Билет в будущее"


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
    )
