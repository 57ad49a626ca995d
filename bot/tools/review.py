"""``make review``: the recent questions the bot did not understand, grouped for the editors.

Reads the conversations from Rasa's tracker store (SQLite ``var/rasa-tracker.sqlite3``, configured
in ``endpoints.yml``), keeps the user messages that fell to the fallback (``nlu_fallback``) or had
low confidence, and groups them by the scenario (or intent) they most likely meant. Each group
ends with a ready block for ``data/nlu/faq_*.yml``: the editor checks it, fixes the key where the
guess is wrong, and adds the examples. E-mails and phone numbers are masked: these are real
people's messages (152-ФЗ), so the report stays in ``var/`` and is not committed.

Run in the Rasa environment: ``.venv-rasa/bin/python -m bot.tools.review --days 14``.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.tools.content import ROOT, holdout_examples, normalise, read_themes, scenario_key, training_examples
from procedure import ticket_numbers

DEFAULT_DB = "var/rasa-tracker.sqlite3"
REPORT = Path("var") / "review.md"
FALLBACK = "nlu_fallback"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?:\+7|\b8)[\s(-]*\d{3}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}\b")


@dataclass(frozen=True)
class Missed:
    """One user message worth an editor's look."""

    text: str
    guess: str  # faq/<key> or an intent name
    confidence: float
    why: str  # «не понял» (fallback) or «не уверен» (low confidence)
    timestamp: float


def tracker_db(root: Path = ROOT) -> Path:
    """The SQLite file of the tracker store from ``endpoints.yml`` (or the default)."""
    try:
        config = yaml.safe_load((root / "endpoints.yml").read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError):
        config = {}
    store = config.get("tracker_store") or {}
    kind = str(store.get("type", ""))
    sqlite = str(store.get("dialect", "")).lower() == "sqlite" or kind.endswith("SQLiteTrackerStore")
    db = store.get("db") if sqlite else None
    return root / (db or DEFAULT_DB)


def mask(text: str) -> str:
    """Hides what identifies a person: e-mails, phone numbers, ticket numbers."""
    text = _EMAIL.sub("[почта]", text)
    text = _PHONE.sub("[телефон]", text)
    return ticket_numbers.IN_TEXT.sub("[номер обращения]", text)


def classify(parse: dict[str, Any], threshold: float) -> tuple[str, float, str] | None:
    """(guess, confidence, why) for a message worth reviewing, or None for a confident one."""
    intent = parse.get("intent") or {}
    name, confidence = intent.get("name"), float(intent.get("confidence") or 0.0)
    ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != FALLBACK]
    selector = (parse.get("response_selector") or {}).get("faq") or {}
    faq_response = selector.get("response") or {}
    faq_key = str(faq_response.get("intent_response_key") or "")
    faq_confidence = float(faq_response.get("confidence") or 0.0)
    if name == FALLBACK:
        top = ranking[0] if ranking else {}
        if top.get("name") == "faq" and faq_key:  # the scenario's own confidence tells more
            return faq_key, faq_confidence, "не понял"
        return str(top.get("name") or "?"), float(top.get("confidence") or confidence), "не понял"
    if name == "faq" and faq_key and (confidence < threshold or faq_confidence < threshold):
        return faq_key, min(confidence, faq_confidence), "не уверен"
    if name and not name.startswith(("screen_", "EXTERNAL_")) and confidence < threshold:
        return str(name), confidence, "не уверен"
    return None


def read_missed(db: Path, since: float, threshold: float, limit: int) -> list[Missed]:
    """User messages after ``since`` that fell to the fallback or had low confidence, newest first."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT timestamp, data FROM events WHERE type_name = 'user' AND timestamp >= ? "
            "ORDER BY timestamp DESC LIMIT ?",
            (since, limit * 20),
        ).fetchall()
    finally:
        connection.close()
    found: list[Missed] = []
    for timestamp, data in rows:
        event = json.loads(data)
        text = str(event.get("text") or "").strip()
        if not text or text.startswith("/"):  # button payloads are ours
            continue
        verdict = classify(event.get("parse_data") or {}, threshold)
        if verdict:
            found.append(Missed(mask(text), verdict[0], verdict[1], verdict[2], float(timestamp or 0.0)))
        if len(found) >= limit:
            break
    return found


def render(missed: Iterable[Missed], days: int, known: dict[str, str] | None = None) -> str:
    """Markdown: a section per likely scenario, then a block to paste into data/nlu/faq_*.yml.

    ``known`` maps normalised texts that must not be pasted to why: the held-out questions (an
    editor who tried them in the chat would otherwise train on the test) and the examples already
    there. Those are listed with the reason and left out of the block.
    """
    known = known or {}
    titles = {t.key: t.title for t in read_themes()}
    groups: dict[str, list[Missed]] = defaultdict(list)
    for item in missed:
        groups[item.guess].append(item)
    lines = [f"# Вопросы, которые бот не понял или понял неуверенно (за {days} дн.)", ""]
    if not groups:
        return "\n".join([*lines, "Таких сообщений нет.", ""])
    lines += [
        "Проверьте догадку бота: если сценарий угадан верно — добавьте вопросы в его примеры;",
        "если нет — перенесите их к правильному сценарию; если такого сценария нет — подумайте о новом.",
        "",
    ]
    for guess, items in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        key = scenario_key(guess)
        title = f" — {titles[key]}" if key in titles else ""
        counts = Counter(item.text for item in items)
        lines += [f"## {guess}{title} ({len(items)})", ""]
        for text, count in counts.most_common():
            sample = next(i for i in items if i.text == text)
            when = time.strftime("%d.%m %H:%M", time.localtime(sample.timestamp))
            repeat = f", ×{count}" if count > 1 else ""
            note = f"; {known[normalise(text)]}" if normalise(text) in known else ""
            lines.append(f"- {text}  _({sample.why}, {sample.confidence:.2f}, {when}{repeat}{note})_")
        fresh = [text for text in counts if normalise(text) not in known]
        if fresh:
            lines += ["", "```yaml", f"  - intent: {guess}", "    examples: |"]
            lines += [f"      - {text.lower()}" for text in fresh]
            lines += ["```"]
        lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Непонятые ботом вопросы из последних разговоров.")
    parser.add_argument("--days", type=int, default=14, help="за сколько дней (по умолчанию 14)")
    parser.add_argument("--threshold", type=float, default=0.7, help="ниже этой уверенности — «не уверен»")
    parser.add_argument("--limit", type=int, default=300, help="не больше стольких сообщений")
    parser.add_argument("--db", help=f"файл хранилища диалогов (по умолчанию из endpoints.yml: {DEFAULT_DB})")
    args = parser.parse_args(argv)
    db = Path(args.db) if args.db else tracker_db()
    if not db.is_file():
        print(
            f"Нет файла диалогов {db}. Он появляется, когда Rasa работает с endpoints.yml "
            "(make run) и с ботом кто-нибудь поговорил."
        )
        return 1
    missed = read_missed(db, time.time() - args.days * 86400, args.threshold, args.limit)
    known = {normalise(e.text): f"уже в примерах {e.intent}" for e in training_examples()}
    known |= {normalise(e.text): "проверочный вопрос, в примеры не добавлять" for e in holdout_examples()}
    report = render(missed, args.days, known)
    (ROOT / REPORT).parent.mkdir(parents=True, exist_ok=True)
    (ROOT / REPORT).write_text(report, encoding="utf-8")
    print(report)
    print(f"Сохранено в {REPORT} (в git не попадает: там настоящие сообщения людей).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
