"""The background round that retries replies the channel did not take (§6.3: nothing is lost)."""

from __future__ import annotations

import logging

from ticketing.adapters.rasa_replies import RasaReplySender
from ticketing.bootstrap import Container
from ticketing.http.console.settings import ConsoleSettings
from ticketing.services.replies import ReplySender, deliver_due

log = logging.getLogger(__name__)


async def deliver_replies(container: Container, lock_seconds: int, sender: ReplySender | None = None) -> int:
    """Retry due deliveries; one worker per round when several share Redis. Returns how many got through."""
    if not await container.locks.acquire("reply-deliveries", lock_seconds):
        return 0
    if sender is None:
        settings = ConsoleSettings.from_env()
        sender = RasaReplySender(settings.rasa_url, settings.rasa_token)
    ok, pending = await deliver_due(container.uow, sender, now=container.clock())
    if ok or pending:
        log.info("reply deliveries: %d delivered, %d still pending", ok, pending)
    return ok
