"""``action_start_appeal``: what the first message already tells us.

Runs before the form. From «Здравствуйте, не загружается тест, хочу оставить обращение»
it keeps «не загружается тест» as a draft description (offered back later instead of
asking to retype it) and the kind of request (§1.1). It also fixes the appeal's
idempotency key, so a double «Отправить» creates one ticket.
"""

from __future__ import annotations

import uuid

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing, texts
from actions.common import latest_text


class ActionStartAppeal(Action):
    """Prepares the appeal form from the opening message."""

    def name(self) -> str:
        return "action_start_appeal"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = latest_text(tracker)
        events: list[EventType] = [SlotSet("awaiting_confirmation", False)]
        if not tracker.get_slot("appeal_key"):
            events.append(SlotSet("appeal_key", str(uuid.uuid4())))
        if not parsing.is_payload(text):
            kind = parsing.strongest_kind([tracker.get_slot("request_kind"), parsing.detect_request_kind(text)])
            events.append(SlotSet("request_kind", kind))
            draft = parsing.extract_description_draft(text)
            if draft and not tracker.get_slot("description"):
                events.append(SlotSet("description_draft", draft))
        greeting = texts.HELLO + " " if parsing.starts_with_greeting(text) else ""
        dispatcher.utter_message(text=greeting + texts.START)
        return events
