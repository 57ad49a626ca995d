"""``python -m ticketing mail-worker``: letters into tickets, answers out by letter.

One process for the mail: it reads each configured mailbox (IMAP IDLE where the server offers
it, so a letter becomes a ticket within a second or two; polling otherwise) and sends the
answers line 1 wrote to mail tickets (the console's reply outbox, every few seconds). Sending
lives here rather than in the server's background rounds because this process already holds
the mail settings and connections, and replies then leave within seconds, not a minute.

Run one worker per set of mailboxes. Without ``MAIL_IMAP_HOST`` it says «почтовый ящик не
настроен» and exits 0 (with ``--stay`` it waits instead, so ``make run``'s honcho keeps the
other processes up). ``--once`` reads every mailbox once, sends what is due, and exits.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from ticketing.bootstrap import Container, MailParts, build_container, build_mail
from ticketing.config import MailSettings, Settings
from ticketing.domain.mail.letters import Limits
from ticketing.entrypoints.argparse_ru import RussianArgumentParser
from ticketing.services.calendar_days import load_calendar
from ticketing.services.mail_intake import IntakeRules, MailboxRef, MailIntake, drain
from ticketing.services.mail_ports import Mailbox, MailboxUnavailable
from ticketing.services.mail_replies import MailReplySender, send_mail_replies

log = logging.getLogger("ticketing.mail")

# Failures that say «the database is away», not «this letter is broken»: the letter waits.
TRANSIENT: tuple[type[BaseException], ...] = (OperationalError, InterfaceError, PoolTimeout, OSError, TimeoutError)
CALENDAR_REFRESH_SECONDS = 300
LONGEST_RECONNECT_PAUSE = 60.0


class MailWorker:
    def __init__(self, container: Container, parts: MailParts, mail: MailSettings) -> None:
        self._container = container
        self._parts = parts
        self._mail = mail
        own = tuple(box.address for box in mail.mailboxes)
        if mail.smtp is not None:
            own += (mail.smtp.from_address.lower(), mail.smtp.union_from_address.lower())
        self.intake = MailIntake(
            container.uow,
            screen=container.screening.screen,
            names=parts.names,
            calendar=lambda: container.calendar,
            clock=container.clock,
            rules=IntakeRules(
                limits=Limits(mail.attachment_max_bytes, mail.letter_max_bytes),
                incoming_format=mail.union_incoming_format,
                personal_addresses=mail.personal_addresses,
                own_addresses=own,
            ),
            bus=container.bus,
        )
        self.sender: MailReplySender | None = None
        if parts.transport is not None and mail.smtp is not None:
            limit = mail.replies_per_address_per_hour

            async def allow(address: str) -> bool:
                return await container.rate_limiter.allow(f"mail-replies:{address}", limit=limit, window_seconds=3600)

            self.sender = MailReplySender(
                container.uow,
                parts.transport,
                from_address=mail.smtp.from_address,
                union_from_address=mail.smtp.union_from_address,
                from_name=mail.smtp.from_name,
                union_from_name=mail.smtp.union_from_name,
                allow=allow,
                clock=container.clock,
            )
        self._failures: dict[str, int] = {}

    async def run(self, stop: asyncio.Event) -> None:
        """Watch every mailbox and the outbox until ``stop`` is set."""
        tasks = [
            asyncio.create_task(self._watch(ref, box), name=f"mail-{ref.name}") for ref, box in self._parts.mailboxes
        ]
        tasks.append(asyncio.create_task(self._outbox(), name="mail-outbox"))
        tasks.append(asyncio.create_task(self._refresh_calendar(), name="mail-calendar"))
        try:
            await stop.wait()
        finally:
            for task in tasks:
                task.cancel()
            for _, box in self._parts.mailboxes:
                await box.close()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def once(self) -> None:
        """Read every mailbox once, then send what is due."""
        for ref, box in self._parts.mailboxes:
            await box.open()
            try:
                done = await drain(box, ref, self.intake, transient=TRANSIENT, failures=self._failures)
                log.info("почтовый ящик %s: обработано писем — %d", ref.name, done)
            finally:
                await box.close()
        await self.send_replies()

    async def send_replies(self) -> None:
        if self.sender is not None:
            await send_mail_replies(self._container.uow, self.sender, now=self._container.clock())

    async def _watch(self, ref: MailboxRef, box: Mailbox) -> None:
        pause = 1.0
        while True:
            try:
                await box.open()
                log.info("почтовый ящик %s: подключено, читаю новые письма", ref.name)
                pause = 1.0
                while True:
                    await drain(box, ref, self.intake, transient=TRANSIENT, failures=self._failures)
                    await box.wait_for_news(self._mail.poll_seconds)
            except asyncio.CancelledError:
                raise
            except MailboxUnavailable as exc:
                log.warning("почтовый ящик %s недоступен: %s; повтор через %.0f с", ref.name, exc, pause)
            except TRANSIENT as exc:
                log.warning("почтовый ящик %s: база данных недоступна (%s); повтор через %.0f с", ref.name, exc, pause)
            except Exception:
                log.exception("почтовый ящик %s: сбой; повтор через %.0f с", ref.name, pause)
            await box.close()
            await asyncio.sleep(pause)
            pause = min(pause * 2, LONGEST_RECONNECT_PAUSE)

    async def _outbox(self) -> None:
        if self.sender is None:
            log.warning("MAIL_SMTP_HOST не задан: ответы на письма ждут в очереди и не отправляются")
            return
        interval = self._mail.outbox_seconds
        while True:
            try:
                if await self._container.locks.acquire("mail-replies", max(1, int(interval))):
                    await self.send_replies()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("отправка ответов письмом не удалась; повтор через %.0f с", interval)
            await asyncio.sleep(interval)

    async def _refresh_calendar(self) -> None:
        while True:
            try:
                self._container.calendar = await load_calendar(self._container.uow())
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("производственный календарь не обновлён; повтор позже", exc_info=True)
            await asyncio.sleep(CALENDAR_REFRESH_SECONDS)


def add_parser(sub: argparse._SubParsersAction[RussianArgumentParser]) -> None:
    worker = sub.add_parser("mail-worker", help="читать почтовые ящики и отправлять ответы письмами")
    worker.add_argument("--once", action="store_true", help="прочитать ящики один раз, отправить ответы и выйти")
    worker.add_argument(
        "--stay", action="store_true", help="если почта не настроена, не выходить, а ждать (для make run)"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return asyncio.run(_main(settings, once=args.once, stay=args.stay))


async def _main(settings: Settings, *, once: bool, stay: bool) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    if not settings.mail.configured:
        log.info("почтовый ящик не настроен (MAIL_IMAP_HOST пуст): почтовый обработчик не запускается")
        if stay and not once:
            await stop.wait()
        return 0
    from ticketing.adapters import migrate

    await asyncio.to_thread(migrate.upgrade, settings.database_url)
    container = build_container(settings)
    try:
        container.calendar = await load_calendar(container.uow())
        worker = MailWorker(container, build_mail(settings.mail), settings.mail)
        boxes = ", ".join(f"{b.name} ({b.server.host}:{b.server.port}, {b.folder})" for b in settings.mail.mailboxes)
        log.info("почтовый обработчик: ящики %s; отправка — %s", boxes, "SMTP" if worker.sender else "не настроена")
        if once:
            await worker.once()
        else:
            await worker.run(stop)
    finally:
        await container.close()
    return 0
