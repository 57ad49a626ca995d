"""What the chat's views share: its settings, the Rasa client, the reply memory, the limits."""

from __future__ import annotations

from dataclasses import dataclass

from ticketing.adapters.rasa import RasaGateway
from ticketing.adapters.rate_limit import RateLimiter
from ticketing.domain.regions import RegionResolver
from ticketing.http.chat.reply_cache import ReplyCache
from ticketing.http.chat.settings import ChatSettings


@dataclass
class ChatRuntime:
    """Opened when the server starts (the gateway's connection pools belong to its event loop)."""

    settings: ChatSettings
    gateway: RasaGateway
    replies: ReplyCache
    limiter: RateLimiter
    regions: RegionResolver
