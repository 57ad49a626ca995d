"""Who a pupil writes to in the web chat: the bot, or the specialist who answered them.

After line 1 has answered a chat ticket (the answer reaches the conversation, §6.3), what the
pupil writes in that conversation is their reply to the specialist: it goes to that ticket as
the requester's message and reopens it when answered (``lifecycle.requester_message``), never to
the bot's NLU. The thread stays open until the pupil goes back to the bot (a button or a phrase
such as «вернуться к боту»), recorded on the ticket as ``back_to_bot``; a new answer opens it again.

The rule reads only the tickets of the conversation, so the chat service applies it before Rasa
is asked — a reply to the specialist is kept even while the bot is down.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

from ticketing.domain.tickets import EventType, Status, Ticket

# How a pupil says «I want the bot again», after lower-casing, ё → е and dropping punctuation.
BACK_TO_BOT_PHRASES = frozenset(
    {
        "вернуться к боту",
        "вернутся к боту",
        "вернуться в бот",
        "вернуться в бота",
        "назад к боту",
        "обратно к боту",
        "к боту",
        "хочу к боту",
        "хочу вернуться к боту",
        "вернуться к чат боту",
        "вернуться к чатботу",
        "бот",
    }
)
_NOT_LETTERS = re.compile(r"[^\w\s]+")
_SPACES = re.compile(r"\s+")


def is_back_to_bot(text: str) -> bool:
    """True when the whole message asks to go back to the bot («Вернуться к боту!», «назад к боту»)."""
    words = _SPACES.sub(" ", _NOT_LETTERS.sub(" ", text.lower().replace("ё", "е"))).strip()
    words = words.removeprefix("пожалуйста ").removesuffix(" пожалуйста")
    return words in BACK_TO_BOT_PHRASES


def specialist_thread(tickets: Iterable[Ticket]) -> Ticket | None:
    """The ticket the conversation's messages go to now, or None when the pupil talks to the bot.

    The latest of two kinds of event over the conversation's tickets decides: a specialist's
    answer opens the thread to its ticket, the pupil's ``back_to_bot`` closes it. A ticket left
    without an answer takes no replies (a new request is the way back, §4.9), so it opens none.
    """
    latest: tuple[datetime, int, Ticket, str] | None = None
    for ticket in tickets:
        for index, event in enumerate(ticket.events):
            if event.type not in (EventType.ANSWERED, EventType.BACK_TO_BOT):
                continue
            if latest is None or (event.at, index) >= (latest[0], latest[1]):
                latest = (event.at, index, ticket, event.type)
    if latest is None or latest[3] != EventType.ANSWERED:
        return None
    ticket = latest[2]
    return None if ticket.status is Status.LEFT_WITHOUT_ANSWER else ticket
