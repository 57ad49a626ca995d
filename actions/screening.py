"""A threat in the chat (§4.8): registered for line 1, left without an answer, not answered here.

The ticketing service screens the text again on registration and leaves the ticket without an
answer with the reason ``threat``; the bot says nothing about the content. The ticket goes
through the outbox like any other, so it is not lost while the service is down, and it is
marked as announced at once: the user is never told a number for it.
"""

from __future__ import annotations

import uuid
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing
from actions.common import TicketingAction, build_transcript, latest_text, reset_appeal


def threat_payload(tracker: Tracker) -> dict[str, Any]:
    text = latest_text(tracker)
    payload: dict[str, Any] = {
        "channel": "chat",
        "kind": "statement",
        "subject": parsing.make_subject(text),
        "description": text,
        "transcript": build_transcript(tracker),
        "conversation_id": tracker.sender_id,
    }
    for slot in ("region", "role", "login", "email", "question_type"):
        if tracker.get_slot(slot):
            payload[slot] = tracker.get_slot(slot)
    return payload


class ActionRegisterThreat(TicketingAction):
    def name(self) -> str:
        return "action_register_threat"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        key = str(uuid.uuid4())
        entry = self.outbox.add(key, tracker.sender_id, threat_payload(tracker), lease_seconds=60.0)
        self.outbox.mark_notified(key)
        await self.delivery().send(entry, user_is_waiting=True)
        return reset_appeal()
