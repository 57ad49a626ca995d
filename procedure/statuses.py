"""A ticket's statuses: which are open and what each is called, for the bot and for the console.

The codes are those of the ticketing API (``ticketing.domain.tickets.Status``); the lines are
those of §5.1. The requester hears a status from the bot, staff read it in the console, and the
two wordings differ on purpose («специалист ответил» to the person who asked, «дан ответ» to the
specialist), so each status has both here, side by side, where they cannot drift apart.
"""

from __future__ import annotations

from procedure.wording import Wording

OPEN = ("new", "in_progress", "waiting_line2", "waiting_line3")
"""Someone still owes the requester an answer; the deadline runs."""
FINISHED = ("answered", "closed", "left_without_answer")
ANSWERED = ("answered", "closed")
"""The requester got an answer (and the ticket may since have been closed)."""
ALL = OPEN + FINISHED

LABELS: dict[str, Wording] = {
    "new": Wording("принято, ждёт своей очереди", "зарегистрировано, ждёт специалиста"),
    "in_progress": Wording("в работе у специалиста поддержки", "в работе у специалиста"),
    "waiting_line2": Wording("передано региональному оператору", "передано региональному оператору"),
    "waiting_line3": Wording("передано технической поддержке платформы", "передано технической поддержке платформы"),
    "answered": Wording("специалист ответил", "дан ответ"),
    "closed": Wording("закрыто", "закрыто"),
    "left_without_answer": Wording("оставлено без ответа", "оставлено без ответа"),
}


def is_open(status: str) -> bool:
    """True while the ticket waits for an answer (new, in progress, on line 2 or 3)."""
    return status in OPEN
