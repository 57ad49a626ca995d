"""The screening component (bot/nlu/screening.py) on real Rasa messages, with a fake screener
and against a real local HTTP server standing in for the ticketing service."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.screening import HttpScreener, ProcedureScreening


class FakeScreener:
    def __init__(self, verdicts: dict[str, str]) -> None:
        self.verdicts = verdicts
        self.seen: list[str] = []

    def screen(self, text: str) -> dict[str, Any] | None:
        self.seen.append(text)
        if text not in self.verdicts:
            return None
        return {"verdict": self.verdicts[text], "language": "ru", "reasons": ["test"], "no_question": False}


def message(text: str, intent: str = "inform") -> Message:
    msg = Message(data={TEXT: text})
    msg.set(INTENT, {"name": intent, "confidence": 0.8})
    msg.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.8}])
    return msg


def test_flagged_messages_get_the_screen_intent_and_every_verdict_is_recorded() -> None:
    screener = FakeScreener({"вы идиоты": "abusive", "Hello": "foreign_language", "привет": "ok"})
    component = ProcedureScreening(ProcedureScreening.get_default_config(), screener)
    abusive, foreign, clean = message("вы идиоты"), message("Hello"), message("привет", "greet")
    component.process([abusive, foreign, clean])
    assert abusive.get(INTENT)["name"] == "screen_abusive"
    assert abusive.get(INTENT_RANKING_KEY)[0]["name"] == "screen_abusive"
    assert foreign.get(INTENT)["name"] == "screen_foreign_language"
    assert clean.get(INTENT)["name"] == "greet"
    assert [e["value"] for e in clean.get(ENTITIES) if e["entity"] == "screening_verdict"] == ["ok"]


def test_button_payloads_are_not_screened_and_failures_pass() -> None:
    screener = FakeScreener({})
    component = ProcedureScreening(ProcedureScreening.get_default_config(), screener)
    payload, unknown = message("/open_appeal", "open_appeal"), message("что-то")
    component.process([payload, unknown])
    assert screener.seen == ["что-то"]
    assert unknown.get(INTENT)["name"] == "inform" and not unknown.get(ENTITIES)


@pytest.fixture
def ticketing_stub():
    calls: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            calls.append({"body": body, "auth": self.headers.get("Authorization")})
            verdict = "threat" if "взорву" in body["text"] else "ok"
            data = json.dumps({"verdict": verdict, "language": "ru", "reasons": [], "no_question": False}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", calls
    server.shutdown()


def test_http_screener_talks_to_the_api(ticketing_stub) -> None:
    url, calls = ticketing_stub
    screener = HttpScreener(url, "bvb_token", timeout=2.0, pause_after_failure=30.0)
    assert screener.screen("я взорву школу")["verdict"] == "threat"
    assert calls[0] == {"body": {"text": "я взорву школу"}, "auth": "Bearer bvb_token"}


def test_http_screener_pauses_after_a_failure() -> None:
    screener = HttpScreener("http://127.0.0.1:9", "t", timeout=0.5, pause_after_failure=30.0)
    assert screener.screen("привет") is None
    assert screener._resume_at > 0  # the next messages do not wait for a dead service
    assert screener.screen("ещё") is None


def test_no_concrete_question_asks_for_it_but_keeps_greetings_and_answers() -> None:
    class NoQuestion(FakeScreener):
        def screen(self, text: str) -> dict[str, Any] | None:
            return {"verdict": "ok", "language": "ru", "reasons": [], "no_question": True}

    component = ProcedureScreening(ProcedureScreening.get_default_config(), NoQuestion({}))
    help_me, greeting, answer = message("помогите", "open_appeal"), message("привет", "greet"), message("да", "affirm")
    component.process([help_me, greeting, answer])
    assert help_me.get(INTENT)["name"] == "screen_no_question"
    assert greeting.get(INTENT)["name"] == "greet"
    assert answer.get(INTENT)["name"] == "affirm"
