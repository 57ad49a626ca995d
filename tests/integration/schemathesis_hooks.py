"""Schemathesis hooks of the stateful phase only (tests/integration/test_schemathesis.py, SCHEMATHESIS_HOOKS).

A chat ticket must carry §5.6.1's region, role, e-mail and question type, and the region must be one the resolver
recognises — a rule no JSON Schema can state, so nine bodies in ten that Schemathesis builds from the document
are refused with 422, and its state machine seldom has a new ticket to follow the links from. This hook gives
the bodies of ``POST /api/v1/tickets`` what a pupil's chat would (the rest stays generated), and each its own
address: one requester may register 20 an hour (429).
"""

from __future__ import annotations

import itertools
from typing import Any

import schemathesis

_SERIAL = itertools.count(1)
CHAT_5_6_1 = {"region": "Республика Татарстан", "role": "participant", "question_type": "technical"}


@schemathesis.hook("map_body").apply_to(method="POST", path="/api/v1/tickets")  # type: ignore[attr-defined, untyped-decorator]
def a_ticket_the_procedure_accepts(context: Any, body: Any) -> Any:
    if not isinstance(body, dict):
        return body
    body = dict(body)
    if body.get("channel", "chat") == "chat":
        body.update(CHAT_5_6_1)
    body["email"] = f"stateful{next(_SERIAL)}@example.ru"
    body.pop("known_issue_id", None)  # a number of the generator's, not an issue that exists (404)
    return body
