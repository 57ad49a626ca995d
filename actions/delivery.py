"""Sending outbox entries to ticketing and telling users what became of them.

Used in two places: at the start of every ticket-creating action (a quick, bounded
flush) and by the action server's background task (actions/server.py) every ~10 s.
A user whose ticket was created late hears about it through Rasa's HTTP API:
``trigger_intent`` with ``EXTERNAL_ticket_registered`` (the number) or, when the service
refused the data (e.g. a region typed while the resolver was down turns out ambiguous),
``EXTERNAL_ticket_failed`` with the reason; rules answer both.
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import aiohttp

from actions.outbox import REJECTED, Outbox, OutboxEntry
from actions.settings import Settings
from actions.ticketing_client import TicketingPort, TicketingRejected, TicketingUnavailable

logger = logging.getLogger(__name__)

EXTERNAL_REGISTERED = "EXTERNAL_ticket_registered"
EXTERNAL_FAILED = "EXTERNAL_ticket_failed"


class NotificationFailed(Exception):
    """Rasa could not be reached; the notification is retried on the next flush."""


class NotifierPort(ABC):
    """Tells a conversation what became of the ticket it left while ticketing was down."""

    @abstractmethod
    async def ticket_registered(self, sender_id: str, ticket_number: str, due_at: str | None) -> None:
        """Delivers the number to ``sender_id``; raises :class:`NotificationFailed`."""

    @abstractmethod
    async def ticket_failed(self, sender_id: str, reason: str) -> None:
        """Says the service refused the appeal and why; raises :class:`NotificationFailed`."""


class RasaNotifier(NotifierPort):
    """Triggers the ``EXTERNAL_*`` intents in the user's conversation (Rasa ``--enable-api``)."""

    def __init__(self, rasa_url: str, token: str = "", timeout: float = 5.0) -> None:
        self._rasa_url = rasa_url.rstrip("/")
        self._token = token
        self._timeout = aiohttp.ClientTimeout(total=timeout)

    @classmethod
    def from_settings(cls, settings: Settings) -> RasaNotifier:
        """Builds the notifier from the environment-derived settings."""
        return cls(settings.rasa_url, settings.rasa_token)

    async def ticket_registered(self, sender_id: str, ticket_number: str, due_at: str | None) -> None:
        await self._trigger(sender_id, EXTERNAL_REGISTERED, {"ticket_number": ticket_number, "due_at": due_at or ""})

    async def ticket_failed(self, sender_id: str, reason: str) -> None:
        await self._trigger(sender_id, EXTERNAL_FAILED, {"reason": reason})

    async def _trigger(self, sender_id: str, intent: str, entities: dict[str, str]) -> None:
        params = {"output_channel": "latest"}
        if self._token:
            params["token"] = self._token
        url = f"{self._rasa_url}/conversations/{quote(sender_id, safe='')}/trigger_intent"
        body = {"name": intent, "entities": entities}
        try:
            async with aiohttp.ClientSession(timeout=self._timeout) as session:
                async with session.post(url, params=params, json=body) as response:
                    if response.status >= 300:
                        raise NotificationFailed(f"Rasa answered {response.status}: {await response.text()}")
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise NotificationFailed(f"{type(error).__name__}: {error}") from error


@dataclass
class FlushReport:
    """What one flush did; handy in logs and tests."""

    delivered: int = 0
    notified: int = 0
    failed: int = 0
    rejected: int = 0
    service_down: bool = False


@dataclass(frozen=True)
class Delivery:
    """Outcome of sending one entry: a ticket, or why not."""

    ticket: dict[str, Any] | None = None
    unavailable: bool = False
    rejection: TicketingRejected | None = None


class OutboxDelivery:
    """Sends pending entries and announces late numbers."""

    def __init__(self, outbox: Outbox, client: TicketingPort, notifier: NotifierPort | None = None) -> None:
        self.outbox = outbox
        self._client = client
        self._notifier = notifier

    async def send(self, entry: OutboxEntry, user_is_waiting: bool) -> Delivery:
        """Sends one claimed entry and records the outcome.

        Args:
            entry: An entry this caller has claimed.
            user_is_waiting: The action will show the number itself, so the entry is
                marked notified at once and never announced again.
        """
        try:
            ticket = await self._client.create_ticket(entry.payload, entry.idempotency_key)
        except TicketingUnavailable as error:
            self.outbox.mark_failed(entry.idempotency_key, str(error))
            return Delivery(unavailable=True)
        except TicketingRejected as error:
            logger.error("ticket %s rejected: %s %s", entry.idempotency_key, error, error.fields)
            reason = "; ".join(str(v) for v in error.fields.values()) if error.fields else error.message
            self.outbox.mark_rejected(entry.idempotency_key, reason, notified=user_is_waiting)
            return Delivery(rejection=error)
        self.outbox.mark_delivered(entry.idempotency_key, ticket, notified=user_is_waiting)
        return Delivery(ticket=ticket)

    async def flush(self, limit: int = 20) -> FlushReport:
        """Sends what is pending, then announces what was delivered but not yet told.

        Stops sending at the first sign that ticketing is down, so a flush costs at most
        one timeout when the service is away.
        """
        report = FlushReport()
        for entry in self.outbox.claim_undelivered(limit):
            if report.service_down:
                self.outbox.release(entry.idempotency_key)
                continue
            delivery = await self.send(entry, user_is_waiting=False)
            if delivery.ticket:
                report.delivered += 1
            elif delivery.rejection:
                report.rejected += 1
            else:
                report.failed += 1
                report.service_down = True
        if self._notifier is not None:
            report.notified = await self._announce(limit)
        return report

    async def _announce(self, limit: int) -> int:
        notified = 0
        assert self._notifier is not None
        claimed = self.outbox.claim_unnotified(limit)
        for index, entry in enumerate(claimed):
            try:
                if entry.status == REJECTED:
                    await self._notifier.ticket_failed(entry.sender_id, _reason_for_user(entry.last_error))
                else:
                    await self._notifier.ticket_registered(entry.sender_id, entry.ticket_number or "", entry.due_at)
            except NotificationFailed as error:
                logger.warning("could not announce %s to %s: %s", entry.ticket_number, entry.sender_id, error)
                for rest in claimed[index:]:
                    self.outbox.release(rest.idempotency_key)
                break
            self.outbox.mark_notified(entry.idempotency_key)
            notified += 1
        return notified


def _reason_for_user(error: str | None) -> str:
    """What the service said about the fields (in Russian), for the user."""
    return (error or "").strip() or "сервис не принял данные"


def rejection_reason(error: TicketingRejected, field_labels: Mapping[str, str], template: str) -> str:
    """Turns a 422's ``fields`` into «проверьте поле «почту»…», else the service message."""
    known = [field_labels[name] for name in error.fields if name in field_labels]
    if known:
        return ", ".join(template.format(field=label) for label in known)
    return error.message
