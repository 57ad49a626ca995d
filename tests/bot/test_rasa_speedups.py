"""bot/rasa_speedups.py: the action server's answers are checked as Rasa checks them, only faster."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

import bot.nlu  # noqa: F401  (installs the speed-up, as Rasa's model loading does)
from bot import rasa_speedups

GOOD = {
    "events": [
        {"event": "slot", "name": "last_faq_key", "value": "registration", "timestamp": None},
        {"event": "slot", "name": "awaiting_reply", "value": None},
    ],
    "responses": [{"text": "Помогло?", "buttons": [{"title": "Да", "payload": "/affirm"}]}],
}
BAD = [
    {"events": [{"event": "slot"}]},  # a slot without its name
    {"events": [{"event": "no_such_event"}]},
    {"events": "not a list"},
    {"responses": ["not an object"]},
]


def test_installed_when_our_components_are_imported() -> None:
    assert RemoteAction._validate_action_result is rasa_speedups._validate_action_result
    rasa_speedups.install()  # twice is harmless
    assert RemoteAction._validate_action_result is rasa_speedups._validate_action_result


def test_a_good_answer_passes() -> None:
    assert RemoteAction("action_after_faq", None)._validate_action_result(copy.deepcopy(GOOD)) is True


@pytest.mark.parametrize("answer", BAD)
def test_a_bad_answer_fails_as_rasa_fails_it(answer: dict[str, Any]) -> None:
    schema = RemoteAction.action_response_format_spec()
    with pytest.raises(jsonschema.ValidationError) as original:
        jsonschema.validate(answer, schema)
    with pytest.raises(jsonschema.ValidationError) as ours:
        RemoteAction("action_after_faq", None)._validate_action_result(answer)
    assert ours.value.message.startswith(original.value.message)
    assert "Failed to validate Action server response" in ours.value.message
    assert list(ours.value.path) == list(original.value.path)


def test_endpoint_calls_reuse_one_connection() -> None:
    """Rasa's calls of the action server: one kept session and connection, not one per call."""
    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    peers: set[tuple[str, int]] = set()

    async def webhook(request: web.Request) -> web.Response:
        assert request.transport is not None
        peers.add(request.transport.get_extra_info("peername"))
        return web.json_response({"events": [], "responses": [], "echo": await request.json()})

    async def scenario() -> list[Any]:
        app = web.Application()
        app.router.add_post("/webhook", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        endpoint = EndpointConfig(url=f"http://127.0.0.1:{port}/webhook")
        try:
            answers = [await endpoint.request(json={"n": n}, method="post") for n in range(5)]
            # An idle connection is dropped by the client before a server's keep-alive would be.
            await asyncio.sleep(rasa_speedups.KEEPALIVE_SECONDS + 0.5)
            answers.append(await endpoint.request(json={"n": 5}, method="post"))
        finally:
            await runner.cleanup()
        return answers

    answers = asyncio.run(scenario())
    assert [a["echo"]["n"] for a in answers] == [0, 1, 2, 3, 4, 5]
    assert len(peers) == 2  # the first five on one connection, the sixth on a new one
