"""Summary, correction and cancellation of the appeal before it is sent.

The user sees everything gathered and either sends it, corrects a field («исправить
почту», or a button per field) or cancels. The kind of request (§1.1) is no question of the
form but the bot's reading of what the pupil wrote (actions/parsing.py); it is corrected right
here, with a button per kind, and the summary is shown again. ``awaiting_confirmation`` is the only slot the
dialogue policies see: rules in data/rules/appeal.yml branch on it.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing, texts
from actions.common import latest_entity, latest_text, reset_appeal
from procedure.requesters import KIND_LABELS


def show_summary(dispatcher: CollectingDispatcher, slots: dict[str, object]) -> list[EventType]:
    """The gathered fields with «Отправить», «Исправить», «Отменить»; the rules wait for the answer."""
    lines = [texts.SUMMARY_HEADER, *texts.summary_lines(slots), "", texts.SUMMARY_FOOTER]
    dispatcher.utter_message(text="\n".join(lines), buttons=texts.SUMMARY_BUTTONS)
    return [SlotSet("awaiting_confirmation", True)]


class ActionShowSummary(Action):
    """Shows the gathered fields and asks to send, correct or cancel."""

    def name(self) -> str:
        return "action_show_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return show_summary(dispatcher, tracker.slots)


class ActionCorrectField(Action):
    """Empties the field to correct so the form asks it again; asks which one if unclear.

    When the field is known, ``awaiting_confirmation`` becomes False and the rules run
    the form; when it is not, it keeps its value and the user gets a button per field.
    """

    def name(self) -> str:
        return "action_correct_field"

    @staticmethod
    def field_to_correct(tracker: Tracker) -> str | None:
        """The field named by the entity (buttons, lookup table) or by the words used."""
        entity = latest_entity(tracker, "field")
        if entity in parsing.SUMMARY_FIELDS:
            return entity
        text = latest_text(tracker)
        # «нет, почта не та» names a field; a bare «нет» or the «Исправить» button does not.
        return None if parsing.is_payload(text) else parsing.parse_field(text)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        field = self.field_to_correct(tracker)
        awaiting = bool(tracker.get_slot("awaiting_confirmation"))
        if field == "request_kind":
            return self.correct_kind(dispatcher, tracker, awaiting)
        if field is None:
            dispatcher.utter_message(text=texts.ASK_WHICH_FIELD, buttons=texts.FIELD_BUTTONS)
            return [SlotSet("awaiting_confirmation", awaiting)]
        failures = tracker.get_slot("failed_attempts")
        failures = {k: v for k, v in failures.items() if k != field} if isinstance(failures, dict) else {}
        dispatcher.utter_message(text=texts.WILL_CORRECT.format(field=texts.FIELD_LABELS[field]))
        events: list[EventType] = [
            SlotSet(field, None),
            SlotSet("failed_attempts", failures),
            SlotSet("asked_again", None),
            SlotSet("awaiting_confirmation", False),
        ]
        if field == "region":
            events.append(SlotSet("region_candidates", None))
        if field == "description":
            events.append(SlotSet("description_draft", None))
        return events

    @staticmethod
    def correct_kind(dispatcher: CollectingDispatcher, tracker: Tracker, awaiting: bool) -> list[EventType]:
        """«Вид обращения»: the kind named (a button, «это жалоба») is set and the summary shown again.

        Without a kind named, the kinds come as buttons. ``awaiting_confirmation`` keeps its value
        either way: the form has nothing to ask, so the rules wait for the next answer. The kind the
        pupil chose stays theirs (``request_kind_chosen``): a description corrected later does not
        change it back.
        """
        kind = latest_entity(tracker, "request_kind")
        text = latest_text(tracker)
        if kind not in KIND_LABELS:
            kind = None if parsing.is_payload(text) else parsing.parse_request_kind(text)
        if kind is None:
            dispatcher.utter_message(response="utter_ask_request_kind", buttons=texts.kind_buttons())
            return [SlotSet("awaiting_confirmation", awaiting)]
        dispatcher.utter_message(response="utter_request_kind_set", kind=KIND_LABELS[kind])
        chosen: list[EventType] = [SlotSet("request_kind", kind), SlotSet("request_kind_chosen", True)]
        if not awaiting:
            return [*chosen, SlotSet("awaiting_confirmation", awaiting)]
        return [*chosen, *show_summary(dispatcher, {**tracker.slots, "request_kind": kind})]


class ActionCancelAppeal(Action):
    """Forgets the appeal in progress («отмена» at any point)."""

    def name(self) -> str:
        return "action_cancel_appeal"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text=texts.CANCELLED)
        return reset_appeal()
