"""``action_start_appeal``: what the first message already tells us.

Runs before the form. From «Здравствуйте, не загружается тест, хочу оставить обращение»
it keeps «не загружается тест» as a draft description (offered back later instead of
asking to retype it) and the kind of request (§1.1). It also fixes the appeal's
idempotency key, so a double «Отправить» creates one ticket.

The appeals that follow a scenario answer (actions/faq_answers.py) start through
:func:`appeal_start_events` too, with what the conversation already knows: the question the
bot answered, the question type, the instruction the user tried (§5.4). So does «инструкция не
помогла» typed when the bot asked nothing — later in the conversation, or in the personal account
after an earlier visit: the words are feedback on the instruction, not the problem to describe.
"""

from __future__ import annotations

import uuid

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing, texts
from actions.catalogue import catalogue
from actions.common import latest_text, previous_action
from actions.responses import render
from procedure import request_kinds

# Bot turns whose «Написать в поддержку» button carries the unclear question into the appeal.
OFFERS_OF_LINE1 = frozenset({"action_suggest_topics", "action_offer_line1", "action_operator_contacts"})


def appeal_start_events(
    tracker: Tracker,
    source_text: str | None,
    *,
    question_type: str | None = None,
    tried: str | None = None,
    fallback_draft: str | None = None,
) -> list[EventType]:
    """Slots that prepare the appeal form.

    Args:
        tracker: The conversation.
        source_text: The user's own words to draft the description from (not a button payload).
        question_type: Pre-fills the §5.6.1 question type (``technical`` after a failed instruction).
        tried: The key of a standard instruction the user tried; appended to ``instructions_tried``.
        fallback_draft: The draft when ``source_text`` gives none (e.g. the topic's title).
    """
    events: list[EventType] = [SlotSet("awaiting_confirmation", False), SlotSet("awaiting_reply", None)]
    if not tracker.get_slot("appeal_key"):
        events.append(SlotSet("appeal_key", str(uuid.uuid4())))
    text = "" if parsing.is_payload(source_text) else (source_text or "")
    if (text or question_type) and not tracker.get_slot("request_kind_chosen"):
        kinds = [tracker.get_slot("request_kind"), request_kinds.detect_request_kind(text) if text else None]
        events.append(SlotSet("request_kind", request_kinds.strongest_kind(kinds, question_type)))
    draft = parsing.extract_description_draft(text) or fallback_draft
    if draft and not tracker.get_slot("description"):
        events.append(SlotSet("description_draft", draft))
    if question_type and not tracker.get_slot("question_type"):
        events.append(SlotSet("question_type", question_type))
    if tried:
        already = list(tracker.get_slot("instructions_tried") or [])
        if tried not in already:
            events.append(SlotSet("instructions_tried", [*already, tried]))
    return events


class ActionStartAppeal(Action):
    """Prepares the appeal form from the opening message."""

    def name(self) -> str:
        return "action_start_appeal"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = latest_text(tracker)
        source: str | None = text
        if parsing.is_payload(text) and previous_action(tracker) in OFFERS_OF_LINE1:
            # «Написать в поддержку» under a suggestion: the unclear question is the draft.
            source = tracker.get_slot("last_question")
        greeting = texts.HELLO + " " if parsing.starts_with_greeting(text) else ""
        # An appeal right after «Помогло?»: the instruction was tried and did not solve it.
        after_instruction = tracker.get_slot("awaiting_reply") == "instruction_feedback"
        if not after_instruction and not parsing.is_payload(text) and parsing.instruction_failed(text):
            if greeting:
                dispatcher.utter_message(text=greeting + render(domain, "utter_instruction_failed_noted")["text"])
            else:
                dispatcher.utter_message(response="utter_instruction_failed_noted")
            return instruction_failed_events(tracker, text)
        pending = tracker.get_slot("last_faq_key") if after_instruction else None
        events = appeal_start_events(
            tracker, source, question_type="technical" if pending else None, tried=pending
        )
        dispatcher.utter_message(text=greeting + texts.START)
        return events


def last_instruction(tracker: Tracker) -> str | None:
    """The standard instruction the bot gave last in this conversation (§5.4), if any.

    ``last_faq_key`` moves on with every answer, so the conversation's history is read: the
    latest key it held that is an instruction.
    """
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == "last_faq_key":
            key = event.get("value")
            if isinstance(key, str) and catalogue().is_instruction(key):
                return key
    key = tracker.get_slot("last_faq_key")
    return key if catalogue().is_instruction(key) else None


def instruction_failed_events(tracker: Tracker, text: str) -> list[EventType]:
    """«инструкция не помогла» typed with no «Помогло?» asked: the button's way, with the words read.

    The phrase is feedback, not the problem: it is no draft of the description (what else the
    message tells is), the question is technical, the instruction given in this conversation goes
    to ``instructions_tried``, and the form asks what exactly happened (actions/form_prompts.py).
    """
    events = appeal_start_events(
        tracker,
        parsing.beyond_instruction_feedback(text),
        question_type="technical",
        tried=last_instruction(tracker),
    )
    if not any(isinstance(e, dict) and e.get("name") == "description_draft" for e in events):
        events.append(SlotSet("description_draft", None))
    return [*events, SlotSet("reported_instruction_failed", True)]
