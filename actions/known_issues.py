"""What line 3 publishes, told to the pupil who describes it (§5.5).

The console promises line 1 that the bot mentions a known issue «когда вопрос похож». The bot
asks ``GET /api/v1/known-issues/match`` once per technical description, inside the appeal form's
validation (no extra action-server call, and never on an ordinary message), says in plain words
what is wrong and when it is expected to work, and keeps the issue's id: a ticket the pupil still
sends is linked to it, so that line 3's «ответить всем» reaches them (actions/ticket_creation.py).
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from rasa_sdk.executor import CollectingDispatcher

from actions import texts
from actions.ticketing_client import TicketingError, TicketingPort
from procedure.moscow import MOSCOW

logger = logging.getLogger(__name__)


def moscow_today() -> date:
    return datetime.now(MOSCOW).date()


async def mention_known_issue(
    client: TicketingPort, dispatcher: CollectingDispatcher, description: str, *, today: date | None = None
) -> int | None:
    """Tell the pupil about the active known issue their description matches; its id, or None.

    A ticketing outage only means the bot says nothing: the appeal goes on, and line 1 can still
    link the ticket by hand.
    """
    try:
        issue = await client.match_known_issue(description)
    except TicketingError as exc:
        logger.warning("known-issue match unavailable: %s", exc)
        return None
    if not issue or not isinstance(issue.get("id"), int):
        return None
    dispatcher.utter_message(text=texts.known_issue_text(issue, today or moscow_today()))
    return int(issue["id"])
