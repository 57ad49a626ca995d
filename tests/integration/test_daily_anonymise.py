"""The service anonymises what ran out of PD_RETENTION_DAYS by itself, once a Moscow day at PD_ANONYMISE_HOUR,
on one replica at a time (http/background.DailyAnonymisation, adapters/daily_runs; 152-ФЗ ст. 5 ч. 7)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.integration.conftest import Api
from tests.integration.test_personal_data import RETENTION, answered_ticket, row_of
from ticketing.adapters.orm import daily_runs, pd_access
from ticketing.bootstrap import PureParts, build_container
from ticketing.config import Settings, anonymise_hour
from ticketing.http.background import ANONYMISE_JOB, DailyAnonymisation, anonymise_day
from ticketing.services.personal_data_ports import ConversationStore


class GatedStore(ConversationStore):
    """Rasa's tracker store with no conversations, whose ``idle`` (the last step of a run) waits for ``release``."""

    def __init__(self, *, fail: bool = False) -> None:
        self.opened = 0  # how many runs took it from the factory
        self.entered = asyncio.Event()
        self.release = asyncio.Event()
        self.fail = fail

    def __call__(self) -> ConversationStore:
        self.opened += 1
        return self

    async def forget(self, conversation_ids: Iterable[str]) -> int:
        return 0

    async def idle(self, before: datetime) -> list[str]:
        self.entered.set()
        await self.release.wait()
        if self.fail:
            raise OSError("трекер Rasa недоступен")
        return []

    async def close(self) -> None:
        return None


def opened_store() -> GatedStore:
    store = GatedStore()
    store.release.set()
    return store


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 12, 6, 23, 59, tzinfo=UTC), None),  # 02:59 МСК on the 7th
        (datetime(2026, 12, 7, 0, 0, tzinfo=UTC), date(2026, 12, 7)),  # 03:00 МСК
        (datetime(2026, 12, 7, 20, 30, tzinfo=UTC), date(2026, 12, 7)),  # 23:30 МСК: a late start catches up
        (datetime(2026, 12, 7, 21, 0, tzinfo=UTC), None),  # 00:00 МСК on the 8th
    ],
)
def test_the_day_is_due_from_the_hour_in_moscow(moment: datetime, expected: date | None) -> None:
    assert anonymise_day(moment, 3) == expected


def test_the_hour_is_read_in_russian() -> None:
    assert Settings.from_env({}).pd_anonymise_hour == 3 == anonymise_hour(" ")
    assert Settings.from_env({"PD_ANONYMISE_HOUR": "0"}).pd_anonymise_hour == 0
    for bad in ("25", "-1", "ночью", "3.5"):
        with pytest.raises(ValueError, match=f"PD_ANONYMISE_HOUR: нужен час по Москве от 0 до 23 .*«{bad}»"):
            Settings.from_env({"PD_ANONYMISE_HOUR": bad})


async def test_the_service_anonymises_by_itself_once_a_day(api: Api) -> None:
    start = api.clock.now
    old = await answered_ticket(api)
    container = api.app.ctx.container
    store = opened_store()
    job = DailyAnonymisation(container, conversations=store)
    api.clock.now = datetime(2027, 11, 29, 23, 30, tzinfo=UTC)  # 02:30 МСК, a year and two days on: not yet
    assert start + RETENTION < api.clock.now
    assert await job.round() is None and store.opened == 0
    assert (await row_of(api, old)).email == "ivan.petrov@example.ru"

    api.clock.now = datetime(2027, 11, 30, 0, 1, tzinfo=UTC)  # 03:01 МСК
    report = await job.round()
    assert report is not None and report.tickets == [old] and store.opened == 1
    assert (await row_of(api, old)).email is None
    async with container.engine.connect() as conn:
        [run] = (await conn.execute(select(daily_runs))).all()
        [entry] = (await conn.execute(select(pd_access))).all()
    assert (run.name, run.day, run.summary) == (ANONYMISE_JOB, date(2027, 11, 30), "обращений — 1, диалогов бота — 0")
    assert (entry.action, entry.actor, entry.role, entry.tickets) == (
        "pd_anonymise", "schedule:ежедневное обезличивание", "system", [old]
    )  # fmt: skip

    api.clock.now += timedelta(minutes=1)  # the next round of the same process
    assert await job.round() is None
    restarted = DailyAnonymisation(container, conversations=store)  # a restart, or another replica
    assert await restarted.round() is None and store.opened == 1  # the day is recorded as done

    api.clock.now += timedelta(days=1)  # the next night runs again
    assert (await restarted.round()) is not None and store.opened == 2


async def test_a_second_replica_does_not_run_it_while_the_first_does(
    api: Api, database_url: str, parts: PureParts
) -> None:
    """Two replicas on one database (two containers, two engines): on PostgreSQL the advisory lock decides."""
    old = await answered_ticket(api)
    api.clock.now = datetime(2027, 12, 1, 1, 0, tzinfo=UTC)  # 04:00 МСК
    settings = Settings(database_url=database_url, rasa_tracker_url=api.app.ctx.settings.rasa_tracker_url)
    second = build_container(settings, clock=api.clock, parts=parts)
    try:
        slow, other = GatedStore(), opened_store()
        first_job = DailyAnonymisation(api.app.ctx.container, conversations=slow)
        second_job = DailyAnonymisation(second, conversations=other)
        running = asyncio.create_task(first_job.round())
        try:
            await asyncio.wait_for(slow.entered.wait(), 10)  # the first replica is in the middle of its run
            assert await asyncio.wait_for(second_job.round(), 10) is None
            assert other.opened == 0  # it did not start: no second run beside the first
        finally:
            slow.release.set()
        report = await asyncio.wait_for(running, 10)
        assert report is not None and report.tickets == [old]
        assert await second_job.round() is None and other.opened == 0  # and not after it either: done today
    finally:
        await second.close()


async def test_a_failed_run_leaves_the_day_to_another_replica(api: Api, database_url: str, parts: PureParts) -> None:
    old = await answered_ticket(api)
    api.clock.now = datetime(2027, 12, 1, 1, 0, tzinfo=UTC)
    broken = GatedStore(fail=True)
    broken.release.set()
    first_job = DailyAnonymisation(api.app.ctx.container, conversations=broken)
    with pytest.raises(OSError):
        await first_job.round()
    assert await first_job.round() is None and broken.opened == 1  # this process waits a while before retrying
    async with api.app.ctx.container.engine.connect() as conn:
        assert (await conn.execute(select(daily_runs))).all() == []  # the day is not done
    settings = Settings(database_url=database_url, rasa_tracker_url=api.app.ctx.settings.rasa_tracker_url)
    second = build_container(settings, clock=api.clock, parts=parts)
    try:
        other = opened_store()
        report = await DailyAnonymisation(second, conversations=other).round()  # the lock was released
        assert report is not None and other.opened == 1
    finally:
        await second.close()
    assert (await row_of(api, old)).email is None
