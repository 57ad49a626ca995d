"""What follows a scenario answer (§2.8, §5.3, §5.4).

Rasa's ``utter_faq`` says the response ``utter_faq/<key>`` the ResponseSelector chose — the
same text the help page shows — and ``action_after_faq`` carries on: after a standard
instruction (``instruction: true`` in content/faq_themes.yml) it asks «Помогло?»
(``utter_ask_helped``). Every reply to it, a button or typed in any words, goes to
``action_instruction_feedback``, which reads it the same way: a yes closes the topic, a no sets
``awaiting_reply`` to ``instruction_failed`` and the rules run ``action_escalate_instruction``,
which opens the §5.6.1 form as a technical question with the instruction recorded in
``instructions_tried`` (§5.4) — for «Нет, не помогло» and «всё так же» alike. After any answer
«это не ответ на мой вопрос» sends the question to line 1 (``action_not_the_answer``). A topic
chosen from the «Возможно, вы имели в виду…» buttons is answered by ``action_answer_topic``.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing, texts
from actions.appeal_start import appeal_start_events
from actions.catalogue import catalogue
from actions.common import TicketingAction, latest_entity, latest_intent, latest_text
from actions.fallback import FaqPrediction, faq_prediction, suggest_topics
from actions.operator_contacts import OPERATOR_KEY, operator_contacts


def known_key(key: str | None, domain: DomainDict) -> bool:
    """A key the bot can answer: it has a response in the domain or a topic in the catalogue."""
    if not key:
        return False
    return f"utter_faq/{key}" in (domain.get("responses") or {}) or key in catalogue().topics


class FollowUpAction(TicketingAction):
    """Shared follow-up of an answer: remember it, then «Помогло?» or the operator's contact."""

    async def follow_up(
        self, key: str, question: str | None, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> list[EventType]:
        events: list[EventType] = [SlotSet("last_faq_key", key), SlotSet("last_question", question)]
        if key == OPERATOR_KEY:
            # The general text has been said (utter_faq or the topic button); now the region's own.
            return events + await operator_contacts(
                self.client, dispatcher, tracker, asked=False, general_text_said=True
            )
        if catalogue().is_instruction(key) and not tracker.active_loop.get("name"):
            dispatcher.utter_message(response="utter_ask_helped")
            return [*events, SlotSet("awaiting_reply", "instruction_feedback")]
        return [*events, SlotSet("awaiting_reply", None)]


class ActionAfterFaq(FollowUpAction):
    """Runs right after ``utter_faq``: the answer is said, the follow-up depends on the key."""

    def name(self) -> str:
        return "action_after_faq"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        key = faq_prediction(tracker).key
        if key is None:
            return [SlotSet("awaiting_reply", None)]
        text = latest_text(tracker)
        return await self.follow_up(key, None if parsing.is_payload(text) else text, dispatcher, tracker)


class ActionAnswerTopic(FollowUpAction):
    """A «Возможно, вы имели в виду…» button: says ``utter_faq/<key>``, then the follow-up."""

    def name(self) -> str:
        return "action_answer_topic"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        key = latest_entity(tracker, "faq_key")
        if key is None or not known_key(key, domain):
            dispatcher.utter_message(response="utter_how_can_i_help")
            return [SlotSet("awaiting_reply", None)]
        dispatcher.utter_message(response=f"utter_faq/{key}")
        # The unclear question the suggestions were made for stays the question answered.
        return await self.follow_up(key, tracker.get_slot("last_question"), dispatcher, tracker)


# Intents that answer «Помогло?» by themselves when the words say neither yes nor no.
YES_INTENTS = frozenset({"affirm", "thanks"})
NO_INTENTS = frozenset({"deny", "open_appeal"})
# A longer unclear message after «Помогло?» is taken for a new question, not for a reply.
REPLY_WORDS = 3


def instruction_helped(tracker: Tracker, prediction: FaqPrediction) -> bool | None:
    """Whether the user's reply to «Помогло?» says yes (True), no (False) or neither (None).

    The buttons send ``/affirm`` and ``/deny``; typed words are read by
    :func:`actions.parsing.read_helped`, then by the intent NLU gave them. The same instruction
    asked about again («тест всё равно не грузится» → ``faq/test_not_loading``) is a no too.
    """
    text, intent = latest_text(tracker), latest_intent(tracker)
    if not parsing.is_payload(text):
        words = parsing.read_helped(text)
        if words is not None:
            return words
    if intent in YES_INTENTS:
        return True
    if intent in NO_INTENTS:
        return False
    if intent == "faq" and prediction.key and prediction.key == tracker.get_slot("last_faq_key"):
        return False
    return None


class ActionInstructionFeedback(FollowUpAction):
    """Any reply to «Помогло?»: the buttons and typed words take the same way (§5.4).

    Sets ``awaiting_reply``, on which the rules in data/rules/faq.yml branch: ``None`` after a yes
    (the topic is closed), ``instruction_failed`` after a no (``action_escalate_instruction`` follows),
    ``instruction_feedback`` when the reply said neither (asked again), or what a new question's
    answer sets (``topic_choice``, ``operator_region``…).
    """

    def name(self) -> str:
        return "action_instruction_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        prediction = faq_prediction(tracker)
        helped = instruction_helped(tracker, prediction)
        if helped:
            dispatcher.utter_message(response="utter_instruction_helped")
            return [SlotSet("awaiting_reply", None)]
        if helped is False:
            return [SlotSet("awaiting_reply", "instruction_failed")]
        text, intent = latest_text(tracker), latest_intent(tracker)
        long_message = not parsing.is_payload(text) and len(text.split()) > REPLY_WORDS
        if intent == "faq" and known_key(prediction.key, domain):
            # Another question: answered as if «Помогло?» had not been asked.
            key = str(prediction.key)
            dispatcher.utter_message(response=f"utter_faq/{key}")
            return await self.follow_up(key, text, dispatcher, tracker)
        if intent == "nlu_fallback" and long_message:
            return suggest_topics(dispatcher, tracker, prediction)
        dispatcher.utter_message(response="utter_ask_helped_again")
        return [SlotSet("awaiting_reply", "instruction_feedback")]


class ActionEscalateInstruction(Action):
    """«Нет, не помогло»: a technical appeal that says which instruction was tried (§5.4).

    The form then skips the question type; the description draft is the user's own question
    («не загружается тест»), or the topic's title when the question was a button.
    """

    def name(self) -> str:
        return "action_escalate_instruction"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        key = tracker.get_slot("last_faq_key")
        dispatcher.utter_message(response="utter_escalate_instruction")
        return appeal_start_events(
            tracker,
            tracker.get_slot("last_question"),
            question_type="technical",
            tried=key,
            fallback_draft=catalogue().title(key) if key else None,
        )


class ActionNotTheAnswer(Action):
    """«Это не ответ на мой вопрос»: the question goes to line 1 through the §5.6.1 form."""

    def name(self) -> str:
        return "action_not_the_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text=texts.NOT_THE_ANSWER)
        return appeal_start_events(tracker, tracker.get_slot("last_question"))
