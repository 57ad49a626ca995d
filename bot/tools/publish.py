"""``make publish``: load the freshly trained model into the running Rasa server, without downtime.

Rasa's HTTP API ``PUT /model`` loads a model file and swaps it in only when it is ready: the
old model keeps answering meanwhile, and the conversations survive because they live in the
SQL tracker store (``endpoints.yml``), not in the server's memory. The help page needs nothing:
it re-reads the same texts by itself. Afterwards the tool checks ``/status`` and asks one
question through ``/model/parse``, so the editor sees the new model at work.

Run in the Rasa environment after training: ``.venv-rasa/bin/python -m bot.tools.publish``.
``RASA_URL`` and ``RASA_TOKEN`` (Rasa's ``--auth-token``) say where the server is.
"""

from __future__ import annotations

import argparse
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.tools.content import ROOT

SMOKE_QUESTION = "забыл пароль"


class RasaApi:
    """The few calls of Rasa's HTTP API the tool needs (stdlib only)."""

    def __init__(self, url: str, token: str | None, timeout: float) -> None:
        self._url = url.rstrip("/")
        self._token = token
        self._timeout = timeout

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        query = f"?{urllib.parse.urlencode({'token': self._token})}" if self._token else ""
        data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
        request = urllib.request.Request(
            self._url + path + query, data=data, method=method, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raw = error.read()
            try:
                return error.code, json.loads(raw) if raw else None
            except ValueError:
                return error.code, raw.decode("utf-8", "replace")


def publish(api: RasaApi, model: Path) -> int:
    """Loads ``model`` and reports what the server runs now; 0 on success."""
    try:
        _, before = api.call("GET", "/status")
    except (urllib.error.URLError, OSError) as error:
        print(f"Rasa не отвечает ({error}). Модель {model} обучена; "
              "сервер возьмёт её при следующем запуске (make run).")
        return 1
    status, body = api.call("PUT", "/model", {"model_file": str(model)})
    if status != 204:
        print(f"Rasa не загрузила модель: HTTP {status} {body}")
        return 1
    _, after = api.call("GET", "/status")
    _, parsed = api.call("POST", "/model/parse", {"text": SMOKE_QUESTION})
    key = (((parsed or {}).get("response_selector") or {}).get("faq") or {}).get("response", {})
    old_id, new_id = (before or {}).get("model_id"), (after or {}).get("model_id")
    same = " — та же модель, что и была" if old_id == new_id else ""
    print(f"Опубликовано: {old_id} → {new_id} ({model.name}){same}.")
    print(f"Проверка: «{SMOKE_QUESTION}» → {key.get('intent_response_key')} ({float(key.get('confidence') or 0):.2f})")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Загрузить новую модель в работающий сервер Rasa (PUT /model).")
    parser.add_argument("--model", default="models/bot.tar.gz", help="файл модели (по умолчанию models/bot.tar.gz)")
    parser.add_argument("--rasa-url", default=os.environ.get("RASA_URL", "http://localhost:5005"))
    parser.add_argument("--timeout", type=float, default=300.0, help="сколько ждать загрузки модели, секунд")
    args = parser.parse_args(argv)
    model = (ROOT / args.model).resolve()
    if not model.is_file():
        print(f"Нет файла модели {model}: сначала make train.")
        return 1
    return publish(RasaApi(args.rasa_url, os.environ.get("RASA_TOKEN") or None, args.timeout), model)


if __name__ == "__main__":
    raise SystemExit(main())
