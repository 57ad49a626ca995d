"""Rasa's tracker events and REST answers → the messages the widget shows.

The tracker is the conversation's one record: the bot's turns, the user's messages (with the
widget's client message id in their metadata) and the staff replies the console appends
(``metadata.staff_reply``, ``metadata.ticket``). A message's id is its event's index in the
whole tracker (``include_events=ALL``: Rasa's SQL tracker store keeps events in insertion
order), which is what the widget's ``after`` cursor counts; timestamps cannot serve, because a
staff reply carries the time it was written and may be delivered later, after a retry.
"""

from __future__ import annotations

import re
from typing import Any

MAX_BUTTONS = 10
MAX_DISPLAY = 100
_INTENT_PAYLOAD = re.compile(r"^/[A-Za-z_][\w-]*(\{.*\})?$", re.DOTALL)


def is_payload(text: str | None) -> bool:
    """True for a button payload (``/open_appeal``, ``/inform{"role": "parent"}``)."""
    return bool(text) and bool(_INTENT_PAYLOAD.match(text or ""))


def buttons_of(raw: Any) -> list[dict[str, str]]:
    """Buttons with a title and a payload, at most :data:`MAX_BUTTONS` (the rest are not shown)."""
    buttons = []
    for button in raw if isinstance(raw, list) else []:
        if isinstance(button, dict) and isinstance(button.get("title"), str) and isinstance(button.get("payload"), str):
            buttons.append({"title": button["title"], "payload": button["payload"]})
    return buttons[:MAX_BUTTONS]


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def widget_metadata(event: dict[str, Any]) -> dict[str, Any]:
    return as_dict(as_dict(event.get("metadata")).get("widget"))


def _bot_message(seq: int, event: dict[str, Any]) -> dict[str, Any] | None:
    data = as_dict(event.get("data"))
    text = event.get("text") if isinstance(event.get("text"), str) else ""
    buttons = buttons_of(data.get("buttons"))
    if not text and not buttons:
        return None
    message: dict[str, Any] = {"id": f"e{seq}", "seq": seq, "sender": "bot", "text": text, "ts": event.get("timestamp")}
    if buttons:
        message["buttons"] = buttons
    metadata = as_dict(event.get("metadata"))
    if metadata.get("staff_reply"):
        message["sender"] = "staff"
        message["ticket"] = str(metadata.get("ticket") or "")
    return message


def _user_message(seq: int, event: dict[str, Any], last_buttons: list[dict[str, str]]) -> dict[str, Any] | None:
    text = event.get("text")
    if not isinstance(text, str) or not text.strip():
        return None
    metadata = as_dict(event.get("metadata"))
    intent = as_dict(as_dict(event.get("parse_data")).get("intent")).get("name") or ""
    if metadata.get("is_external") or str(intent).startswith("EXTERNAL_"):
        return None  # the action server's notices (trigger_intent), not something the user wrote
    widget = widget_metadata(event)
    if is_payload(text):
        titles = {b["payload"]: b["title"] for b in last_buttons}
        shown = widget.get("display") if isinstance(widget.get("display"), str) else titles.get(text)
        if not shown:
            return None
        text = shown[:MAX_DISPLAY]
    message: dict[str, Any] = {"id": f"e{seq}", "seq": seq, "sender": "user", "text": text}
    message["ts"] = event.get("timestamp")
    if isinstance(widget.get("client_message_id"), str):
        message["client_message_id"] = widget["client_message_id"]
    return message


def messages_from_events(events: list[Any], after: int = -1) -> list[dict[str, Any]]:
    """The user's, bot's and staff's messages of events with index greater than ``after``."""
    messages = []
    last_buttons: list[dict[str, str]] = []
    for seq, event in enumerate(events):
        if not isinstance(event, dict):
            continue
        kind = event.get("event")
        message = None
        if kind == "bot":
            message = _bot_message(seq, event)
            if message is not None:
                last_buttons = message.get("buttons", [])
        elif kind == "user":
            message = _user_message(seq, event, last_buttons)
        if message is not None and seq > after:
            messages.append(message)
    return messages


def user_has_spoken(events: list[Any]) -> bool:
    """True once the conversation has a user message (then it is too late to pre-fill the form)."""
    return any(isinstance(e, dict) and e.get("event") == "user" for e in events)


def offered_payloads(events: list[Any], last_bot_messages: int = 5) -> set[str]:
    """The payloads of the buttons among the latest bot messages: the only ones a user may send.

    Anything else typed as ``/intent{...}`` could set slots the bot never asked for (e.g. another
    e-mail in the personal account), so the proxy refuses it.
    """
    payloads: set[str] = set()
    seen = 0
    for event in reversed(events):
        if isinstance(event, dict) and event.get("event") == "bot":
            data = as_dict(event.get("data"))
            payloads.update(b["payload"] for b in buttons_of(data.get("buttons")))
            seen += 1
            if seen >= last_bot_messages:
                break
    return payloads


def replies_to(events: list[Any], client_message_id: str) -> list[dict[str, Any]] | None:
    """The bot's messages after the user message with this client id; None if Rasa never got it."""
    for seq, event in enumerate(events):
        if (
            isinstance(event, dict)
            and event.get("event") == "user"
            and widget_metadata(event).get("client_message_id") == client_message_id
        ):
            replies = []
            for later_seq in range(seq + 1, len(events)):
                later = events[later_seq]
                if not isinstance(later, dict):
                    continue
                if later.get("event") == "user":
                    break
                if later.get("event") == "bot" and (message := _bot_message(later_seq, later)) is not None:
                    replies.append(message)
            return replies
    return None


def bot_messages_from_webhook(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The REST channel's answer in the widget's shape (ids are given when the history arrives)."""
    messages = []
    for item in items:
        text = item.get("text") if isinstance(item.get("text"), str) else ""
        buttons = buttons_of(item.get("buttons"))
        if text or buttons:
            message: dict[str, Any] = {"sender": "bot", "text": text}
            if buttons:
                message["buttons"] = buttons
            messages.append(message)
    return messages
