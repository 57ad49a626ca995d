"""``make ask QUESTION="…"``: ask the running bot one question and print its answer as a pupil reads it.

For content editors: ``curl`` to the REST channel prints the answer as ``\\u0420…`` escapes and its
buttons as JSON. This prints the bot's messages in plain Russian, each button as «[кнопка] …», and
what the bot made of the question (the same words as ``make publish``). Every run is a new
conversation, so an earlier question does not change the answer.

Run in the Rasa environment: ``.venv-rasa/bin/python -m bot.tools.ask "вопрос"``; ``RASA_URL`` says
where the bot is (``make run``'s ``RASA_PORT``), ``RASA_TOKEN`` is needed only for the parse line.
"""

from __future__ import annotations

import argparse
import os
import secrets
import urllib.error
from collections.abc import Sequence
from typing import Any

from bot.tools.publish import RasaApi, describe


def render(messages: list[dict[str, Any]]) -> list[str]:
    """The bot's messages as lines: texts as they are, buttons and images after them."""
    lines: list[str] = []
    for message in messages:
        if message.get("text"):
            lines.append(str(message["text"]))
        lines.extend(f"[кнопка] {button.get('title', '')}" for button in message.get("buttons") or [])
        if message.get("image"):
            lines.append(f"[картинка] {message['image']}")
    return lines


def ask(api: RasaApi, question: str) -> int:
    sender = f"редактор-{secrets.token_hex(4)}"
    try:
        status, messages = api.call("POST", "/webhooks/rest/webhook", {"sender": sender, "message": question})
    except (urllib.error.URLError, OSError):
        print(
            f"Бот по адресу {api.url} не отвечает — похоже, он не запущен. Запустите его в другом окне "
            "(make run) и спросите снова; если он на другом порту: RASA_URL=http://localhost:ПОРТ make ask …"
        )
        return 1
    if status != 200 or not isinstance(messages, list):
        print(f"Бот ответил ошибкой (HTTP {status}): {messages}")
        return 1
    print(f"Вы: {question}")
    for line in render(messages) or ["(бот ничего не ответил)"]:
        print(f"Бот: {line}")
    _, parsed = api.call("POST", "/model/parse", {"text": question})
    if isinstance(parsed, dict) and "intent" in parsed:
        print("Как понял: " + describe(question, parsed))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Спросить работающего бота и увидеть ответ, как его видит школьник.")
    parser.add_argument("question", nargs="?", default="", help="вопрос, как его написал бы школьник")
    parser.add_argument("--rasa-url", default=os.environ.get("RASA_URL", "http://localhost:5005"))
    args = parser.parse_args(argv)
    if not args.question.strip():
        print('Напишите вопрос: make ask QUESTION="дают ли баллы за олимпиаду"')
        return 2
    return ask(RasaApi(args.rasa_url, os.environ.get("RASA_TOKEN") or None, 30.0), args.question.strip())


if __name__ == "__main__":
    raise SystemExit(main())
