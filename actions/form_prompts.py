"""``action_ask_<slot>``: which of the appeal form's questions to ask this turn, where Rasa can't choose.

The questions themselves are responses in domain.yml, where the editors change them
(``utter_ask_<slot>``, docs/editors.md). Actions choose among them for the region (its candidates
become buttons), the role (buttons with the role codes) and the description (the draft from the
first message is offered back; after «инструкция не помогла», what exactly happened with it); after
a failed answer the question is asked in a shorter way
(``utter_ask_again_<slot>``: the reason was just said by ``validate_appeal_form``).

The login, the e-mail and the question type need no action: Rasa says ``utter_ask_<slot>`` itself,
and its conditional variation on the ``asked_again`` slot (set by ``validate_appeal_form``) is the
shorter wording. A call of the action server fewer on each of those steps (docs/performance.md, «Бот»).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import texts
from actions.catalogue import catalogue

# The role buttons carry the role codes (procedure/requesters.py), so they are made here.
_BUTTONS: dict[str, list[dict[str, str]]] = {"role": texts.ROLE_BUTTONS}


class AskSlotAction(Action, ABC):
    """Asks for ``slot``; subclasses only name the slot."""

    @property
    @abstractmethod
    def slot(self) -> str:
        """The form slot this action asks for."""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    def prompt(self, tracker: Tracker) -> dict[str, Any]:
        """The response to say this turn, with the buttons and values the action adds to it."""
        failures = tracker.get_slot("failed_attempts")
        failed = isinstance(failures, dict) and failures.get(self.slot, 0) > 0
        response = f"utter_ask_again_{self.slot}" if failed else f"utter_ask_{self.slot}"
        return {"response": response, "buttons": _BUTTONS.get(self.slot)}

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        message = dict(self.prompt(tracker))
        buttons = message.pop("buttons", None) or None
        dispatcher.utter_message(buttons=buttons, **message)
        return []


class ActionAskRegion(AskSlotAction):
    """Asks for the region, or which of the resolver's candidates is meant."""

    slot = "region"

    def prompt(self, tracker: Tracker) -> dict[str, Any]:
        candidates: list[str] | None = tracker.get_slot("region_candidates")
        if candidates:
            return {"response": "utter_ask_region_candidates", "buttons": texts.region_buttons(candidates)}
        return super().prompt(tracker)


class ActionAskRole(AskSlotAction):
    """Asks for the role on the platform, with buttons."""

    slot = "role"


class ActionAskDescription(AskSlotAction):
    """Asks for a short description, offering the one from the first message."""

    slot = "description"

    def prompt(self, tracker: Tracker) -> dict[str, Any]:
        draft = tracker.get_slot("description_draft")
        if draft:
            return {"response": "utter_ask_description_with_draft", "draft": draft}
        failures = tracker.get_slot("failed_attempts")
        failed = isinstance(failures, dict) and failures.get(self.slot, 0) > 0
        if tracker.get_slot("reported_instruction_failed") and not failed:
            # «инструкция не помогла» (actions/appeal_start.py): what exactly happened, with which instruction.
            tried = list(tracker.get_slot("instructions_tried") or [])
            if tried:
                title = catalogue().title(tried[-1])
                return {"response": "utter_ask_description_after_instruction", "instruction": title}
            return {"response": "utter_ask_description_after_unknown_instruction"}
        return super().prompt(tracker)
