"""Generated letters through the whole mail intake, on SQLite (issue 13: «never a crash loop»).

Each letter becomes a ticket, a continuation, a robot's letter kept aside or a duplicate — never an
exception, which the worker would retry until it gives up on the letter — and every letter is kept:
the stored mail row names what became of it. The letters come from ``tests/unit/properties/letters.py``.
"""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from tests.integration.conftest import sqlite_copy
from tests.unit.properties.letters import letters
from ticketing.bootstrap import PureParts, build_container
from ticketing.config import Settings
from ticketing.domain.mail.letters import Limits
from ticketing.domain.mail.requester import PymorphyNames
from ticketing.domain.tickets import Channel
from ticketing.services.mail_intake import IntakeRules, MailboxRef, MailIntake

BOXES = (
    MailboxRef(name="project", channel=Channel.PROJECT_EMAIL, address="bilet@worldskills.ru"),
    MailboxRef(name="union", channel=Channel.UNION_EMAIL, address="info@worldskills.ru"),
)
OUTCOMES = {"created", "continued", "auto_reply", "bounce", "duplicate", "copy"}


def test_every_generated_letter_is_kept_and_none_raises(
    sqlite_template: Path, tmp_path: Path, parts: PureParts
) -> None:
    settings_ = Settings(database_url=sqlite_copy(sqlite_template, tmp_path / "ticketing.sqlite3"))
    names = PymorphyNames()
    uids = itertools.count(1)

    async def receive(raw: bytes) -> None:
        container = build_container(settings_, clock=lambda: datetime(2026, 11, 27, 9, 30, tzinfo=UTC), parts=parts)
        try:
            intake = MailIntake(
                container.uow,
                screen=container.screening.screen,
                names=names,
                calendar=lambda: container.calendar,
                clock=container.clock,
                rules=IntakeRules(limits=Limits(2_000, 200_000), incoming_format="{seq:05d}/ВХ-{year}"),
            )
            uid = next(uids)
            box = BOXES[uid % 2]
            key = f"{box.name}:1:{uid}"
            received = await intake.receive(box, key, raw)
            assert received.outcome in OUTCOMES, received
            async with container.uow() as uow:
                stored = await uow.mail.by_key(key)
            assert stored is not None, f"письмо {key} ({received.outcome}) не сохранено"
            again = await intake.receive(box, key, raw)  # the worker's retry after a crash: nothing twice
            assert again.outcome == "duplicate"
        finally:
            await container.close()

    @settings(
        max_examples=40,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(letters())
    def check(raw: bytes) -> None:
        asyncio.run(receive(raw))

    check()
