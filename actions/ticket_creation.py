"""Sending the confirmed appeal to ticketing (§5.6.2), never losing it.

The ticket goes to the outbox first, with its idempotency key, and only then over HTTP.
If ticketing is down the user is told the appeal is saved and the number will follow;
the action server's flusher delivers it and announces the number through
``EXTERNAL_ticket_registered`` (answered by ``action_notify_ticket_registered``), or the
service's refusal through ``EXTERNAL_ticket_failed`` (``action_notify_ticket_failed``).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing, texts
from actions.common import TicketingAction, build_transcript, latest_entity, reset_appeal
from actions.delivery import rejection_reason

logger = logging.getLogger(__name__)

# While the action sends its own entry, the background flusher keeps off it.
SEND_LEASE_SECONDS = 120.0
# The opportunistic flush before a new ticket stays short: the user is waiting.
OPPORTUNISTIC_FLUSH_LIMIT = 3


def ticket_payload(tracker: Tracker) -> dict[str, Any]:
    """The ``POST /api/v1/tickets`` body from the slots and the conversation."""
    description = tracker.get_slot("description") or ""
    payload: dict[str, Any] = {
        "channel": "chat",
        "kind": tracker.get_slot("request_kind") or "info_request",
        "question_type": tracker.get_slot("question_type"),
        "region": tracker.get_slot("region"),
        "role": tracker.get_slot("role"),
        "login": tracker.get_slot("login"),
        "email": tracker.get_slot("email"),
        "subject": parsing.make_subject(description),
        "description": description,
        "transcript": build_transcript(tracker),
        "conversation_id": tracker.sender_id,
        "instructions_tried": list(tracker.get_slot("instructions_tried") or []),
    }
    issue_id = tracker.get_slot("known_issue_id")
    if isinstance(issue_id, int) and tracker.get_slot("question_type") == "technical":
        payload["known_issue_id"] = issue_id  # §5.5: the issue the bot told the pupil about
    return payload


class ActionCreateTicket(TicketingAction):
    """Creates the ticket after «Отправить» and answers with its number and due date."""

    def name(self) -> str:
        return "action_create_ticket"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if not tracker.get_slot("description") or not tracker.get_slot("email"):
            dispatcher.utter_message(text=texts.NOTHING_TO_SEND)
            return reset_appeal()

        delivery = self.delivery()
        backlog = await delivery.flush(limit=OPPORTUNISTIC_FLUSH_LIMIT)

        key = tracker.get_slot("appeal_key") or str(uuid.uuid4())
        entry = self.outbox.add(key, tracker.sender_id, ticket_payload(tracker), lease_seconds=SEND_LEASE_SECONDS)
        if entry.status == "delivered" and entry.ticket_number:
            # A second «Отправить» for the same appeal: answer with the same ticket.
            return self._created(dispatcher, {"number": entry.ticket_number, "due_at": entry.due_at}, tracker)
        if backlog.service_down:
            self.outbox.release(key)
            dispatcher.utter_message(text=texts.SAVED_FOR_LATER)
            return reset_appeal()

        result = await delivery.send(entry, user_is_waiting=True)
        if result.ticket:
            return self._created(dispatcher, result.ticket, tracker)
        if result.rejection:
            reason = rejection_reason(result.rejection, texts.FIELD_NAMES, texts.REJECTED_FIELD)
            dispatcher.utter_message(text=texts.REJECTED.format(reason=reason), buttons=texts.FIELD_BUTTONS)
            # A new key: the corrected appeal is a new request for the service.
            return [SlotSet("awaiting_confirmation", True), SlotSet("appeal_key", str(uuid.uuid4()))]
        dispatcher.utter_message(text=texts.SAVED_FOR_LATER)
        return reset_appeal()

    @staticmethod
    def _created(dispatcher: CollectingDispatcher, ticket: dict[str, Any], tracker: Tracker) -> list[EventType]:
        due = texts.format_due_date(ticket.get("due_at"))
        email = tracker.get_slot("email")
        if due:
            text = texts.CREATED.format(number=ticket.get("number"), due=due, email=email)
        else:
            text = texts.CREATED_NO_DUE.format(number=ticket.get("number"), email=email)
        dispatcher.utter_message(text=text)
        return [*reset_appeal(), SlotSet("ticket_number", ticket.get("number"))]


class ActionNotifyTicketRegistered(Action):
    """Answers ``EXTERNAL_ticket_registered``: the late number of a saved appeal."""

    def name(self) -> str:
        return "action_notify_ticket_registered"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        number = latest_entity(tracker, "ticket_number")
        if not number:
            logger.warning("EXTERNAL_ticket_registered without a ticket number for %s", tracker.sender_id)
            return []
        due = texts.format_due_date(latest_entity(tracker, "due_at"))
        if due:
            dispatcher.utter_message(text=texts.REGISTERED_LATER.format(number=number, due=due))
        else:
            dispatcher.utter_message(text=texts.REGISTERED_LATER_NO_DUE.format(number=number))
        return [SlotSet("ticket_number", number)]


class ActionNotifyTicketFailed(Action):
    """Answers ``EXTERNAL_ticket_failed``: a saved appeal the service refused later."""

    def name(self) -> str:
        return "action_notify_ticket_failed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        reason = latest_entity(tracker, "reason") or "сервис не принял данные"
        dispatcher.utter_message(text=texts.FAILED_LATER.format(reason=reason), buttons=texts.FAILED_LATER_BUTTONS)
        return []
