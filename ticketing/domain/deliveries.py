"""Delivery of staff replies through the channel the request came by (§6.3).

A reply is recorded on the ticket at once; its delivery to the requester is an outbox entry
that is retried with growing pauses until the channel takes it. Nothing a person wrote is lost
when the bot's server is down: the ticket page shows the pending delivery and why it waits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Literal

DeliveryMedium = Literal["chat", "email"]
PublicDeliveryStatus = Literal["queued", "sent", "delivered", "failed"]


class DeliveryStatus(StrEnum):
    PENDING = "pending"  # waiting for (another) attempt
    DELIVERED = "delivered"
    MANUAL = "manual"  # e-mail: waits for the mail worker (python -m ticketing mail-worker), which sends it
    FAILED = "failed"  # the channel refused for good (a mail server's 5xx): line 1 sees it in the history


DELIVERY_STATUS_LABELS_RU = {
    DeliveryStatus.PENDING: "ожидает доставки",
    DeliveryStatus.DELIVERED: "доставлено",
    DeliveryStatus.MANUAL: "ждёт отправки письмом",
    DeliveryStatus.FAILED: "не доставлено",
}

FIRST_PAUSE = timedelta(seconds=30)
LONGEST_PAUSE = timedelta(hours=1)


@dataclass(frozen=True)
class Delivery:
    ticket_number: str
    channel: str
    text: str
    created_at: datetime
    next_attempt_at: datetime
    status: DeliveryStatus = DeliveryStatus.PENDING
    conversation_id: str | None = None
    email: str | None = None
    attempts: int = 0
    last_error: str | None = None
    delivered_at: datetime | None = None
    id: int | None = None

    @property
    def status_label_ru(self) -> str:
        return DELIVERY_STATUS_LABELS_RU[self.status]

    @property
    def medium(self) -> DeliveryMedium:
        """``chat`` or ``email``: how the answer travels, whatever channel the ticket came by."""
        return "chat" if self.channel == "chat" else "email"

    @property
    def public_status(self) -> PublicDeliveryStatus:
        """The API's word (``deliveries`` of a ticket): queued, sent (a letter left us), delivered, failed.

        A letter handed to the mail server is «sent», not «delivered»: only a bounce tells more.
        """
        if self.status is DeliveryStatus.FAILED:
            return "failed"
        if self.status is DeliveryStatus.DELIVERED:
            return "delivered" if self.medium == "chat" else "sent"
        return "queued"

    @property
    def status_at(self) -> datetime:
        """When the delivery reached its present state (a failure's moment is kept in ``next_attempt_at``)."""
        if self.status is DeliveryStatus.DELIVERED and self.delivered_at is not None:
            return self.delivered_at
        if self.status is DeliveryStatus.FAILED:
            return self.next_attempt_at
        return self.created_at

    @property
    def where_ru(self) -> str:
        """«в чат» / «письмом на ivan@mail.ru» for the console."""
        return "в чат" if self.medium == "chat" else f"письмом на {self.email or 'адрес заявителя'}"


def pause_after(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min… up to an hour: a short outage heals fast, a long one is not hammered."""
    pause: timedelta = FIRST_PAUSE * (2 ** max(0, attempts - 1))
    return min(pause, LONGEST_PAUSE)


def delivered(delivery: Delivery, now: datetime) -> Delivery:
    return replace(
        delivery, status=DeliveryStatus.DELIVERED, attempts=delivery.attempts + 1, delivered_at=now, last_error=None
    )


def failed(delivery: Delivery, now: datetime, error: str, *, permanent: bool = False) -> Delivery:
    """Another attempt later, or — when the channel refused for good — no more attempts."""
    attempts = delivery.attempts + 1
    if permanent:  # no more attempts: next_attempt_at keeps the moment it failed
        return replace(
            delivery, status=DeliveryStatus.FAILED, attempts=attempts, last_error=error[:500], next_attempt_at=now
        )
    return replace(delivery, attempts=attempts, last_error=error[:500], next_attempt_at=now + pause_after(attempts))
