"""A fake ticketing service and notifier: real subclasses of the ports, in memory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from actions.delivery import NotificationFailed, NotifierPort
from actions.ticketing_client import RegionMatch, TicketingPort, TicketingRejected, TicketingUnavailable

REGIONS = {
    "татарстан": "Республика Татарстан",
    "республика татарстан": "Республика Татарстан",
    "казань": "Республика Татарстан",
    "казани": "Республика Татарстан",
    "из свердловской обл.": "Свердловская область",
    "свердловская область": "Свердловская область",
    "хмао": "Ханты-Мансийский автономный округ — Югра",
    "ханты-мансийский автономный округ — югра": "Ханты-Мансийский автономный округ — Югра",
    "питер": "г. Санкт-Петербург",
}
AMBIGUOUS = {
    "новгород": ["Нижегородская область", "Новгородская область"],
}


class FakeTicketing(TicketingPort):
    """Ticketing in memory: tickets by number, idempotency keys, scripted outages.

    Args:
        down_for: How many calls fail with ``TicketingUnavailable`` before it recovers.
        reject_with: Makes ``create_ticket`` answer 422 with these fields.
    """

    def __init__(self, down_for: int = 0, reject_with: dict[str, str] | None = None) -> None:
        self.down_for = down_for
        self.reject_with = reject_with
        self.tickets: dict[str, dict[str, Any]] = {}
        self.by_key: dict[str, str] = {}
        self.create_calls: list[tuple[str, dict[str, Any]]] = []
        self.region_queries: list[str] = []
        # The directory of regional operators by official region name (GET /api/v1/operators/{region}).
        self.operators: dict[str, dict[str, Any]] = {
            "Республика Татарстан": {
                "region": "Республика Татарстан",
                "organisation": "ГАУ ДО «Центр профориентации»",
                "contact_person": "Иванова Анна",
                "email": "anna@center.ru",
                "phone": "+7 843 111-22-33",
                "is_sample": False,
            },
        }
        self.operator_queries: list[str] = []
        # Active known issues (§5.5) by a phrase that makes a text match them (GET /api/v1/known-issues/match).
        self.known_issues: dict[str, dict[str, Any]] = {}
        self.known_issue_queries: list[str] = []

    def _maybe_down(self) -> None:
        if self.down_for > 0:
            self.down_for -= 1
            raise TicketingUnavailable("connection refused")

    async def resolve_region(self, text: str) -> RegionMatch:
        self.region_queries.append(text)
        self._maybe_down()
        return self._match(text)

    @staticmethod
    def _match(text: str) -> RegionMatch:
        key = text.strip().lower()
        if key in REGIONS:
            return RegionMatch(REGIONS[key], [REGIONS[key]])
        if key in {v.lower() for v in REGIONS.values()}:
            official = next(v for v in REGIONS.values() if v.lower() == key)
            return RegionMatch(official, [official])
        if key in AMBIGUOUS:
            return RegionMatch(None, list(AMBIGUOUS[key]))
        # Like the real resolver, find a region named inside a longer answer.
        inside = [official for name, official in REGIONS.items() if len(name) > 4 and name in key]
        return RegionMatch(inside[0], inside[:1]) if inside else RegionMatch(None, [])

    async def create_ticket(self, payload: Mapping[str, Any], idempotency_key: str) -> dict[str, Any]:
        self.create_calls.append((idempotency_key, dict(payload)))
        self._maybe_down()
        if self.reject_with:
            raise TicketingRejected(422, "validation failed", self.reject_with)
        if idempotency_key in self.by_key:
            return self.tickets[self.by_key[idempotency_key]]
        number = f"БВБ-{len(self.tickets) + 1:06d}"
        ticket = {
            **payload,
            "number": number,
            "status": "new",
            "line": 1,
            "due_at": "2026-12-02T23:59:59+03:00",
            "created_at": "2026-11-27T12:00:00+03:00",
        }
        self.tickets[number] = ticket
        self.by_key[idempotency_key] = number
        return ticket

    async def get_ticket(self, number: str) -> dict[str, Any] | None:
        self._maybe_down()
        return self.tickets.get(number)

    async def match_known_issue(self, text: str) -> dict[str, Any] | None:
        self.known_issue_queries.append(text)
        self._maybe_down()
        return next((issue for phrase, issue in self.known_issues.items() if phrase in text.lower()), None)

    async def get_operator(self, region: str) -> dict[str, Any] | None:
        """Like the service: the region is resolved first; unknown → 422, no entry or a sample → None (404)."""
        self.operator_queries.append(region)
        self._maybe_down()
        if region not in self.operators:  # an official name, as the resolver or a button gives it, is looked up as is
            match = self._match(region)
            if not match.region:
                raise TicketingRejected(422, f"не удалось узнать регион «{region}»", {"region": "неизвестный регион"})
            region = match.region
        operator = self.operators.get(region)
        return None if operator is None or operator.get("is_sample") else operator


class FakeNotifier(NotifierPort):
    """Records announcements; can be told to fail like an unreachable Rasa."""

    def __init__(self, down_for: int = 0) -> None:
        self.down_for = down_for
        self.sent: list[tuple[str, str, str | None]] = []
        self.failures: list[tuple[str, str]] = []

    def _maybe_down(self) -> None:
        if self.down_for > 0:
            self.down_for -= 1
            raise NotificationFailed("connection refused")

    async def ticket_registered(self, sender_id: str, ticket_number: str, due_at: str | None) -> None:
        self._maybe_down()
        self.sent.append((sender_id, ticket_number, due_at))

    async def ticket_failed(self, sender_id: str, reason: str) -> None:
        self._maybe_down()
        self.failures.append((sender_id, reason))
