"""The bot's responses in domain.yml, as the actions see them in the domain Rasa sends with each call.

Most messages are sent by name (``dispatcher.utter_message(response="utter_…")``) and Rasa fills
them in. Only where one message joins two responses (the second failed answer: what was wrong,
then why the field is needed) does an action render them itself; it does so the way Rasa does:
the first variation, ``{name}`` placeholders filled from ``values``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from rasa_sdk.types import DomainDict

_PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")


def render(domain: DomainDict, name: str, **values: Any) -> dict[str, Any]:
    """``{"text": …, "buttons": […]}`` of the response ``name``; ``KeyError`` if the domain has none."""
    variation: Mapping[str, Any] = domain["responses"][name][0]
    text = _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), str(variation.get("text") or ""))
    return {"text": text, "buttons": list(variation.get("buttons") or [])}
