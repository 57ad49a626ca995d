"""Ports of the personal-data use cases (services/personal_data.py): the database and Rasa's tracker store."""

from __future__ import annotations

import abc
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ticketing.domain.tickets import Ticket

# What ``pd_access.action`` records (docs/security.md, V7/V8).
TICKET_CARD = "ticket_card"  # the console's ticket page
TICKET_API = "ticket_api"  # GET /api/v1/tickets/{number}
LIST_EXPORT = "list_export"  # the console's CSV/XLSX of a list
PD_EXPORT = "pd_export"  # one person's data, on request (152-ФЗ ст. 14)
PD_ERASE = "pd_erase"  # one person's data erased, on request (ст. 21)
PD_ANONYMISE = "pd_anonymise"  # the retention period ran out (ст. 5 ч. 7)

ACTIONS_RU = {
    TICKET_CARD: "открыл карточку обращения",
    TICKET_API: "прочитал обращение через API",
    LIST_EXPORT: "выгрузил список обращений",
    PD_EXPORT: "выгрузил персональные данные заявителя",
    PD_ERASE: "удалил персональные данные заявителя",
    PD_ANONYMISE: "обезличил обращения по сроку хранения",
}


@dataclass(frozen=True)
class AccessEntry:
    """Who touched personal data, when, from which address, what (a number, a filter, a masked e-mail)."""

    at: datetime
    actor: str
    role: str
    address: str | None
    action: str
    subject: str
    tickets: tuple[str, ...] = ()


class PersonalDataRepository(abc.ABC):
    @abc.abstractmethod
    async def expired(self, closed_before: datetime, *, limit: int) -> list[str]:
        """Numbers of closed, not yet anonymised tickets closed before ``closed_before``, oldest first."""

    @abc.abstractmethod
    async def of_email(self, email: str) -> list[str]:
        """Numbers of the not yet anonymised tickets of this e-mail, oldest first."""

    @abc.abstractmethod
    async def linked_conversations(self, conversation_ids: Iterable[str]) -> set[str]:
        """Those of these conversations that a ticket not yet anonymised still refers to."""

    @abc.abstractmethod
    async def letters(self, number: str) -> list[dict[str, Any]]:
        """The ticket's letters without their raw bytes: senders, subjects, attachment lists."""

    @abc.abstractmethod
    async def card(self, number: str) -> dict[str, Any] | None:
        """The registration card of §4.1, if the ticket has one."""

    @abc.abstractmethod
    async def rewrite(self, ticket: Ticket, *, now: datetime) -> None:
        """Store an anonymised ticket; erase its letters, card and deliveries' personal data."""

    @abc.abstractmethod
    async def record_access(self, entry: AccessEntry) -> None: ...

    @abc.abstractmethod
    async def access_log(
        self, *, since: datetime | None, until: datetime | None, limit: int, offset: int
    ) -> list[AccessEntry]:
        """Newest first."""


class ConversationStore(abc.ABC):
    """Rasa's tracker store: the conversations hold the same e-mails, logins and messages."""

    @abc.abstractmethod
    async def forget(self, conversation_ids: Iterable[str]) -> int:
        """Erase these conversations; returns how many events went."""

    @abc.abstractmethod
    async def idle(self, before: datetime) -> list[str]:
        """Conversations whose last event is older than ``before``."""

    @abc.abstractmethod
    async def close(self) -> None: ...
