"""Words inside the appeal form that answer none of its questions, and a way on from them.

«ничего не работает» where the form asks for the region is no region, and «помогитеее!!!» is no
question for the bot: both are a pupil who wants a person. The form is the way to one (§4.4, §5.6),
so the reply says so — not «Не нашёл такой регион» or «С этим я не помогу» — and the form asks
its question again. A problem told early is kept as the description's draft, offered back when
the form gets there (actions/form_prompts.py).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing
from actions.common import latest_text

REPLIES = {"help": "utter_form_help_is_coming", "problem": "utter_form_problem_noted"}


def off_topic_reply(dispatcher: CollectingDispatcher, tracker: Tracker, text: str, slot: str) -> dict[str, Any] | None:
    """Answers a plea for help or a told problem in place of ``slot``'s answer; None for other words.

    Returns the slots to set: the problem becomes the description's draft when there is none yet.
    At the description itself a problem is the answer, so only a plea is taken up there.
    """
    reason = parsing.off_topic_in_form(text)
    if reason is None or (slot == "description" and reason == "problem"):
        return None
    dispatcher.utter_message(response=REPLIES[reason])
    slots: dict[str, Any] = {}
    if reason == "problem" and not tracker.get_slot("description") and not tracker.get_slot("description_draft"):
        draft = parsing.check_description(text)
        if draft:
            slots["description_draft"] = draft
    return slots


class ActionOutOfScopeInForm(Action):
    """``out_of_scope`` while the form runs: a plea for a person is answered as one, other words get a way back."""

    def name(self) -> str:
        return "action_out_of_scope_in_form"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        slot = str(tracker.get_slot("requested_slot") or "")
        slots = off_topic_reply(dispatcher, tracker, latest_text(tracker), slot)
        if slots is None:
            dispatcher.utter_message(response="utter_out_of_scope_in_form")
            return []
        return [SlotSet(name, value) for name, value in slots.items()]
