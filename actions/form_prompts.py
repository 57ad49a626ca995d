"""``action_ask_<slot>``: how the appeal form asks each question.

Prompts are actions rather than ``utter_ask_*`` responses because they depend on the
state: region candidates become buttons, the draft description from the first message is
offered back, and after a failed answer the question is asked in a shorter way (the
reason was just said by ``validate_appeal_form``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import texts

_BUTTONS: dict[str, list[dict[str, str]]] = {
    "role": texts.ROLE_BUTTONS,
    "question_type": texts.QUESTION_TYPE_BUTTONS,
}


class AskSlotAction(Action, ABC):
    """Asks for ``slot``; subclasses only name the slot."""

    @property
    @abstractmethod
    def slot(self) -> str:
        """The form slot this action asks for."""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    def prompt(self, tracker: Tracker) -> dict[str, Any]:
        """Text and buttons for this turn."""
        failures = tracker.get_slot("failed_attempts")
        failed = isinstance(failures, dict) and failures.get(self.slot, 0) > 0
        text = texts.ASK_AGAIN[self.slot] if failed else texts.ASK[self.slot]
        return {"text": text, "buttons": _BUTTONS.get(self.slot)}

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        message = self.prompt(tracker)
        dispatcher.utter_message(text=message["text"], buttons=message.get("buttons") or None)
        return []


class ActionAskRegion(AskSlotAction):
    """Asks for the region, or which of the resolver's candidates is meant."""

    slot = "region"

    def prompt(self, tracker: Tracker) -> dict[str, Any]:
        candidates: list[str] | None = tracker.get_slot("region_candidates")
        if candidates:
            return {"text": texts.ASK_REGION_CANDIDATES, "buttons": texts.region_buttons(candidates)}
        return super().prompt(tracker)


class ActionAskRole(AskSlotAction):
    """Asks for the role on the platform, with buttons."""

    slot = "role"


class ActionAskLogin(AskSlotAction):
    """Asks for the platform login."""

    slot = "login"


class ActionAskEmail(AskSlotAction):
    """Asks for the e-mail the user registered with."""

    slot = "email"


class ActionAskQuestionType(AskSlotAction):
    """Asks informational or technical, with buttons."""

    slot = "question_type"


class ActionAskDescription(AskSlotAction):
    """Asks for a short description, offering the one from the first message."""

    slot = "description"

    def prompt(self, tracker: Tracker) -> dict[str, Any]:
        draft = tracker.get_slot("description_draft")
        if draft:
            return {
                "text": texts.ASK_DESCRIPTION_WITH_DRAFT.format(draft=draft),
                "buttons": texts.DRAFT_BUTTONS,
            }
        return super().prompt(tracker)
