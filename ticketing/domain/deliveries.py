"""Delivery of staff replies through the channel the request came by (§6.3).

A reply is recorded on the ticket at once; its delivery to the requester is an outbox entry
that is retried with growing pauses until the channel takes it. Nothing a person wrote is lost
when the bot's server is down: the ticket page shows the pending delivery and why it waits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum


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
MAIL_NOTE_RU = (
    "Ответ на письмо пока не отправляется из системы автоматически: отправка почты подключается "
    "отдельной задачей. Ответ сохранён и будет отправлен ею; до тех пор отправьте его заявителю вручную."
)


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
    if permanent:
        return replace(delivery, status=DeliveryStatus.FAILED, attempts=attempts, last_error=error[:500])
    return replace(delivery, attempts=attempts, last_error=error[:500], next_attempt_at=now + pause_after(attempts))
