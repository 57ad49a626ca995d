"""The form's questions Rasa asks itself (no action server call): the shorter wording after a refused answer.

``validate_appeal_form`` sets ``asked_again`` to the field it refused; Rasa's own response generator then
picks the conditional variation of ``utter_ask_<field>`` from domain.yml (actions/form_prompts.py).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = Domain.load(ROOT / "domain.yml")


def said(response: str, asked_again: str | None) -> str:
    tracker = DialogueStateTracker.from_events("pupil", [SlotSet("asked_again", asked_again)], slots=DOMAIN.slots)
    nlg = TemplatedNaturalLanguageGenerator(DOMAIN.responses)
    message = asyncio.run(nlg.generate(response, tracker, "rest"))
    assert message is not None
    return str(message["text"])


@pytest.mark.parametrize("field", ["login", "email", "question_type"])
def test_rasa_asks_in_short_only_after_that_fields_answer_was_refused(field: str) -> None:
    first, again = (v["text"] for v in DOMAIN.responses[f"utter_ask_{field}"])
    assert said(f"utter_ask_{field}", None) == first
    assert said(f"utter_ask_{field}", "region") == first  # another field's refusal
    assert said(f"utter_ask_{field}", field) == again
    assert again != first


@pytest.mark.parametrize("field", ["login", "email", "question_type"])
def test_no_action_stands_in_front_of_rasas_own_question(field: str) -> None:
    assert f"action_ask_{field}" not in DOMAIN.user_actions
