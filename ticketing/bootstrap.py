"""The one place that picks concrete adapters and wires the service together.

The API's container, the console's parts (sessions, the reply sender, scenarios), the chat's
runtime (the Rasa gateway, the reply memory) and the mail worker's mailboxes are all chosen here:
Redis when ``REDIS_URL`` is set, else in-process or SQL; the HTTP layer only asks for them.
"""

from __future__ import annotations

import functools
import ssl
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from procedure.personal_data import install_log_masking
from procedure.screening import ScreeningEngine
from ticketing.adapters.daily_runs import DailyRuns
from ticketing.adapters.event_bus import InProcessEventBus, RedisEventBus
from ticketing.adapters.locks import LocalRoundLock, RedisRoundLock, RoundLock
from ticketing.adapters.published_content import PublishedContent
from ticketing.adapters.rasa import RasaGateway, RasaReplySender
from ticketing.adapters.rasa_tracker import RedisConversationStore, SqlConversationStore
from ticketing.adapters.rate_limit import LocalRateLimiter, RateLimiter, RedisRateLimiter
from ticketing.adapters.reply_cache import LocalReplyCache, RedisReplyCache, ReplyCache
from ticketing.adapters.scenarios import Scenario, load_scenarios
from ticketing.adapters.sessions import RedisSessionStore, SqlSessionStore
from ticketing.adapters.uow import SqlAlchemyUnitOfWork, make_engine
from ticketing.config import ChatSettings, ConsoleSettings, MailSettings, Settings
from ticketing.domain.calendar import WorkCalendar
from ticketing.domain.mail.requester import NameClassifier
from ticketing.domain.regions import RegionResolver, load_regions, load_towns
from ticketing.domain.tickets import Channel, NewTicket
from ticketing.services.events import EventBus
from ticketing.services.intake import TicketIntake
from ticketing.services.mail_intake import MailboxRef
from ticketing.services.mail_ports import Mailbox, MailTransport
from ticketing.services.personal_data_ports import ConversationStore
from ticketing.services.replies import ReplySender
from ticketing.services.sessions import SessionStore
from ticketing.services.tokens import TokenCache
from ticketing.services.unit_of_work import AbstractUnitOfWork


def utc_now() -> datetime:
    return datetime.now(UTC)


REQUESTER_WINDOW_SECONDS = 3600  # tickets_per_requester_per_hour counts in windows of an hour


@dataclass
class Container:
    """What request handlers need; built when the server starts, closed when it stops."""

    settings: Settings
    engine: AsyncEngine
    calendar: WorkCalendar
    regions: RegionResolver
    bus: EventBus
    screening: ScreeningEngine
    locks: RoundLock
    rate_limiter: RateLimiter
    replies: ReplyCache  # the chat's memory of answered client messages
    redis: Redis | None = None
    clock: Callable[[], datetime] = utc_now
    token_cache: TokenCache = field(default_factory=TokenCache)

    def uow(self) -> AbstractUnitOfWork:
        return SqlAlchemyUnitOfWork(self.engine)

    def requester_retry_after(self) -> int:
        """Seconds until a requester over the hourly limit may register again (``Retry-After`` of the 429)."""
        return self.rate_limiter.seconds_left(REQUESTER_WINDOW_SECONDS)

    @functools.cached_property
    def daily_runs(self) -> DailyRuns:
        """Which replica runs a daily job, and whether today's run is done (adapters.daily_runs)."""
        return DailyRuns(self.engine)

    @functools.cached_property
    def intake(self) -> TicketIntake:
        """Registration of new requests, batched per process (``services.intake``)."""
        limit = self.settings.tickets_per_requester_per_hour

        async def allow(new_tickets: Sequence[NewTicket]) -> list[bool]:
            """At most ``limit`` new requests an hour from one e-mail, login or chat (a bot loop, a flood)."""
            requesters = [t.email or t.login or t.conversation_id for t in new_tickets]
            keys = [f"tickets:{r}" for r in requesters if r is not None]
            window = REQUESTER_WINDOW_SECONDS
            verdicts = iter(
                await self.rate_limiter.allow_many(keys, limit=limit, window_seconds=window) if keys else []
            )
            return [next(verdicts) if r is not None else True for r in requesters]

        return TicketIntake(
            self.uow, calendar=lambda: self.calendar, clock=lambda: self.clock(), allow=allow, bus=self.bus
        )

    async def close(self) -> None:
        await self.bus.close()
        if self.redis is not None:
            await self.redis.aclose()
        await self.engine.dispose()


@dataclass(frozen=True)
class PureParts:
    """The expensive, stateless domain objects (dictionaries, models); safe to share."""

    calendar: WorkCalendar
    regions: RegionResolver
    screening: ScreeningEngine

    @classmethod
    def build(cls) -> PureParts:
        regions = RegionResolver(load_regions(), load_towns())
        return cls(calendar=WorkCalendar(), regions=regions, screening=ScreeningEngine())


