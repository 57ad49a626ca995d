"""Ports of the mail channels: stored letters, registration cards, the IMAP mailbox, the SMTP transport.

Kept apart from ``unit_of_work`` (which only names the two repositories as attributes of the
unit of work), like the console's ports. The services talk to these; ``bootstrap`` picks the
adapters (SQLAlchemy, ``imaplib`` and ``smtplib`` in threads), tests may pick fakes.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ticketing.domain.mail.cards import RegistrationCard

IN = "in"
OUT = "out"


@dataclass(frozen=True)
class StoredMail:
    """A letter kept with its ticket: every incoming one (raw, as received) and every reply of ours.

    Attributes:
        mailbox: ``project`` or ``union`` for incoming letters, ``smtp`` for ours.
        kind: ``letter`` (opened a ticket), ``follow_up`` (continued one), ``auto_reply``,
            ``bounce`` (neither), ``reply`` (ours).
        uid_key: ``<mailbox>:<UIDVALIDITY>:<UID>`` of an incoming letter: processed once.
        delivery_id: the outbox entry a reply of ours was sent for.
        raw: the RFC 822 bytes (with over-limit attachments replaced by a note, ``raw_trimmed``).
    """

    mailbox: str
    direction: str
    kind: str
    received_at: datetime
    message_id: str | None = None
    in_reply_to: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    uid_key: str | None = None
    ticket_number: str | None = None
    delivery_id: int | None = None
    sender: str | None = None
    sender_name: str = ""
    recipients: tuple[str, ...] = ()
    subject: str = ""
    sent_at: datetime | None = None
    attachments: tuple[dict[str, Any], ...] = ()
    note: str | None = None
    raw: bytes | None = field(default=None, repr=False)
    raw_size: int = 0
    raw_trimmed: bool = False
    id: int | None = None


class MailRepository(abc.ABC):
    @abc.abstractmethod
    async def add(self, mail: StoredMail) -> StoredMail:
        """Store a letter; assigns ``id``.

        Raises:
            DuplicateLetter: a letter with this ``uid_key`` (or a reply for this delivery) is stored.
        """

    @abc.abstractmethod
    async def by_key(self, uid_key: str) -> StoredMail | None:
        """The incoming letter with this IMAP key, without its raw bytes."""

    @abc.abstractmethod
    async def by_delivery(self, delivery_id: int) -> StoredMail | None: ...

    @abc.abstractmethod
    async def first_received(self, message_id: str) -> StoredMail | None:
        """The first incoming letter with this Message-ID (any mailbox), without its raw bytes."""

    @abc.abstractmethod
    async def tickets_of(self, message_ids: Sequence[str]) -> dict[str, str]:
        """Message-ID → ticket number, for the ids of stored letters (ours and the requesters')."""

    @abc.abstractmethod
    async def thread(self, ticket_number: str) -> list[StoredMail]:
        """The ticket's letters, oldest first, without raw bytes."""

    @abc.abstractmethod
    async def raw(self, mail_id: int) -> bytes | None: ...

    @abc.abstractmethod
    async def get(self, mail_id: int) -> StoredMail | None:
        """The letter without its bytes (``raw`` gives them)."""


class DuplicateLetter(Exception):
    """This letter (or this reply) is stored already: another worker got there first."""


class RegistrationRepository(abc.ABC):
    @abc.abstractmethod
    async def next_seq(self, year: int) -> int:
        """The next number within ``year``; gapless: a rolled-back transaction gives its number back."""

    @abc.abstractmethod
    async def add(self, card: RegistrationCard) -> RegistrationCard: ...

    @abc.abstractmethod
    async def of_ticket(self, number: str) -> RegistrationCard | None: ...

    @abc.abstractmethod
    async def between(self, since: datetime | None, until: datetime | None, *, limit: int) -> list[RegistrationCard]:
        """Cards registered in ``[since, until)``, in order of their incoming numbers."""


class Mailbox(abc.ABC):
    """One IMAP folder the worker reads; every call may raise ``MailboxUnavailable``."""

    name: str
    uidvalidity: int = 0

    @abc.abstractmethod
    async def open(self) -> None: ...

    @abc.abstractmethod
    async def close(self) -> None: ...

    @abc.abstractmethod
    async def unprocessed(self) -> list[int]:
        """UIDs of the letters not yet processed, oldest first."""

    @abc.abstractmethod
    async def fetch(self, uid: int) -> bytes | None:
        """The letter's raw bytes, without marking it seen; ``None`` if it is gone."""

    @abc.abstractmethod
    async def mark_processed(self, uid: int) -> None: ...

    @abc.abstractmethod
    async def mark_failed(self, uid: int) -> None: ...

    @abc.abstractmethod
    async def wait_for_news(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds (IMAP IDLE where offered); True when the server said something changed."""


class MailboxUnavailable(Exception):
    """The IMAP server cannot be reached or refused us; the worker reconnects later."""


class MailTransport(abc.ABC):
    @abc.abstractmethod
    async def send(self, message: bytes, *, sender: str, recipients: list[str]) -> None:
        """Hand the letter (RFC 822 bytes, sent as they are on every retry) to the outgoing server.

        Raises:
            MailSendError: with ``permanent`` True when the server refused for good (5xx).
        """


class MailSendError(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
