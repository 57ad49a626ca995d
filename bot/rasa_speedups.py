"""Work Rasa 3.6 repeats on every message, done once (issue 12; docs/performance.md, «Бот»).

Rasa checks each answer of the action server against its JSON schema of events
(``RemoteAction._validate_action_result``) with ``jsonschema.validate``. That function first checks
the *schema* against the JSON Schema meta-schema and builds a new validator, every time: 27 ms of CPU
per call of a custom action on this machine, against 0.9 ms for the same check with a validator built
once. A form's turn calls two actions (``validate_appeal_form`` and ``action_ask_<slot>``), so under load
this was about a third of the Rasa process's time (py-spy, 50 concurrent conversations).

Each call of a custom action also opens a new ``aiohttp.ClientSession`` (``EndpointConfig.request``): a new
TCP connection, a name lookup in a thread for «localhost», and the session's closing, each a pause in which
the message goes to the back of the event loop's queue. Under 50 concurrent conversations a message that
called one action waited 5–6 times as long as one that called none (the queue is served in turn, so a
message's wait grows with its number of pauses, not with its CPU). ``install()`` gives each endpoint one
kept session per event loop, with keep-alive connections that the client drops after 2 s, before
Sanic's 5 s on the action server's side, so a reused connection is never one the server is closing.

``install()`` replaces the validation method with the same check on a validator built once: the same schema
(Rasa's own ``action_response_format_spec``), the same ``ValidationError`` with the same message on a
bad answer. Rasa's other code is untouched. It is called when our NLU components are imported
(``bot/nlu/__init__.py``), so every process that loads the model — ``rasa run`` on a laptop, each
replica of ``make run-prod``, the official Helm chart's image — gets it without a special start command.
"""

from __future__ import annotations

import asyncio
from functools import cache
from typing import Any

import aiohttp

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


# The client drops an idle connection before the server (Sanic: KEEP_ALIVE_TIMEOUT 5 s) would.
KEEPALIVE_SECONDS = 2.0


class _Lent:
    """``async with endpoint.session() as session``: lends the kept session and leaves it open."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *_exc: object) -> None:
        return None


def _kept_session(self: Any) -> Any:
    """``EndpointConfig.session``: the endpoint's session for this event loop, made once."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no loop: a session of its own, as Rasa makes it
        return _rasa_session(self)
    kept: tuple[asyncio.AbstractEventLoop, aiohttp.ClientSession] | None = getattr(self, _KEPT, None)
    if kept is None or kept[0] is not loop or kept[1].closed:
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth else None
        from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT

        session = aiohttp.ClientSession(
            headers=self.headers,
            auth=auth,
            timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
            connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
        )
        kept = (loop, session)
        setattr(self, _KEPT, kept)
    return _Lent(kept[1])


_KEPT = "_bilet_kept_session"
_rasa_session: Any = None


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

    from rasa.utils.endpoints import EndpointConfig

    global _rasa_session
    _rasa_session = EndpointConfig.session
    EndpointConfig.session = _kept_session  # type: ignore[method-assign]
