"""The only way actions reach the ticketing service: a port and its HTTP implementation.

Actions depend on :class:`TicketingPort`; tests pass a fake subclass of it. The HTTP client
opens a session per call (cheap at chat rates, and never bound to a stale event loop),
waits ~5 s, and retries once on connection errors and 5xx. Failures become two
exceptions the actions understand: :class:`TicketingUnavailable` (try again later: the
outbox keeps the ticket) and :class:`TicketingRejected` (the data is wrong: tell the user).
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import aiohttp

from actions.settings import Settings
from procedure.limits import KNOWN_ISSUE_QUERY_MAX_CHARS

logger = logging.getLogger(__name__)


class TicketingError(Exception):
    """Base class of the errors the client raises."""


class TicketingUnavailable(TicketingError):
    """The service did not answer, answered 5xx, or refused our token: retry later."""


class TicketingRejected(TicketingError):
    """The service refused the request itself (4xx): retrying will not help.

    Attributes:
        status: HTTP status.
        message: The service's message.
        fields: Field name → problem, from a 422 ``validation_error``.
    """

    def __init__(self, status: int, message: str, fields: Mapping[str, Any] | None = None) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message
        self.fields: dict[str, Any] = dict(fields or {})


@dataclass(frozen=True)
class RegionMatch:
    """What the resolver made of the user's words.

    ``region`` is the official name when the text is unambiguous; otherwise
    ``candidates`` lists the official names it could mean (possibly none).
    """

    region: str | None
    candidates: list[str] = field(default_factory=list)


class TicketingPort(ABC):
    """What the conversation needs from ticketing."""

    @abstractmethod
    async def resolve_region(self, text: str) -> RegionMatch:
        """Maps «Татарстан», «из Свердловской обл.», «Питер» to official region names."""

    @abstractmethod
    async def create_ticket(self, payload: Mapping[str, Any], idempotency_key: str) -> dict[str, Any]:
        """Creates the ticket, or returns the one already created with this key."""

    @abstractmethod
    async def get_ticket(self, number: str) -> dict[str, Any] | None:
        """Returns the ticket, or None when the number is unknown."""

    @abstractmethod
    async def match_known_issue(self, text: str) -> dict[str, Any] | None:
        """The active known issue (§5.5) the text most likely speaks about, or None."""

    @abstractmethod
    async def get_operator(self, region: str) -> dict[str, Any] | None:
        """The regional operator's contact (§2.3, §5.7), or None when the directory has no entry.

        ``region`` may be written as people write it; an unknown or ambiguous one raises
        :class:`TicketingRejected` with the service's Russian message.
        """


class HttpTicketingClient(TicketingPort):
    """:class:`TicketingPort` over the ticketing HTTP API (``/api/v1``)."""

    def __init__(
        self,
        base_url: str,
        token: str = "",
        timeout: float = 5.0,
        retries: int = 1,
        retry_delay: float = 0.3,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._token = token
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._retries = retries
        self._retry_delay = retry_delay

    @classmethod
    def from_settings(cls, settings: Settings) -> HttpTicketingClient:
        """Builds the client from the environment-derived settings."""
        return cls(settings.ticketing_url, settings.ticketing_token, settings.ticketing_timeout)

    async def resolve_region(self, text: str) -> RegionMatch:
        status, body = await self._request("GET", "/api/v1/regions/resolve", params={"q": text})
        if status != 200 or not isinstance(body, dict):
            logger.warning("region resolver answered %s for %r", status, text)
            return RegionMatch(None, [])
        return RegionMatch(body.get("region"), list(body.get("candidates") or []))

    async def create_ticket(self, payload: Mapping[str, Any], idempotency_key: str) -> dict[str, Any]:
        status, body = await self._request(
            "POST", "/api/v1/tickets", json=dict(payload), headers={"Idempotency-Key": idempotency_key}
        )
        if status in (200, 201) and isinstance(body, dict):
            return body
        raise self._rejection(status, body)

    async def get_ticket(self, number: str) -> dict[str, Any] | None:
        status, body = await self._request("GET", f"/api/v1/tickets/{quote(number, safe='')}")
        if status == 200 and isinstance(body, dict):
            return body
        if status == 404:
            return None
        raise self._rejection(status, body)

    async def match_known_issue(self, text: str) -> dict[str, Any] | None:
        params = {"q": text[:KNOWN_ISSUE_QUERY_MAX_CHARS]}  # the start: the whole may not fit in a URL
        status, body = await self._request("GET", "/api/v1/known-issues/match", params=params)
        if status == 200 and isinstance(body, dict):
            issue = body.get("issue")
            return issue if isinstance(issue, dict) else None
        raise self._rejection(status, body)

    async def get_operator(self, region: str) -> dict[str, Any] | None:
        status, body = await self._request("GET", f"/api/v1/operators/{quote(region, safe='')}")
        if status == 200 and isinstance(body, dict):
            return body
        if status == 404:
            return None
        raise self._rejection(status, body)

    @staticmethod
    def _rejection(status: int, body: Any) -> TicketingError:
        error = body.get("error", {}) if isinstance(body, dict) else {}
        message = error.get("message") if isinstance(error, dict) else None
        if status in (401, 403):
            # Our configuration is wrong, not the user's data: keep the ticket for later.
            return TicketingUnavailable(f"ticketing refused the token ({status})")
        fields = error.get("fields") if isinstance(error, dict) else None
        return TicketingRejected(status, message or f"HTTP {status}", fields)

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, Any]:
        all_headers = {"Accept": "application/json", **(headers or {})}
        if self._token:
            all_headers["Authorization"] = f"Bearer {self._token}"
        last_error = "no attempt"
        for attempt in range(self._retries + 1):
            if attempt:
                await asyncio.sleep(self._retry_delay)
            try:
                async with aiohttp.ClientSession(timeout=self._timeout) as session:
                    async with session.request(
                        method, self._base_url + path, params=params, json=json, headers=all_headers
                    ) as response:
                        try:
                            body = await response.json(content_type=None)
                        except ValueError:
                            body = None
                        if response.status >= 500:
                            last_error = f"HTTP {response.status}"
                            continue
                        return response.status, body
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                last_error = f"{type(error).__name__}: {error}"
        logger.warning("ticketing %s %s failed: %s", method, path, last_error)
        raise TicketingUnavailable(last_error)
