"""The port for announcing ticket changes to live staff screens and watchers."""

from __future__ import annotations

import abc
from collections.abc import AsyncIterator, Sequence
from typing import Any

from ticketing.domain.tickets import Ticket, TicketEvent


def event_message(ticket: Ticket, event: TicketEvent) -> dict[str, Any]:
    """What subscribers receive: enough to update a queue row without another request."""
    return {
        "number": ticket.number,
        "type": event.type,
        "at": event.at.isoformat(),
        "actor": event.actor,
        "line": ticket.line,
        "status": ticket.status.value,
        "region": ticket.region,
        "channel": ticket.channel.value,
        "due_at": ticket.due_at.isoformat(),
        "handed_to": sorted(ticket.handed_to),  # who may receive it: domain.access
    }


class EventBus(abc.ABC):
    """Publish/subscribe of ticket events: Redis pub/sub in production, in-process on a laptop."""

    async def publish_ticket_event(self, ticket: Ticket, event: TicketEvent) -> None:
        await self.publish(event_message(ticket, event))

    @abc.abstractmethod
    async def publish(self, message: dict[str, Any]) -> None: ...

    async def publish_many(self, messages: Sequence[dict[str, Any]]) -> None:
        """Publish in order; adapters may do it in one round trip."""
        for message in messages:
            await self.publish(message)

    @abc.abstractmethod
    def subscribe(self) -> AsyncIterator[dict[str, Any]]:
        """Messages published from now on, until the consumer stops iterating."""

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""
