"""The one client of Rasa's HTTP API in the ticketing service: the web chat's REST channel and tracker
reads, and the console's staff replies appended to a conversation (:class:`RasaReplySender`).

Two bounded connection pools with timeouts: bot turns (slow: they run form actions) and tracker
reads (the history the widgets poll), so a storm of polls cannot take the connections a message
needs, and a flood waits at most ``pool_timeout`` before it is told «бот занят» rather than
queueing behind everyone. Failures are reported as two exceptions the views turn into Russian
answers; whether Rasa may already have processed a message matters for de-duplication, so it is
said explicitly (``uncertain``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from ticketing.domain.deliveries import Delivery
from ticketing.services.replies import DeliveryFailed, ReplySender


class RasaUnavailable(Exception):
    """Rasa could not be asked, or did not answer in time.

    Attributes:
        uncertain: the request had been sent when it failed (e.g. a read timeout), so Rasa may
            have processed the message; a retry must check the conversation before sending again.
    """

    def __init__(self, reason: str, *, uncertain: bool = False) -> None:
        super().__init__(reason)
        self.uncertain = uncertain


class RasaRejected(Exception):
    """Rasa answered with a client error: our request was wrong (a bug, or an event it refused)."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"Rasa answered {status}: {body[:200]}")
        self.status = status
        self.body = body[:200]


class RasaGateway:
    """Talks to ``{rasa_url}``: ``/webhooks/rest/webhook`` and ``/conversations/{id}/tracker[/events]``."""

    def __init__(
        self,
        rasa_url: str,
        token: str | None = None,
        *,
        timeout: float = 30.0,
        connections: int = 32,
        pool_timeout: float = 3.0,
        read_timeout: float = 10.0,
    ) -> None:
        self._url = rasa_url.rstrip("/")
        self._params = {"token": token} if token else {}
        turn_timeout = httpx.Timeout(timeout, connect=3.0, pool=pool_timeout)
        reads_timeout = httpx.Timeout(read_timeout, connect=min(3.0, read_timeout), pool=pool_timeout)
        self._turns = httpx.AsyncClient(
            timeout=turn_timeout,
            limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
        )
        reads = max(4, connections // 2)
        self._reads = httpx.AsyncClient(
            timeout=reads_timeout, limits=httpx.Limits(max_connections=reads, max_keepalive_connections=reads)
        )

    async def close(self) -> None:
        await self._turns.aclose()
        await self._reads.aclose()

    def _conversation(self, conversation_id: str) -> str:
        return f"{self._url}/conversations/{quote(conversation_id, safe='')}"

    async def send(self, conversation_id: str, message: str, metadata: dict[str, Any]) -> list[dict[str, Any]]:
        """One user message through the REST channel; the bot's messages of that turn."""
        body = {"sender": conversation_id, "message": message, "metadata": metadata}
        response = await self._call(self._turns, "POST", f"{self._url}/webhooks/rest/webhook", json=body, turn=True)
        data = response.json()
        return [m for m in data if isinstance(m, dict)] if isinstance(data, list) else []

    async def tracker(self, conversation_id: str) -> dict[str, Any]:
        """The conversation's tracker with every event (``include_events=ALL``, stable indexes)."""
        params = {**self._params, "include_events": "ALL"}
        response = await self._call(self._reads, "GET", f"{self._conversation(conversation_id)}/tracker", params=params)
        data = response.json()
        return data if isinstance(data, dict) else {}

    async def append(self, conversation_id: str, events: list[dict[str, Any]], *, push: bool = False) -> None:
        """Append events (slots, a bot message) to the conversation.

        ``push``: also send a bot message to the user's latest channel when that channel can send by itself,
        e.g. socket.io (``execute_side_effects=true`` with ``output_channel=latest``, checked against
        rasa/server.py of 3.6.21) — how a staff reply reaches the chat.
        """
        params = {**self._params, "include_events": "NONE"}
        if push:
            params.update(output_channel="latest", execute_side_effects="true")
        url = f"{self._conversation(conversation_id)}/tracker/events"
        await self._call(self._reads, "POST", url, params=params, json=events)

    async def _call(
        self, client: httpx.AsyncClient, method: str, url: str, *, turn: bool = False, **kw: Any
    ) -> httpx.Response:
        try:
            response = await client.request(method, url, **kw)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise RasaUnavailable(type(exc).__name__) from exc
        except httpx.HTTPError as exc:
            # Sent but not answered: a bot turn may have happened.
            raise RasaUnavailable(type(exc).__name__, uncertain=turn) from exc
        if response.status_code >= 500:
            raise RasaUnavailable(f"HTTP {response.status_code}", uncertain=turn)
        if response.status_code >= 400:
            raise RasaRejected(response.status_code, response.text)
        return response


class RasaReplySender(ReplySender):
    """A staff reply into the user's chat: a ``bot`` event appended to the conversation and pushed (§6.3)."""

    channels = frozenset({"chat"})

    def __init__(self, rasa_url: str, token: str | None = None, timeout: float = 5.0) -> None:
        self._url = rasa_url
        self._token = token
        self._timeout = timeout

    async def send(self, delivery: Delivery) -> None:
        if not delivery.conversation_id:
            raise DeliveryFailed("у обращения нет идентификатора диалога — ответить в чат нельзя")
        event = {
            "event": "bot",
            "text": delivery.text,
            "timestamp": delivery.created_at.timestamp(),
            "metadata": {"staff_reply": True, "ticket": delivery.ticket_number},
        }
        # Replies are rare: a gateway of their own, closed after the send (the chat's pools stay the chat's).
        gateway = RasaGateway(self._url, self._token, timeout=self._timeout, read_timeout=self._timeout, connections=1)
        try:
            await gateway.append(delivery.conversation_id, [event], push=True)
        except RasaUnavailable as exc:
            raise DeliveryFailed(f"сервер бота недоступен: {exc}") from exc
        except RasaRejected as exc:
            raise DeliveryFailed(f"сервер бота ответил {exc.status}: {exc.body}") from exc
        finally:
            await gateway.close()