def build_container(
    settings: Settings, *, clock: Callable[[], datetime] = utc_now, parts: PureParts | None = None
) -> Container:
    """Wire the service; ``parts`` lets tests share the dictionaries between containers.

    Every process of the service (``serve``, ``mail-worker``, the commands) builds its container
    here, so this is where its logs stop carrying e-mails and logins (152-ФЗ; procedure.personal_data).
    """
    install_log_masking()
    parts = parts or PureParts.build()
    redis = Redis.from_url(settings.redis_url, decode_responses=True) if settings.redis_url else None
    return Container(
        settings=settings,
        engine=make_engine(settings.database_url),
        calendar=parts.calendar,
        regions=parts.regions,
        screening=parts.screening,
        bus=RedisEventBus(redis) if redis is not None else InProcessEventBus(),
        locks=RedisRoundLock(redis) if redis is not None else LocalRoundLock(),
        rate_limiter=RedisRateLimiter(redis) if redis is not None else LocalRateLimiter(),
        replies=RedisReplyCache(redis) if redis is not None else LocalReplyCache(),
        redis=redis,
        clock=clock,
    )


def conversation_store(settings: Settings) -> ConversationStore:
    """Rasa's tracker store, where a person's conversations are erased with their tickets (152-ФЗ).

    ``RASA_TRACKER_URL``: an SQL store (``sqlite:///…``, ``postgresql://…``) or Rasa's Redis store
    (``redis://…?key_prefix=…``), whichever endpoints.yml gives Rasa.
    """
    if settings.rasa_tracker_url.startswith(("redis://", "rediss://")):
        return RedisConversationStore(settings.rasa_tracker_url)
    return SqlConversationStore(settings.rasa_tracker_url)


def reply_sender(settings: ConsoleSettings) -> ReplySender:
    """Where staff replies to chat tickets go: Rasa's HTTP API, appended to the conversation (§6.3)."""
    return RasaReplySender(settings.rasa_url, settings.rasa_token)


T = TypeVar("T")


@dataclass
class ConsoleParts:
    """The staff console's adapters: sign-in sessions, the reply sender and the bot's scenario texts.

    ``published`` (when set) gives the scenarios of the published content, which change at ``make
    publish`` together with the help page and the bot; ``scenarios`` is a fixed list (tests).
    """

    settings: ConsoleSettings
    sessions: SessionStore
    sender: ReplySender
    scenarios: list[Scenario]
    published: PublishedContent[list[Scenario]] | None = None

    def current_scenarios(self) -> list[Scenario]:
        """The scenarios line 1 may start a reply with now (§5.3)."""
        return self.published.current() if self.published is not None else self.scenarios

    def follow_published(self, build: Callable[[Path], T]) -> PublishedContent[T]:
        """``build`` of the published scenario content, rebuilt after each publish (the help page)."""
        return PublishedContent(self.settings.content_root, build)


def build_console(container: Container, settings: ConsoleSettings) -> ConsoleParts:
    """Sessions in Redis when the container has it (shared by workers), else in the database."""
    sessions: SessionStore = (
        RedisSessionStore(container.redis) if container.redis is not None else SqlSessionStore(container.engine)
    )
    return ConsoleParts(
        settings=settings,
        sessions=sessions,
        sender=reply_sender(settings),
        scenarios=[],
        published=PublishedContent(settings.content_root, load_scenarios),
    )


@dataclass
class ChatRuntime:
    """What the chat's views share; opened when the server starts (the gateway's pools belong to its loop)."""

    settings: ChatSettings
    gateway: RasaGateway
    replies: ReplyCache
    limiter: RateLimiter
    regions: RegionResolver


def build_chat(container: Container, settings: ChatSettings) -> ChatRuntime:
    """The chat proxy's Rasa gateway, with the container's reply memory, limits and regions."""
    return ChatRuntime(
        settings=settings,
        gateway=RasaGateway(
            settings.rasa_url,
            settings.rasa_token,
            timeout=settings.rasa_timeout_seconds,
            connections=settings.rasa_connections,
            pool_timeout=settings.pool_timeout_seconds,
        ),
        replies=container.replies,
        limiter=container.rate_limiter,
        regions=container.regions,
    )


@dataclass
class MailParts:
    """The mail worker's adapters: one IMAP connection per mailbox, the SMTP transport (if any)."""

    mailboxes: list[tuple[MailboxRef, Mailbox]]
    transport: MailTransport | None
    names: NameClassifier


def build_mail(mail: MailSettings, *, ssl_context: ssl.SSLContext | None = None) -> MailParts:
    """Pick the mail adapters: ``imaplib`` and ``smtplib`` on threads, pymorphy3 for people's names."""
    from ticketing.adapters.imap import ImapMailbox
    from ticketing.adapters.smtp import SmtpTransport
    from ticketing.domain.mail.requester import PymorphyNames

    mailboxes: list[tuple[MailboxRef, Mailbox]] = [
        (
            MailboxRef(name=box.name, channel=Channel(box.channel), address=box.address),
            ImapMailbox(
                box.name,
                box.server,
                box.folder,
                processed_folder=mail.processed_folder,
                failed_folder=mail.failed_folder,
                use_idle=mail.idle,
                ssl_context=ssl_context,
            ),
        )
        for box in mail.mailboxes
    ]
    transport = SmtpTransport(mail.smtp.server, ssl_context=ssl_context) if mail.smtp is not None else None
    return MailParts(mailboxes=mailboxes, transport=transport, names=PymorphyNames())
