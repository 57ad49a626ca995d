"""Who asks and what about (§5.6.1): the codes the bot fills in and ticketing stores, and their names.

A role is named as the procedure names it: the participant, the parent (§2.5), the mentor —
«наставник» (§5.8), the venue. The bot talks to the requester, so its wording may be warmer
(«ученик (участник)»), but both sides take it from here.
"""

from __future__ import annotations

from procedure.wording import Wording

ROLES = ("participant", "parent", "mentor", "venue", "other")
QUESTION_TYPES = ("informational", "technical")
REQUEST_KINDS = ("complaint", "statement", "proposal", "info_request")
"""§1.1, from the most specific to the procedure's default."""


ROLE_LABELS: dict[str, Wording] = {
    "participant": Wording("ученик (участник)", "участник"),
    "parent": Wording("родитель", "родитель"),
    "mentor": Wording("наставник", "наставник"),
    "venue": Wording("площадка", "площадка"),
    "other": Wording("другое", "другое"),
}
QUESTION_TYPE_LABELS = {"informational": "информационный", "technical": "технический"}
KIND_LABELS = {
    "complaint": "жалоба",
    "statement": "заявление",
    "proposal": "предложение",
    "info_request": "запрос информации",
}
# The appeal's fields as the bot names them in «Исправить …» (accusative): its buttons and what a tap on one means.
APPEAL_FIELD_LABELS = {
    "region": "регион",
    "role": "роль",
    "login": "логин",
    "email": "почту",
    "question_type": "тип вопроса",
    "request_kind": "вид обращения",
    "description": "описание",
}
