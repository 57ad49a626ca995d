"""The one place that picks concrete adapters and wires the service together."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine

from ticketing.adapters.event_bus import InProcessEventBus, RedisEventBus
from ticketing.adapters.locks import LocalRoundLock, RedisRoundLock, RoundLock
from ticketing.adapters.rate_limit import LocalRateLimiter, RateLimiter, RedisRateLimiter
from ticketing.adapters.uow import SqlAlchemyUnitOfWork, make_engine
from ticketing.config import Settings
from ticketing.domain.calendar import WorkCalendar
from ticketing.domain.regions import RegionResolver, load_regions
from ticketing.domain.screening import ScreeningEngine
from ticketing.services.events import EventBus
from ticketing.services.tokens import TokenCache
from ticketing.services.unit_of_work import AbstractUnitOfWork


def utc_now() -> datetime:
    return datetime.now(UTC)


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
    redis: Redis | None = None
    clock: Callable[[], datetime] = utc_now
    token_cache: TokenCache = field(default_factory=TokenCache)

    def uow(self) -> AbstractUnitOfWork:
        return SqlAlchemyUnitOfWork(self.engine)

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
        return cls(calendar=WorkCalendar(), regions=RegionResolver(load_regions()), screening=ScreeningEngine())


def build_container(
    settings: Settings, *, clock: Callable[[], datetime] = utc_now, parts: PureParts | None = None
) -> Container:
    """Wire the service; ``parts`` lets tests share the dictionaries between containers."""
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
        redis=redis,
        clock=clock,
    )
