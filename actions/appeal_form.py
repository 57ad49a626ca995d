"""``validate_appeal_form``: checks each answer the form collects (§5.6.1).

Each ``validate_<slot>`` returns the clean value, or ``None`` with a short reason; the
form then asks again (actions/form_prompts.py). Failures are counted per slot in
``failed_attempts``: from the second one on, the user also gets an explanation of why
the field is needed and an offer to leave the form. Words that were no attempt at the
question — «помогите», «ничего не работает» — are not counted: they get a reply that the
appeal goes to a person (actions/form_off_topic.py), and the question is asked again.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions import parsing
from actions.catalogue import catalogue
from actions.common import default_client, latest_intent, latest_text
from actions.fallback import faq_prediction
from actions.form_off_topic import off_topic_reply
from actions.known_issues import mention_known_issue
from actions.responses import render
from actions.ticketing_client import TicketingPort, TicketingUnavailable
from procedure import request_kinds

logger = logging.getLogger(__name__)

MAX_FAILURES_BEFORE_OFFER = 2
# The scenario threshold of config.yml (bot.nlu.faq_confidence.ScenarioFallback): as sure as the bot
# must be to answer with an instruction, it must be to note one as tried.
NAMED_INSTRUCTION_CONFIDENCE = 0.5

# A short answer NLU took for small talk («Воронеж» as goodbye, «привет, я мама» as greet)
# would make the form step aside; for region and role it is rescued when the resolver or
# the role rules recognise it. Questions and cancellations are never rescued.
RESCUABLE_INTENTS = frozenset({"greet", "goodbye", "thanks", "bot_challenge", "out_of_scope"})
_QUESTION = re.compile(r"\?|\b(как\w*|кто|что|где|когда|почему|зачем|сколько|чем)\b", re.IGNORECASE)


class ValidateAppealForm(FormValidationAction):
    """Validates region, role, login, e-mail, question type and description."""

    def __init__(self, client: TicketingPort | None = None) -> None:
        self._client = client

    def name(self) -> str:
        return "validate_appeal_form"

    @property
    def client(self) -> TicketingPort:
        """The ticketing port (its region resolver); injected in tests."""
        if self._client is None:
            self._client = default_client()
        return self._client

    # --- bookkeeping -----------------------------------------------------------------

    @staticmethod
    def _failures(tracker: Tracker) -> dict[str, int]:
        value = tracker.get_slot("failed_attempts")
        return dict(value) if isinstance(value, dict) else {}

    def _accept(self, slot: str, value: Any, tracker: Tracker, **extra: Any) -> dict[str, Any]:
        failures = self._failures(tracker)
        failures.pop(slot, None)
        return {slot: value, "failed_attempts": failures, "asked_again": None, **extra}

    def _reject(
        self,
        slot: str,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        problem: str | None = None,
        values: dict[str, Any] | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """Says ``utter_invalid_<problem or slot>``; from the second failure, with ``utter_explain_<slot>``.

        A plea for help or a told problem in place of the answer is no failure: see :func:`off_topic_reply`.
        """
        if tracker.get_slot("requested_slot") == slot:
            noted = off_topic_reply(dispatcher, tracker, latest_text(tracker), slot)
            if noted is not None:
                return {slot: None, "asked_again": None, **extra, **noted}
        failures = self._failures(tracker)
        failures[slot] = failures.get(slot, 0) + 1
        reason = f"utter_invalid_{problem or slot}"
        if failures[slot] >= MAX_FAILURES_BEFORE_OFFER:
            said, why = render(domain, reason, **(values or {})), render(domain, f"utter_explain_{slot}")
            dispatcher.utter_message(text=f"{said['text']} {why['text']}", buttons=why["buttons"])
        else:
            dispatcher.utter_message(response=reason, **(values or {}))
        # ``asked_again`` picks the shorter wording of the question Rasa asks next (domain.yml).
        return {slot: None, "failed_attempts": failures, "asked_again": slot, **extra}

    # --- rescue of answers NLU mistook for small talk --------------------------------

    @staticmethod
    def _mistaken_answer(tracker: Tracker, slot: str) -> str | None:
        if tracker.get_slot("requested_slot") != slot or latest_intent(tracker) not in RESCUABLE_INTENTS:
            return None
        text = latest_text(tracker).strip()
        if not text or parsing.is_payload(text) or len(text.split()) > 4 or _QUESTION.search(text):
            return None
        return text

    async def extract_region(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """«Воронеж» classified as goodbye is still a region if the resolver knows it."""
        text = self._mistaken_answer(tracker, "region")
        if not text:
            return {}
        try:
            match = await self.client.resolve_region(text)
        except TicketingUnavailable:
            return {}
        return {"region": text} if match.region or match.candidates else {}

    def extract_role(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """«привет, я мама» classified as greet is still a role."""
        text = self._mistaken_answer(tracker, "role")
        return {"role": text} if text and parsing.parse_role(text) else {}

    # --- slots -----------------------------------------------------------------------

    async def validate_region(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Resolves free text to an official region name; ambiguity → buttons, no penalty."""
        text = str(value or "").strip()
        if not text or parsing.is_payload(text):
            return self._reject("region", dispatcher, tracker, domain)
        try:
            match = await self.client.resolve_region(text)
        except TicketingUnavailable:
            # Do not hold the user up: keep their words; staff can read them (logged).
            logger.warning("region resolver unavailable, keeping %r as typed", text)
            return self._accept("region", text[:100], tracker, region_candidates=None)
        if match.region:
            return self._accept("region", match.region, tracker, region_candidates=None)
        if len(match.candidates) == 1:
            return self._accept("region", match.candidates[0], tracker, region_candidates=None)
        if match.candidates:
            # action_ask_region shows them as buttons.
            return {"region": None, "region_candidates": match.candidates[:6]}
        return self._reject("region", dispatcher, tracker, domain, region_candidates=None)

    def validate_role(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Buttons send the code; free text («я мама», «учитель») is mapped by rules."""
        role = parsing.parse_role(str(value or ""))
        if role:
            return self._accept("role", role, tracker)
        return self._reject("role", dispatcher, tracker, domain)

    def validate_login(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """One word without spaces; «не помню» is accepted (the e-mail finds the profile)."""
        login = parsing.parse_login(str(value or ""))
        if login is None or parsing.off_topic_in_form(str(value or "")) == "help":
            return self._reject("login", dispatcher, tracker, domain)
        if login == parsing.LOGIN_UNKNOWN and tracker.get_slot("requested_slot") == "login":
            dispatcher.utter_message(response="utter_login_unknown_ok")
        return self._accept("login", login, tracker)

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Checks the address and says exactly what is wrong (no «@», Cyrillic, typo)."""
        check = parsing.check_email(str(value or ""))
        if check.email:
            return self._accept("email", check.email, tracker)
        if tracker.get_slot("requested_slot") != "email":
            # An address-like word while asking something else: ignore it silently.
            return {"email": None}
        if check.suggestion:
            return self._reject("email", dispatcher, tracker, domain, "email_typo", {"suggestion": check.suggestion})
        return self._reject("email", dispatcher, tracker, domain, f"email_{check.problem}")

    def validate_question_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Buttons give the code; «не грузится», «ошибка» → technical, «хочу узнать» → informational."""
        question_type = parsing.parse_question_type(str(value or ""))
        if question_type:
            return self._accept("question_type", question_type, tracker)
        return self._reject("question_type", dispatcher, tracker, domain)

    async def validate_description(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        """Takes the description, or the draft from the first message when the user agrees.

        The kind of request (§1.1) is refined here from the description; a technical one is
        matched against the known issues line 3 publishes (§5.5, actions/known_issues.py).
        """
        draft = tracker.get_slot("description_draft")
        intent = latest_intent(tracker)
        asked = tracker.get_slot("requested_slot") == "description"
        if asked and draft and intent == "affirm":
            description: str | None = draft
        elif asked and draft and intent == "deny":
            dispatcher.utter_message(response="utter_draft_declined")
            return {"description": None, "description_draft": None}
        else:
            description = parsing.check_description(str(value or ""))
            if description and asked and draft and draft.casefold() not in description.casefold():
                # The bot offered the first message and the user told more: keep both.
                description = f"{draft.rstrip('.!? ')}. {description}"
        if not description:
            return self._reject("description", dispatcher, tracker, domain)
        kind = tracker.get_slot("request_kind")
        if not (tracker.get_slot("request_kind_chosen") and kind):  # the pupil's choice at the summary stays
            kind = request_kinds.strongest_kind(
                [kind, request_kinds.detect_request_kind(description)], tracker.get_slot("question_type")
            )
        issue_id = None
        if tracker.get_slot("question_type") == "technical":
            issue_id = await mention_known_issue(self.client, dispatcher, description)
        extra: dict[str, Any] = {"request_kind": kind, "known_issue_id": issue_id}
        named = self._instruction_named(tracker) if asked else None
        if named:
            extra["instructions_tried"] = [named]
        return self._accept("description", description, tracker, **extra)

    @staticmethod
    def _instruction_named(tracker: Tracker) -> str | None:
        """After «инструкция не помогла» with no instruction in the conversation, the one the answer names.

        The form asked which instruction was tried and what happened; the scenario the
        ResponseSelector reads in that answer, when it is a standard instruction and the bot would
        answer it with confidence, is the instruction tried (§5.4), so line 1 does not send it again.
        """
        if not tracker.get_slot("reported_instruction_failed") or tracker.get_slot("instructions_tried"):
            return None
        prediction = faq_prediction(tracker)
        if prediction.confidence < NAMED_INSTRUCTION_CONFIDENCE or not catalogue().is_instruction(prediction.key):
            return None
        return prediction.key
