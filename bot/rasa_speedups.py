"""Work Rasa 3.6 repeats on every message, done once (issue 12; docs/performance.md, «Бот»).

Rasa checks each answer of the action server against its JSON schema of events
(``RemoteAction._validate_action_result``) with ``jsonschema.validate``. That function first checks
the *schema* against the JSON Schema meta-schema and builds a new validator, every time: 27 ms of CPU
per call of a custom action on this machine, against 0.9 ms for the same check with a validator built
once. A form's turn calls two actions (``validate_appeal_form`` and ``action_ask_<slot>``), so under load
this was about a third of the Rasa process's time (py-spy, 50 concurrent conversations).

``install()`` replaces that one method with the same check on a validator built once: the same schema
(Rasa's own ``action_response_format_spec``), the same ``ValidationError`` with the same message on a
bad answer. Rasa's other code is untouched. It is called when our NLU components are imported
(``bot/nlu/__init__.py``), so every process that loads the model — ``rasa run`` on a laptop, each
replica of ``make run-prod``, the official Helm chart's image — gets it without a special start command.
"""

from __future__ import annotations

from functools import cache
from typing import Any

_INSTALLED = "_bilet_cached_validator"


@cache
def _validator() -> Any:
    from jsonschema import validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    cls = validators.validator_for(schema)
    cls.check_schema(schema)  # once, as jsonschema.validate does on each call
    return cls(schema)


def _validate_action_result(self: Any, result: dict[str, Any]) -> bool:
    """Rasa's ``RemoteAction._validate_action_result`` on a validator built once."""
    from jsonschema.exceptions import best_match
    from rasa.core.actions.action import DOCS_BASE_URL

    error = best_match(_validator().iter_errors(result))
    if error is None:
        return True
    # Rasa's wording, so that its logs read as before.
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    """Idempotent; without Rasa installed (the ticketing environment) it does nothing."""
    try:
        from rasa.core.actions.action import RemoteAction
    except ImportError:
        return
    if getattr(RemoteAction._validate_action_result, _INSTALLED, False):
        return
    setattr(_validate_action_result, _INSTALLED, True)
    RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
