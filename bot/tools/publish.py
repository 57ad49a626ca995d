"""``make publish``: load the freshly trained model into the running Rasa server, without downtime.

Rasa's HTTP API ``PUT /model`` loads a model file and swaps it in only when it is ready: the
old model keeps answering meanwhile, and the conversations survive because they live in the
SQL tracker store (``endpoints.yml``), not in the server's memory. Once the model is in, the tool
publishes the content files (``procedure.published``: a copy under ``var/published``, swapped in
one rename) that the help page, the console's scenarios and the action server's titles and
``instruction`` marks read: all of them change at this moment, and a file saved with a slip
never reaches them (the tool names the file and line in Russian and publishes nothing). With
``--content-only`` it only publishes the content (``make run`` does it as it starts, since the
model it starts is trained from the same files). Afterwards the tool checks
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

from bot.tools.content import ROOT, ContentError, load_yaml, read_themes, scenario_key
from procedure import published as published_content

SMOKE_QUESTION = "забыл пароль"
PUBLISHED = Path("var") / "published"


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


def check_content(root: Path = ROOT) -> str | None:
    """None when every content file reads; else the editor's message (file, line, what to fix)."""
    try:
        for rel in published_content.content_files(root):
            load_yaml(root / rel, root)
    except ContentError as error:
        return str(error)
    return None


def publish_content(root: Path, published: Path) -> bool:
    """Makes the content files the published version; False (and a Russian message) when one does not read."""
    try:
        done = published_content.publish(root, published, lambda path: load_yaml(path, root))
    except ContentError as error:
        print(
            f"Содержимое не опубликовано: {error}\nСтраница помощи, консоль и бот показывают прежнюю "
            "опубликованную версию. Исправьте файл и запустите make publish ещё раз."
        )
        return False
    if done.changed:
        print(f"Страница помощи, консоль и бот теперь показывают новую версию сценариев ({done.version}).")
    else:
        print(f"Сценарии не изменились с прошлой публикации ({done.version}).")
    return True


def publish(api: RasaApi, model: Path, question: str = SMOKE_QUESTION, *, published: Path, root: Path = ROOT) -> int:
    """Loads ``model``, publishes the content and reports what runs now; 0 on success or when no bot is running.

    Nothing changes when a content file does not read: not the model, not the published content.
    """
    problem = check_content(root)
    if problem is not None:
        print(f"Ничего не опубликовано: {problem}\nБот, страница помощи и консоль работают по-прежнему.")
        return 1
    try:
        status, before = api.call("GET", "/status")
    except (urllib.error.URLError, OSError):
        print(
            f"Бот по адресу {api.url} не отвечает — похоже, он не запущен. Модель {model.name} обучена и "
            "сохранена; бот возьмёт её сам при следующем запуске (make run). Если бот работает по другому "
            "адресу, укажите его: RASA_URL=http://адрес:5005 make publish"
        )
        return 0 if publish_content(root, published) else 1
    if status in (401, 403):
        print(f"Бот по адресу {api.url} не пустил (HTTP {status}): нужен его токен — RASA_TOKEN=... make publish")
        return 1
    status, body = api.call("PUT", "/model", {"model_file": str(model)})
    if status != 204:
        print(f"Бот не загрузил модель (HTTP {status}): {body}. Старая модель продолжает отвечать.")
        return 1
    if not publish_content(root, published):
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
    parser.add_argument(
        "--published", default=str(PUBLISHED), help="куда публиковать сценарии (по умолчанию var/published)"
    )
    parser.add_argument(
        "--content-only", action="store_true", help="только опубликовать сценарии, без модели (так делает make run)"
    )
    args = parser.parse_args(argv)
    published = (ROOT / args.published).resolve()
    if args.content_only:
        publish_content(ROOT, published)
        return 0  # make run goes on: a broken file keeps the last published version, which the message says
    model = (ROOT / args.model).resolve()
    if not model.is_file():
        print(f"Нет файла модели {model}: сначала make train.")
        return 1
    api = RasaApi(args.rasa_url, os.environ.get("RASA_TOKEN") or None, args.timeout)
    return publish(api, model, args.question.strip() or SMOKE_QUESTION, published=published)


if __name__ == "__main__":
    raise SystemExit(main())
