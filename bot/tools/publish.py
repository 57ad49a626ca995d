"""``make publish``: load the freshly trained model into the running Rasa server, without downtime.

Rasa's HTTP API ``PUT /model`` loads a model file and swaps it in only when it is ready: the
old model keeps answering meanwhile, and the conversations survive because they live in the
SQL tracker store (``endpoints.yml``), not in the server's memory. The help page and the action
server need nothing: they re-read the files when they change. Afterwards the tool checks
``/status`` and asks one question (``--question``, ``make publish QUESTION=...``) through
``/model/parse``, and says what the bot would do with it: answer, ask «Возможно, вы имели в
виду…», or treat it as another intent. No bot running is not an error: the next start loads
the new model.

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

from bot.tools.content import ROOT, read_themes, scenario_key

SMOKE_QUESTION = "забыл пароль"


class RasaApi:
    """The few calls of Rasa's HTTP API the tool needs (stdlib only)."""

    def __init__(self, url: str, token: str | None, timeout: float) -> None:
        self.url = url.rstrip("/")
        self._token = token
        self._timeout = timeout

    def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> tuple[int, Any]:
        query = f"?{urllib.parse.urlencode({'token': self._token})}" if self._token else ""
        data = json.dumps(body, ensure_ascii=False).encode("utf-8") if body is not None else None
        request = urllib.request.Request(
            self.url + path + query, data=data, method=method, headers={"Content-Type": "application/json"}
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


def describe(question: str, parsed: dict[str, Any] | None) -> str:
    """What the bot does with ``question`` now, in the words of docs/editors.md."""
    parsed = parsed or {}
    intent = str((parsed.get("intent") or {}).get("name") or "")
    response = ((parsed.get("response_selector") or {}).get("faq") or {}).get("response") or {}
    key = scenario_key(str(response.get("intent_response_key") or ""))
    titles = {t.key: t.title for t in read_themes()}
    scenario = f"{key} «{titles.get(key, key)}» ({float(response.get('confidence') or 0):.2f})" if key else "—"
    if intent == "faq":
        return f"«{question}» → бот сразу отвечает сценарием {scenario}"
    if intent == "nlu_fallback":
        return f"«{question}» → бот не уверен и спросит «Возможно, вы имели в виду…»; первая кнопка — {scenario}"
    return f"«{question}» → это не вопрос к сценариям, а намерение {intent or '—'} (сценарий был бы {scenario})"


def publish(api: RasaApi, model: Path, question: str = SMOKE_QUESTION) -> int:
    """Loads ``model`` and reports what the server runs now; 0 on success or when no bot is running."""
    try:
        status, before = api.call("GET", "/status")
    except (urllib.error.URLError, OSError):
        print(
            f"Бот по адресу {api.url} не отвечает — похоже, он не запущен. Модель {model.name} обучена и "
            "сохранена; бот возьмёт её сам при следующем запуске (make run). Если бот работает по другому "
            "адресу, укажите его: RASA_URL=http://адрес:5005 make publish"
        )
        return 0
    if status in (401, 403):
        print(f"Бот по адресу {api.url} не пустил (HTTP {status}): нужен его токен — RASA_TOKEN=... make publish")
        return 1
    status, body = api.call("PUT", "/model", {"model_file": str(model)})
    if status != 204:
        print(f"Бот не загрузил модель (HTTP {status}): {body}. Старая модель продолжает отвечать.")
        return 1
    _, after = api.call("GET", "/status")
    _, parsed = api.call("POST", "/model/parse", {"text": question})
    old_id, new_id = (before or {}).get("model_id"), (after or {}).get("model_id")
    same = " — та же модель, что и была" if old_id == new_id else ""
    print(f"Опубликовано: {old_id} → {new_id} ({model.name}){same}.")
    print("Проверка: " + describe(question, parsed))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Загрузить новую модель в работающий сервер Rasa (PUT /model).")
    parser.add_argument("--model", default="models/bot.tar.gz", help="файл модели (по умолчанию models/bot.tar.gz)")
    parser.add_argument("--rasa-url", default=os.environ.get("RASA_URL", "http://localhost:5005"))
    parser.add_argument("--timeout", type=float, default=300.0, help="сколько ждать загрузки модели, секунд")
    parser.add_argument("--question", default=SMOKE_QUESTION, help="вопрос для проверки после загрузки")
    args = parser.parse_args(argv)
    model = (ROOT / args.model).resolve()
    if not model.is_file():
        print(f"Нет файла модели {model}: сначала make train.")
        return 1
    api = RasaApi(args.rasa_url, os.environ.get("RASA_TOKEN") or None, args.timeout)
    return publish(api, model, args.question.strip() or SMOKE_QUESTION)


if __name__ == "__main__":
    raise SystemExit(main())
