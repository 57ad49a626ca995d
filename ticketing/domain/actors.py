"""Who wrote an entry of a ticket's history (``TicketEvent.actor``), and how a person reads that name.

A history entry stores its actor as a plain string: a member of staff by full name, an API
token by its name (``token:<name>`` when it registered the ticket, the bare name when it moved
it: ``api_transitions.actor_of``), or one of the system's own parts below. The stored value stays as it is
(the audit log filters by it); the console shows the Russian name (§1.4) from
:func:`actor_label_ru`, the one place that knows every value that can be stored.
"""

from __future__ import annotations

SCREENING = "screening"  # the automatic check of §4.7–4.9 (services.tickets.apply_screening)
SYSTEM = "system"  # the deadline watcher and the search for repeats (§4.9, §5.3)
MAIL_PREFIX = "mail:"  # ``mail:<mailbox>``: the mail worker reading a mailbox, ``mail:smtp`` sending answers
MAIL_SENDER = "mail:smtp"
TOKEN_PREFIX = "token:"  # ``token:<name>``: registered through the API with that token
# The action server's service token is created as «action-server» by make run and make run-prod.
ACTION_SERVER_TOKEN = "action-server"

MAILBOX_LABELS_RU = {
    "project": "почта проекта (обработчик писем)",
    "union": "почта Союза (обработчик писем)",
    "smtp": "отправка писем",
}
FIXED_LABELS_RU = {
    SCREENING: "автоматическая проверка (п. 4.7–4.9)",
    SYSTEM: "система",
}


def mailbox_actor(mailbox: str) -> str:
    return f"{MAIL_PREFIX}{mailbox}"


def token_actor(token_name: str) -> str:
    return f"{TOKEN_PREFIX}{token_name}"


def actor_label_ru(actor: str) -> str:
    """«чат-бот», «автоматическая проверка (п. 4.7–4.9)», «почта проекта (обработчик писем)»; a person's name as is."""
    if actor in FIXED_LABELS_RU:
        return FIXED_LABELS_RU[actor]
    if actor.startswith(MAIL_PREFIX):
        mailbox = actor[len(MAIL_PREFIX) :]
        return MAILBOX_LABELS_RU.get(mailbox, f"почтовый ящик «{mailbox}»")
    if actor.startswith(ACTION_SERVER_TOKEN):  # the API's transitions name a token without the prefix
        return "чат-бот"
    if actor.startswith(TOKEN_PREFIX):
        name = actor[len(TOKEN_PREFIX) :]
        if name.startswith(ACTION_SERVER_TOKEN):
            return "чат-бот"
        return f"через API (токен «{name}»)"
    return actor
