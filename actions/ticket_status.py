"""``action_ticket_status``: «что с моим обращением БВБ-000123?» answered in Russian.

The number may come as «бвб 123», «BVB-000123» or «№123»; it is normalised to
«БВБ-000123» before asking ticketing. Without a number in the message the last ticket
of this conversation is used, or the user is asked for the number.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing, texts
from actions.common import TicketingAction, latest_entity, latest_text
from actions.ticketing_client import TicketingError


def requested_number(tracker: Tracker) -> str | None:
    """The ticket number the user means, normalised, or None."""
    for candidate in (latest_entity(tracker, "ticket_number"), latest_text(tracker)):
        if candidate and not parsing.is_payload(candidate):
            number = parsing.normalize_ticket_number(candidate)
            if number:
                return number
    remembered = tracker.get_slot("ticket_number")
    return parsing.normalize_ticket_number(remembered) if remembered else None


class ActionTicketStatus(TicketingAction):
    """Looks the ticket up and tells its status and due date."""

    def name(self) -> str:
        return "action_ticket_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        number = requested_number(tracker)
        if not number:
            dispatcher.utter_message(text=texts.ASK_TICKET_NUMBER)
            return []
        try:
            ticket = await self.client.get_ticket(number)
        except TicketingError:
            dispatcher.utter_message(text=texts.STATUS_UNAVAILABLE)
            return [SlotSet("ticket_number", number)]
        if ticket is None:
            dispatcher.utter_message(text=texts.STATUS_NOT_FOUND.format(number=number))
            return [SlotSet("ticket_number", None)]
        dispatcher.utter_message(text=texts.status_text(ticket))
        return [SlotSet("ticket_number", number)]
