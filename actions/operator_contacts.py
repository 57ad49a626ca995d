"""The contact of the regional operator *of the user's region* (§2.3, §5.7), from the directory.

The scenario ``regional_operator_contacts`` is answered from the ticketing service's directory
(``GET /api/v1/operators/{region}``), not from a fixed text: each region has its own operator.
The region comes from the question («контакты оператора в Татарстане»), from the ``region``
slot, or is asked («Из какого вы региона?», ``awaiting_reply: operator_region``) and resolved
the way the form resolves it. When the directory cannot be reached, the scenario's general text
(``utter_faq/regional_operator_contacts``, the one on the help page) is said instead.
"""

from __future__ import annotations

import logging

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing, texts
from actions.common import TicketingAction, latest_entity, latest_text
from actions.ticketing_client import TicketingPort, TicketingRejected, TicketingUnavailable

logger = logging.getLogger(__name__)

OPERATOR_KEY = "regional_operator_contacts"
MAX_REGION_ATTEMPTS = 2


def _attempts(tracker: Tracker) -> dict[str, int]:
    value = tracker.get_slot("failed_attempts")
    return dict(value) if isinstance(value, dict) else {}


async def operator_contacts(
    client: TicketingPort,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    *,
    asked: bool,
    general_text_said: bool = False,
) -> list[EventType]:
    """Says the operator's contact, or asks for the region.

    Args:
        client: The ticketing port (region resolver and operators' directory).
        dispatcher: Where the answer goes.
        tracker: The conversation.
        asked: True when the latest message answers «Из какого вы региона?».
        general_text_said: ``utter_faq`` has just said the general text: do not repeat it when
            the directory is down.
    """
    text = latest_text(tracker).strip()
    region = latest_entity(tracker, "region")  # a region button: already the official name
    try:
        if region is None and text and not parsing.is_payload(text):
            match = await client.resolve_region(text)
            region = match.region
            if region is None and asked and len(match.candidates) == 1:
                region = match.candidates[0]
            elif region is None and asked and match.candidates:
                dispatcher.utter_message(
                    response="utter_ask_region_candidates", buttons=texts.region_buttons(match.candidates[:6])
                )
                return [SlotSet("awaiting_reply", "operator_region")]
        if region is None and not asked:
            region = tracker.get_slot("region")
        if region is None:
            return _region_unknown(dispatcher, tracker, asked)
        operator = await client.get_operator(region)
    except TicketingUnavailable:
        logger.warning("operators' directory unavailable; the general text is said instead")
        if not general_text_said:
            dispatcher.utter_message(response=f"utter_faq/{OPERATOR_KEY}")
        return [SlotSet("awaiting_reply", None)]
    except TicketingRejected as rejection:
        # The service did not recognise the region (422): ask again as for a typo.
        logger.info("operator lookup refused for %r: %s", region, rejection.message)
        return _region_unknown(dispatcher, tracker, asked)

    events: list[EventType] = [SlotSet("awaiting_reply", None), SlotSet("last_faq_key", OPERATOR_KEY)]
    attempts = _attempts(tracker)
    if attempts.pop("operator_region", None) is not None:
        events.append(SlotSet("failed_attempts", attempts))
    if operator is None:
        dispatcher.utter_message(text=texts.OPERATOR_NOT_FOUND.format(region=region), buttons=texts.OFFER_LINE1_BUTTONS)
        return [*events, SlotSet("region", region)]
    dispatcher.utter_message(text=texts.operator_text(operator), buttons=[texts.NOT_THE_ANSWER_BUTTON])
    return [*events, SlotSet("region", operator.get("region") or region)]


def _region_unknown(dispatcher: CollectingDispatcher, tracker: Tracker, asked: bool) -> list[EventType]:
    """Asks for the region; after two unclear answers hands over to people."""
    if not asked:
        dispatcher.utter_message(text=texts.OPERATOR_ASK_REGION)
        return [SlotSet("awaiting_reply", "operator_region")]
    attempts = _attempts(tracker)
    attempts["operator_region"] = attempts.get("operator_region", 0) + 1
    if attempts["operator_region"] >= MAX_REGION_ATTEMPTS:
        attempts.pop("operator_region")
        dispatcher.utter_message(text=texts.OPERATOR_GIVE_UP, buttons=texts.OFFER_LINE1_BUTTONS)
        return [SlotSet("awaiting_reply", None), SlotSet("failed_attempts", attempts)]
    dispatcher.utter_message(text=texts.OPERATOR_REGION_UNKNOWN)
    return [SlotSet("awaiting_reply", "operator_region"), SlotSet("failed_attempts", attempts)]


class ActionOperatorContacts(TicketingAction):
    """The user answered «Из какого вы региона?»: resolve it and give the operator's contact."""

    def name(self) -> str:
        return "action_operator_contacts"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return await operator_contacts(self.client, dispatcher, tracker, asked=True)
