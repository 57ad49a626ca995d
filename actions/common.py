"""Shared pieces of the actions: injected dependencies and tracker helpers.

rasa_sdk instantiates every action with no arguments, so dependencies default to the
ones built from the environment (lazily, on first use); tests pass fakes instead.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.catalogue import catalogue
from actions.delivery import OutboxDelivery
from actions.outbox import Outbox
from actions.settings import Settings
from actions.ticketing_client import HttpTicketingClient, TicketingPort
from procedure import button_taps

APPEAL_SLOTS = (
    "region",
    "role",
    "login",
    "email",
    "question_type",
    "description",
    "request_kind",
    "request_kind_chosen",
    "description_draft",
    "region_candidates",
    "failed_attempts",
    "asked_again",
    "appeal_key",
    "known_issue_id",
    "reported_instruction_failed",
)
TRANSCRIPT_LIMIT = 50

_lock = threading.Lock()
_settings: Settings | None = None
_outboxes: dict[str, Outbox] = {}


def settings() -> Settings:
    """The process settings, read from the environment on first use."""
    global _settings
    with _lock:
        if _settings is None:
            _settings = Settings.from_env()
        return _settings


def default_client() -> TicketingPort:
    """The HTTP ticketing client configured by the environment."""
    return HttpTicketingClient.from_settings(settings())


def default_outbox() -> Outbox:
    """The outbox at ``ACTIONS_OUTBOX_PATH`` (one instance per path)."""
    path = settings().outbox_path
    with _lock:
        if path not in _outboxes:
            _outboxes[path] = Outbox(path)
        return _outboxes[path]


class TicketingAction(Action, ABC):
    """An action that talks to ticketing; tests inject a fake client and outbox."""

    def __init__(self, client: TicketingPort | None = None, outbox: Outbox | None = None) -> None:
        self._client = client
        self._outbox = outbox

    @abstractmethod
    def name(self) -> str:
        """The action's name in domain.yml."""

    @property
    def client(self) -> TicketingPort:
        """The ticketing port: the injected one or the HTTP client."""
        if self._client is None:
            self._client = default_client()
        return self._client

    @property
    def outbox(self) -> Outbox:
        """The outbox: the injected one or the file at ``ACTIONS_OUTBOX_PATH``."""
        if self._outbox is None:
            self._outbox = default_outbox()
        return self._outbox

    def delivery(self) -> OutboxDelivery:
        """Delivery without a notifier: the user in this conversation is waiting anyway."""
        return OutboxDelivery(self.outbox, self.client)


def latest_intent(tracker: Tracker) -> str | None:
    """The intent NLU gave the last message, ``nlu_fallback`` included."""
    return (tracker.latest_message.get("intent") or {}).get("name")


def latest_text(tracker: Tracker) -> str:
    """The text of the last user message (a payload for buttons)."""
    return tracker.latest_message.get("text") or ""


def previous_action(tracker: Tracker) -> str | None:
    """The bot's last action before the latest user message (``action_listen`` skipped)."""
    seen_user = False
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind == "user":
            if seen_user:
                return None
            seen_user = True
        elif kind == "action" and seen_user and event.get("name") != "action_listen":
            return str(event["name"])
    return None


def latest_entity(tracker: Tracker, entity: str) -> str | None:
    """The value of the first ``entity`` in the last message, if any."""
    for item in tracker.latest_message.get("entities") or []:
        if item.get("entity") == entity and item.get("value") not in (None, ""):
            return str(item["value"])
    return None


def reset_appeal() -> list[EventType]:
    """Events that forget the appeal in progress (after sending or cancelling)."""
    events: list[EventType] = [SlotSet(name, None) for name in APPEAL_SLOTS]
    events += [SlotSet("awaiting_confirmation", False), SlotSet("requested_slot", None)]
    # The instructions tried belong to the appeal just sent or cancelled (§5.4).
    events.append(SlotSet("instructions_tried", []))
    return events


def _topic_title(key: str) -> str | None:
    topic = catalogue().topics.get(key)
    return topic.title if topic else None


def build_transcript(tracker: Tracker, limit: int = TRANSCRIPT_LIMIT) -> list[dict[str, Any]]:
    """The last ``limit`` user and bot messages, as the ticketing API expects them.

    A tapped button is stored as its title («Ученик»), not as the payload Rasa recorded
    (``/inform{"role": "participant"}``): line 1 reads what the pupil saw (§1.4, §5.3).
    """
    lines: list[dict[str, Any]] = []
    offered: list[Any] = []  # the buttons of the bot's last message
    for event in tracker.events:
        kind = event.get("event")
        text = event.get("text")
        if kind == "bot":
            buttons = (event.get("data") or {}).get("buttons")
            offered = list(buttons) if isinstance(buttons, list) else []
        if kind not in ("user", "bot") or not text:
            continue
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name") or ""
        if kind == "user" and intent.startswith("EXTERNAL_"):
            continue  # sent by the action server, not typed by the user
        if kind == "user" and button_taps.parse_payload(text) is not None:
            buttons_seen = [b for b in offered if isinstance(b, dict)]
            text = button_taps.tapped_title(text, buttons_seen) or button_taps.describe_payload(text, _topic_title)
        lines.append({"sender": kind, "text": text, "timestamp": float(event.get("timestamp") or 0.0)})
    return lines[-limit:]
