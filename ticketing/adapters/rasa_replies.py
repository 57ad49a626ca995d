"""Delivering a staff reply into the user's chat through Rasa's HTTP API (Rasa 3.6, ``--enable-api``).

``POST {RASA_URL}/conversations/{id}/tracker/events`` appends a ``bot`` event to the tracker
(checked against rasa/server.py of 3.6.21: a list of events is accepted, and
``execute_side_effects=true`` with ``output_channel=latest`` also pushes the bot message to the
user's latest channel when that channel can send by itself, e.g. socket.io).
"""

from __future__ import annotations

from urllib.parse import quote

import httpx

from ticketing.domain.deliveries import Delivery
from ticketing.services.replies import DeliveryFailed, ReplySender


class RasaReplySender(ReplySender):
    channels = frozenset({"chat"})

    def __init__(self, rasa_url: str, token: str | None = None, timeout: float = 5.0) -> None:
        self._url = rasa_url.rstrip("/")
        self._token = token
        self._timeout = timeout

    async def send(self, delivery: Delivery) -> None:
        if not delivery.conversation_id:
            raise DeliveryFailed("у обращения нет идентификатора диалога — ответить в чат нельзя")
        params = {"output_channel": "latest", "execute_side_effects": "true"}
        if self._token:
            params["token"] = self._token
        event = {
            "event": "bot",
            "text": delivery.text,
            "timestamp": delivery.created_at.timestamp(),
            "metadata": {"staff_reply": True, "ticket": delivery.ticket_number},
        }
        url = f"{self._url}/conversations/{quote(delivery.conversation_id, safe='')}/tracker/events"
        try:
            async with httpx.AsyncClient(timeout=self._timeout) as client:
                response = await client.post(url, params=params, json=[event])
        except httpx.HTTPError as exc:
            raise DeliveryFailed(f"сервер бота недоступен: {type(exc).__name__}") from exc
        if response.status_code >= 300:
            raise DeliveryFailed(f"сервер бота ответил {response.status_code}: {response.text[:200]}")
