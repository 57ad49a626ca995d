# ruff: noqa: F811 - pytest fixtures are imported by name and then requested as parameters
"""The worker as a process: IDLE within seconds, killed mid-batch without loss or twins, secrets kept."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest

from tests.integration.mail_rig import PROCESSED, MailRig, letter, rig  # noqa: F401
from tests.integration.mail_servers import PASSWORD, SMTP_PASSWORD, Dovecot, dovecot, smtp_capture  # noqa: F401
from ticketing.adapters.imap import ImapMailbox
from ticketing.config import MailServer
from ticketing.domain.tickets import Status
from ticketing.services.mail_intake import MailIntake
from ticketing.services.mail_ports import MailboxUnavailable

pytestmark = pytest.mark.mail
ROOT = Path(__file__).resolve().parents[2]


async def eventually(check: Any, seconds: float = 8.0) -> float:
    """Wait until ``check()`` is truthy; returns how long it took."""
    start = time.monotonic()
    while not await check():
        if time.monotonic() - start > seconds:
            pytest.fail(f"не дождались за {seconds} с")
        await asyncio.sleep(0.1)
    return time.monotonic() - start


async def test_a_letter_becomes_a_ticket_within_seconds_and_the_answer_goes_out(rig: MailRig) -> None:
    rig.reconfigure(poll_seconds=60)  # only IDLE can be this fast
    requester = rig.dovecot.account()
    rig.smtp.relay_to["anna@example.ru"] = requester
    stop = asyncio.Event()
    task = asyncio.create_task(rig.worker.run(stop))
    try:
        await asyncio.sleep(1.0)  # the worker has read the empty inbox and is idling
        rig.deliver(letter())

        async def ticket_exists() -> bool:  # and the letter finished: moved out of the inbox after its commit
            return len(await rig.tickets()) == 1 and not rig.dovecot.letters(rig.user)

        took = await eventually(ticket_exists, seconds=20)
        assert took < 20  # the poll is every 60 s: only IDLE's push can be this fast (even on a loaded machine)
        number = (await rig.tickets())[0].number or ""
        await rig.answer(number, "Ответ оператора.")

        async def answer_arrived() -> bool:
            return len(rig.dovecot.letters(requester)) == 1

        await eventually(answer_arrived, seconds=20)
        answer = message_from_bytes(rig.dovecot.letters(requester)[0], policy=policy.default)
        reply = letter("Спасибо, получилось!", subject=f"Re: {answer['Subject']}", In_Reply_To=answer["Message-ID"])
        rig.deliver(reply)

        async def reopened() -> bool:
            return (await rig.ticket(number)).status is Status.IN_PROGRESS

        await eventually(reopened, seconds=20)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


async def test_a_crash_after_the_ticket_commit_is_finished_by_the_next_read(
    rig: MailRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = MailIntake._note_letter
    crashes = iter([True])

    def crash_once(self: MailIntake, *args: Any, **kwargs: Any) -> None:
        if next(crashes, False):
            raise KeyboardInterrupt("убит после фиксации обращения")
        original(self, *args, **kwargs)

    monkeypatch.setattr(MailIntake, "_note_letter", crash_once)
    rig.deliver(letter())
    with pytest.raises(KeyboardInterrupt):
        await rig.once()
    assert len(await rig.tickets()) == 1 and len(rig.dovecot.letters(rig.user)) == 1  # committed, not yet moved
    await rig.once()
    (ticket,) = await rig.tickets()
    assert [e.type for e in ticket.events].count("created") == 1 and any(
        e.type == "mail_received" for e in ticket.events
    )
    assert rig.dovecot.letters(rig.user) == [] and len(await rig.letters(ticket.number or "")) == 1


async def test_a_poisoned_letter_goes_to_the_failed_folder_after_three_tries(
    rig: MailRig, monkeypatch: pytest.MonkeyPatch
) -> None:
    receive = MailIntake.receive

    async def choke(self: MailIntake, mailbox: Any, key: str, raw: bytes) -> Any:
        if b"POISON" in raw:
            raise ValueError("письмо ломает разбор")
        return await receive(self, mailbox, key, raw)

    monkeypatch.setattr(MailIntake, "receive", choke)
    rig.deliver(letter(subject="POISON"))
    rig.deliver(letter(subject="Обычное письмо"))
    for _ in range(3):
        await rig.once()
    assert [t.subject for t in await rig.tickets()] == ["Обычное письмо"]
    assert len(rig.dovecot.letters(rig.user, "Failed")) == 1 and rig.dovecot.letters(rig.user) == []


async def test_passwords_never_reach_the_logs(rig: MailRig, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("DEBUG"):
        rig.deliver(letter())
        await rig.once()
        number = (await rig.tickets())[0].number or ""
        await rig.answer(number, "Ответ.")
        await rig.once()
        assert rig.smtp.logins  # the SMTP login did happen
        box = rig.mail.mailboxes[0]
        wrong = MailServer(box.server.host, box.server.port, "none", box.server.user, 'wrong"' + PASSWORD)
        rig.reconfigure(mailboxes=(type(box)(box.name, box.channel, box.address, wrong, box.folder),))
        with pytest.raises(MailboxUnavailable) as refused:
            await rig.once()
    assert "AUTHENTICATIONFAILED" in str(refused.value) or "LOGIN" in str(refused.value)
    for secret in (PASSWORD, SMTP_PASSWORD, 'wrong"' + PASSWORD):
        assert secret not in caplog.text and secret not in str(refused.value) and secret not in repr(rig.mail)


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "ticketing", "mail-worker"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def _count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db, timeout=30) as conn:
        try:
            return int(conn.execute(sql).fetchone()[0])
        except sqlite3.OperationalError:  # the schema is not there yet
            return 0


def test_worker_killed_mid_batch_loses_nothing_and_doubles_nothing(dovecot: Dovecot, tmp_path: Path) -> None:
    user = dovecot.account()
    total = 30
    for i in range(total):
        dovecot.append(user, letter(f"Здравствуйте! Вопрос номер {i}.\nИванов Иван", subject=f"Письмо {i}").as_bytes())
    db = tmp_path / "worker.sqlite3"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("MAIL_", "DATABASE_URL", "REDIS_URL"))},
        "DATABASE_URL": f"sqlite:///{db}",
        "MAIL_IMAP_HOST": "127.0.0.1",
        "MAIL_IMAP_PORT": str(dovecot.port),
        "MAIL_IMAP_SECURITY": "none",
        "MAIL_IMAP_USER": user,
        "MAIL_IMAP_PASSWORD": PASSWORD,
        "MAIL_IMAP_PROCESSED_FOLDER": PROCESSED,
        "MAIL_POLL_SECONDS": "1",
    }
    log = tmp_path / "worker.log"
    first = _worker(env, log)
    try:
        deadline = time.monotonic() + 60
        while _count(db, "SELECT count(*) FROM mail_messages") < 5:
            assert first.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    processed_before_restart = _count(db, "SELECT count(*) FROM mail_messages")
    assert processed_before_restart < total, "убит слишком поздно: пакет уже кончился"
    second = _worker(env, log)
    try:
        deadline = time.monotonic() + 90
        while _count(db, "SELECT count(*) FROM mail_messages") < total or dovecot.letters(user):
            assert second.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        second.send_signal(signal.SIGTERM)
        assert second.wait(20) == 0
    finally:
        if second.poll() is None:
            second.kill()
    assert _count(db, "SELECT count(*) FROM tickets") == total
    assert _count(db, "SELECT count(DISTINCT subject) FROM tickets") == total
    assert _count(db, "SELECT count(DISTINCT message_id) FROM mail_messages") == total
    assert _count(db, "SELECT count(*) FROM ticket_events WHERE type = 'created'") == total
    assert len(dovecot.letters(user, PROCESSED)) == total
    assert PASSWORD not in log.read_text()


def test_unconfigured_worker_says_so_and_exits_0() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAIL_")}
    done = subprocess.run(
        [sys.executable, "-m", "ticketing", "mail-worker"], cwd=ROOT, env=env, capture_output=True, timeout=60
    )
    assert done.returncode == 0 and "почтовый ящик не настроен" in done.stderr.decode()


async def test_a_poll_sees_a_letter_appended_since_the_last_poll(rig: MailRig) -> None:
    """Without IDLE the worker polls one open connection: a SEARCH alone missed new letters till the next poll."""
    box = rig.mail.mailboxes[0]
    mailbox = ImapMailbox("project", box.server, box.folder, processed_folder="", failed_folder="", use_idle=False)
    await mailbox.open()
    try:
        assert await mailbox.unprocessed() == []
        rig.deliver(letter())
        assert len(await mailbox.unprocessed()) == 1  # this poll, not the one after
    finally:
        await mailbox.close()
