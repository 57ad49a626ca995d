"""The action server holds the ticketing token: it listens on loopback and answers only Rasa.

A hand-made ``POST /webhook`` with ``next_action: action_create_ticket`` and forged slots used to
register a ticket past every limit of the chat. Rasa 3.6 sends the ``token`` of ``action_endpoint``
(endpoints.yml) as the query parameter ``token`` on every call (rasa/utils/endpoints.py); the server
compares it with ``ACTION_SERVER_TOKEN`` and refuses anything else with 403.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "s3cret-for-the-test-0123456789abcdef"
CALL = {
    "next_action": "action_suggest_topics",
    "sender_id": "u1",
    "tracker": {"sender_id": "u1", "slots": {}, "latest_message": {"text": "?", "intent": {}, "entities": []},
                "events": [], "paused": False, "followup_action": None, "active_loop": {},
                "latest_action_name": None},
    "domain": {},
    "version": "3.6.21",
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("actions")
    port = free_port()
    env = {**os.environ, "ACTION_SERVER_TOKEN": SECRET, "ACTIONS_OUTBOX_PATH": str(tmp / "outbox.sqlite3"),
           "TICKETING_URL": "http://127.0.0.1:9"}
    env.pop("ACTIONS_HOST", None)
    process = subprocess.Popen([sys.executable, "-m", "actions.server", "--port", str(port)], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(url + "/health", timeout=1)
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(process.communicate()[1].decode())
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def post(url, body):
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.parametrize("query", ["", "?token=", "?token=wrong", f"?token={SECRET}x", f"?other={SECRET}"])
def test_calls_without_the_shared_secret_are_refused(server, query):
    status, body = post(server + "/webhook" + query, {**CALL, "next_action": "action_create_ticket"})
    assert status == 403
    assert body["error"]["code"] == "forbidden"
    assert "токен" in body["error"]["message"] and "ACTION_SERVER_TOKEN" in body["error"]["message"]


def test_rasa_s_call_with_the_secret_is_served(server):
    status, body = post(server + f"/webhook?token={SECRET}", CALL)
    assert status == 200, body
    assert "events" in body and "responses" in body


def test_the_health_probe_needs_no_secret(server):
    with urllib.request.urlopen(server + "/health", timeout=5) as response:
        assert response.status == 200


def test_default_bind_address_is_loopback(monkeypatch):
    from actions.server import parse_args

    monkeypatch.delenv("ACTIONS_HOST", raising=False)
    monkeypatch.delenv("SANIC_HOST", raising=False)
    assert parse_args([]).host == "127.0.0.1"
    monkeypatch.setenv("ACTIONS_HOST", "0.0.0.0")
    assert parse_args([]).host == "0.0.0.0"  # a container behind its own network opts in
    assert parse_args(["--host", "10.0.0.5"]).host == "10.0.0.5"


def test_a_server_without_a_secret_does_not_start(tmp_path):
    env = {**os.environ, "ACTIONS_OUTBOX_PATH": str(tmp_path / "o.sqlite3")}
    env.pop("ACTION_SERVER_TOKEN", None)
    done = subprocess.run([sys.executable, "-m", "actions.server", "--port", str(free_port())], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "ACTION_SERVER_TOKEN" in done.stderr and "не задан" in done.stderr


def test_endpoints_yml_gives_rasa_the_secret_of_the_environment(monkeypatch):
    from rasa.utils.endpoints import read_endpoint_config

    monkeypatch.setenv("ACTION_SERVER_TOKEN", SECRET)
    endpoint = read_endpoint_config(str(ROOT / "endpoints.yml"), "action_endpoint")
    assert endpoint is not None
    assert (endpoint.token, endpoint.token_name) == (SECRET, "token")  # sent as ?token=… on every call
