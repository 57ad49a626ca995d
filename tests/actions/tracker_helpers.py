"""Building rasa_sdk trackers the way Rasa sends them to the action server."""

from __future__ import annotations

import functools
import pathlib
import time
from typing import Any

import yaml
from rasa.core.nlg.interpolator import interpolate_text
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

DOMAIN_FILE = pathlib.Path(__file__).resolve().parents[2] / "domain.yml"


def make_tracker(
    slots: dict[str, Any] | None = None,
    text: str = "",
    intent: str = "inform",
    entities: list[dict[str, Any]] | None = None,
    candidates: dict[str, Any] | None = None,
    history: list[dict[str, Any]] | None = None,
    active_loop: str | None = None,
    sender_id: str = "test-user",
    selector: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker after one user message; ``candidates`` are the slot values to validate.

    Like Rasa's FormAction, the candidates are appended as trailing slot events, which
    is where ``Tracker.slots_to_validate`` looks for them.
    """
    all_slots: dict[str, Any] = {
        "region": None, "role": None, "login": None, "email": None, "question_type": None,
        "description": None, "request_kind": None, "instructions_tried": [], "ticket_number": None,
        "awaiting_confirmation": False, "description_draft": None, "region_candidates": None,
        "failed_attempts": None, "appeal_key": None, "requested_slot": None,
        "awaiting_reply": None, "last_faq_key": None, "last_question": None, "known_issue_id": None,
    }
    all_slots.update(slots or {})
    message = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []}
    if selector is not None:
        message["response_selector"] = selector
    events: list[dict[str, Any]] = list(history or [])
    events.append({"event": "user", "text": text, "timestamp": time.time(), "parse_data": message})
    for name, value in (candidates or {}).items():
        all_slots[name] = value
        events.append({"event": "slot", "name": name, "value": value, "timestamp": time.time()})
    return Tracker(
        sender_id=sender_id,
        slots=all_slots,
        latest_message=message,
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": active_loop} if active_loop else {},
        latest_action_name="action_listen",
    )


@functools.cache
def _responses() -> dict[str, Any]:
    responses: dict[str, Any] = yaml.safe_load(DOMAIN_FILE.read_text(encoding="utf-8"))["responses"]
    return responses


def say(response: str, **values: Any) -> str:
    """What Rasa says for ``response`` of domain.yml, filled in as Rasa fills it.

    Its first variation: the one without a condition.
    """
    return interpolate_text(_responses()[response][0]["text"], values)


def texts_of(dispatcher: CollectingDispatcher) -> list[str]:
    """The texts the user reads: a message sent by response name is filled in from domain.yml, as Rasa does."""
    said = []
    for message in dispatcher.messages:
        name = message.get("response")
        values = {k: v for k, v in message.items() if k not in ("response", "template") and isinstance(v, str)}
        # utter_faq/<key> are the retrieval answers of data/nlu, not of domain.yml: left as sent.
        said.append(say(name, **values) if name in _responses() else message.get("text") or "")
    return said


def buttons_of(message: dict[str, Any]) -> list[dict[str, str]]:
    """The buttons the user sees: the response's own from domain.yml, then those the action added (as Rasa does)."""
    name = message.get("response")
    own = list(_responses()[name][0].get("buttons") or []) if name in _responses() else []
    return own + list(message.get("buttons") or [])


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The last value each SlotSet event gives a slot."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def selector_output(*ranking: tuple[str, float]) -> dict[str, Any]:
    """``response_selector`` of a parsed message: ``("test_not_loading", 0.9), ...``, best first."""
    items = [{"intent_response_key": f"faq/{key}", "confidence": confidence} for key, confidence in ranking]
    best = items[0] if items else {}
    return {
        "all_retrieval_intents": ["faq"],
        "faq": {
            "response": {
                **best,
                "utter_action": f"utter_{best.get('intent_response_key', '')}",
                "responses": [],
            },
            "ranking": items,
        },
    }
