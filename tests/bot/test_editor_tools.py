"""The editors' tools (bot/tools): reading content, reviewing conversations, the quality report."""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

from bot.tools import nlu_report, review
from bot.tools.content import ROOT, normalise, plain_text, read_nlu_file, scenario_key


def test_examples_are_compared_as_a_person_would() -> None:
    assert plain_text("моя почта [kot@bk.ru](email)") == "моя почта kot@bk.ru"
    assert normalise("Забыла пароль, что делать?!") == normalise("забыла  пароль что делать")
    assert normalise("Ёлка") == normalise("елка")
    assert normalise("+") == "+"
    assert scenario_key("faq/cost") == "cost" and scenario_key("open_appeal") is None


def test_nlu_file_reading(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_text(
        'version: "3.1"\nnlu:\n  - intent: faq/cost\n    examples: |\n      - это платно?\n      - сколько стоит\n'
        "  - regex: n\n    examples: |\n      - \\d+\n",
        encoding="utf-8",
    )
    assert [(e.intent, e.text) for e in read_nlu_file(path, tmp_path)] == [
        ("faq/cost", "это платно?"), ("faq/cost", "сколько стоит")
    ]


def test_review_masks_personal_data() -> None:
    text = review.mask("мой адрес Ivan.P@mail.ru тел +7 (912) 345-67-89 обращение БВБ-000123")
    assert text == "мой адрес [почта] тел [телефон] обращение [номер обращения]"


def _store(tmp_path: Path, messages: list[dict[str, Any]]) -> Path:
    db = tmp_path / "rasa.sqlite3"
    connection = sqlite3.connect(db)
    connection.execute(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id TEXT, type_name TEXT, timestamp REAL,"
        " intent_name TEXT, action_name TEXT, data TEXT)"
    )
    now = time.time()
    for i, parse in enumerate(messages):
        event = {"event": "user", "text": parse.pop("text"), "timestamp": now - i, "parse_data": parse}
        connection.execute(
            "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (?, 'user', ?, ?)",
            ("u", now - i, json.dumps(event, ensure_ascii=False)),
        )
    connection.execute(
        "INSERT INTO events (sender_id, type_name, timestamp, data) VALUES ('u', 'bot', ?, '{}')", (now,)
    )
    connection.commit()
    connection.close()
    return db


def _parse(
    text: str, intent: str, confidence: float, key: str | None = None, key_confidence: float = 0.9
) -> dict[str, Any]:
    ranking = [{"name": intent, "confidence": confidence}]
    if intent == "nlu_fallback":
        ranking.append({"name": "faq", "confidence": 0.4})
    selector = {"faq": {"response": {"intent_response_key": f"faq/{key}", "confidence": key_confidence}}} if key else {}
    return {"text": text, "intent": {"name": intent, "confidence": confidence}, "intent_ranking": ranking,
            "response_selector": selector}


def test_review_groups_the_missed_messages_by_the_likely_scenario(tmp_path: Path) -> None:
    db = _store(
        tmp_path,
        [
            _parse("не пускает в лк пишет что-то", "nlu_fallback", 0.4, "forgot_password", 0.5),
            _parse("не пускает в лк пишет что-то", "nlu_fallback", 0.4, "forgot_password", 0.5),
            _parse("пароль забыла", "faq", 0.99, "forgot_password", 0.98),  # confident: not listed
            _parse("сколько это стоит вообще", "faq", 0.9, "cost", 0.55),
            _parse("/affirm", "affirm", 1.0),  # a button
            _parse("хочу оставить обращение", "open_appeal", 0.99),
        ],
    )
    missed = review.read_missed(db, since=0, threshold=0.7, limit=100)
    assert [(m.guess, m.why) for m in missed] == [
        ("faq/forgot_password", "не понял"),
        ("faq/forgot_password", "не понял"),
        ("faq/cost", "не уверен"),
    ]
    report = review.render(missed, days=14)
    assert "## faq/forgot_password — Забыли пароль или не получается войти (2)" in report
    assert "×2" in report and "      - не пускает в лк пишет что-то" in report
    assert "  - intent: faq/cost" in report


def test_review_keeps_held_out_questions_out_of_the_examples_block(tmp_path: Path) -> None:
    db = _store(tmp_path, [_parse("А поддержка в выходные?", "nlu_fallback", 0.4, "cost", 0.3)])
    missed = review.read_missed(db, since=0, threshold=0.7, limit=100)
    report = review.render(missed, days=14, known={normalise("а поддержка в выходные"): "проверочный вопрос"})
    assert "- А поддержка в выходные?  _(не понял, 0.30" in report and "проверочный вопрос)_" in report
    assert "```yaml" not in report


def test_quality_report_lists_the_weakest_keys_and_the_confused_pairs(tmp_path: Path) -> None:
    cv = tmp_path / nlu_report.CV_DIR
    cv.mkdir()
    responses = {
        "faq/cost": {"precision": 1.0, "recall": 0.9, "f1-score": 0.95, "support": 20,
                     "confused_with": {"faq/certificate": 2}},
        "faq/certificate": {"precision": 0.9, "recall": 1.0, "f1-score": 0.947, "support": 18, "confused_with": {}},
        "accuracy": 0.95, "macro avg": {"precision": 0.95, "recall": 0.95, "f1-score": 0.948, "support": 38},
    }
    intents = {
        "faq": {
            "precision": 0.99, "recall": 0.99, "f1-score": 0.99, "support": 400, "confused_with": {"open_appeal": 3}
        },
        "accuracy": 0.97, "weighted avg": {"f1-score": 0.968}, "macro avg": {"f1-score": 0.95},
    }
    (cv / "response_selection_report.json").write_text(json.dumps(responses), encoding="utf-8")
    (cv / "intent_report.json").write_text(json.dumps(intents), encoding="utf-8")
    holdout = {"total": 10, "top1": 0.9, "answered_directly": 0.8, "suggested_among_buttons": 0.1,
               "wrong_answer": 0.1, "mistakes": [{"text": "а грамота", "expected": "certificate",
                                                   "predicted": "cost", "confidence": 0.4, "intent": "nlu_fallback"}]}
    text = nlu_report.render(tmp_path, {"tests/content/faq_holdout.yml": holdout}, cv_seconds=600)
    assert "| верный сценарий на первом месте (top-1) | 90.0 % |" in text
    assert text.index("| certificate |") < text.index("| cost |")  # weakest F1 first
    assert "- cost → certificate: 2" in text
    assert "взвешенный F1: **0.968**" in text
    assert "| а грамота | certificate | cost (0.40) | nlu_fallback |" in text


def _result(text: str, expected: str, predicted: str | None, intent: str, suggested: list[str]) -> dict[str, Any]:
    scenario = expected if expected not in {"open_appeal", "out_of_scope"} else None
    return {"text": text, "expected_intent": "faq" if scenario else expected, "expected": scenario,
            "predicted": predicted, "confidence": 0.4, "intent": intent, "top3": suggested, "suggested": suggested}


def test_both_held_out_sets_are_reported_side_by_side_with_the_four_measures(tmp_path: Path) -> None:
    blind = nlu_report.score([
        _result("забыл пороль", "forgot_password", "forgot_password", "faq", []),
        _result("ЧТО ЗА ПРОЕКТ", "about_project", "cost", "faq", []),  # confidently wrong
        _result("скок стоит", "cost", "cost", "nlu_fallback", ["cost", "certificate"]),  # right among the buttons
        _result("kto takoy navigator", "mentor", "deadlines", "nlu_fallback", ["deadlines", "cost"]),
        _result("хочу написать жалобу", "open_appeal", "cost", "open_appeal", []),
        _result("какая погода", "out_of_scope", "cost", "faq", []),  # answered with a scenario
    ])
    assert (blind["total"], blind["answered_directly"], blind["top1"], blind["wrong_count"]) == (4, 0.25, 0.5, 1)
    assert blind["suggested_of_rest"] == 1 / 3
    assert (blind["others_total"], blind["others_right"], blind["others_as_scenario"]) == (2, 1, 1)
    missed = ["ЧТО ЗА ПРОЕКТ", "скок стоит", "kto takoy navigator", "какая погода"]
    assert [m["text"] for m in blind["mistakes"]] == missed
    own = nlu_report.score([_result("забыл пароль", "forgot_password", "forgot_password", "faq", [])])
    text = nlu_report.render(tmp_path, {"faq_holdout.yml": own, "faq_holdout_independent.yml": blind}, None)
    assert "| | faq_holdout.yml | faq_holdout_independent.yml |" in text
    assert "| **бот сразу отвечает верно** | **100.0 %** | **25.0 %** |" in text
    assert "| уверенно отвечает не на тот вопрос | 0 (0.0 %) | 1 (25.0 %) |" in text
    assert "«Возможно, вы имели в виду…» | 100.0 % | 33.3 % |" in text
    assert "| — | 1 из 2 / 1 |" in text
    assert "| какая погода | out_of_scope | cost (0.40) | faq |" in text


class _FakeRasa:
    """A local HTTP server answering like Rasa's /status, PUT /model and /model/parse."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, HTTPServer

        state: dict[str, Any] = {"model_id": "old", "requests": []}
        self.state = state

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _json(self, code: int, body) -> None:
                raw = json.dumps(body).encode() if body is not None else b""
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self) -> None:
                state["requests"].append(("GET", self.path))
                self._json(200, {"model_id": state["model_id"], "model_file": "bot.tar.gz"})

            def do_PUT(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                state["requests"].append(("PUT", self.path, body))
                state["model_id"] = "new"
                self.send_response(204)
                self.end_headers()

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                state["requests"].append(("POST", self.path, body))
                if self.path.startswith("/webhooks/rest/webhook"):
                    buttons = [{"title": "Да, помогло", "payload": "/affirm"}]
                    self._json(200, [{"text": "Откройте «Забыли пароль?»"}, {"text": "Помогло?", "buttons": buttons}])
                    return
                selector = {"faq": {"response": {"intent_response_key": "faq/forgot_password", "confidence": 0.97}}}
                self._json(200, {"intent": {"name": "faq"}, "response_selector": selector})

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def test_publish_loads_the_model_into_the_running_server(tmp_path: Path, capsys) -> None:
    from bot.tools import publish

    rasa = _FakeRasa()
    try:
        model = tmp_path / "bot.tar.gz"
        model.write_bytes(b"model")
        assert publish.publish(publish.RasaApi(rasa.url, "secret", 5.0), model, published=tmp_path / "pub") == 0
    finally:
        rasa.server.shutdown()
    put = next(r for r in rasa.state["requests"] if r[0] == "PUT")
    assert put[1] == "/model?token=secret" and put[2] == {"model_file": str(model)}
    out = capsys.readouterr().out
    assert "old → new" in out and "бот сразу отвечает сценарием forgot_password" in out
    current = tmp_path / "pub" / "current"
    assert (current / "content" / "faq_themes.yml").read_bytes() == (ROOT / "content" / "faq_themes.yml").read_bytes()
    assert "показывают новую версию сценариев" in out


def _project_copy(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "content").mkdir(parents=True)
    for rel in ("domain.yml", "content/faq_themes.yml", "data"):
        source = ROOT / rel
        (shutil.copytree if source.is_dir() else shutil.copyfile)(source, root / rel)
    return root


def test_publish_of_a_broken_file_changes_nothing_and_names_the_file(tmp_path: Path, capsys) -> None:
    """Issue 14: a YAML slip never reaches the public; the model is not loaded, the last version stays."""
    from bot.tools import publish

    root, pub = _project_copy(tmp_path), tmp_path / "pub"
    assert publish.publish_content(root, pub)
    before = (pub / "current").resolve()
    faq = root / "data" / "nlu" / "faq_access.yml"
    faq.write_text(faq.read_text(encoding="utf-8") + '  - text: "кавычка не закрыта\n', encoding="utf-8")
    rasa = _FakeRasa()
    try:
        code = publish.publish(publish.RasaApi(rasa.url, None, 5.0), tmp_path / "m.tar.gz", root=root, published=pub)
    finally:
        rasa.server.shutdown()
    assert code == 1 and not [r for r in rasa.state["requests"] if r[0] == "PUT"]
    assert (pub / "current").resolve() == before
    out = capsys.readouterr().out
    assert "Ничего не опубликовано" in out and "data/nlu/faq_access.yml, строка" in out
    assert not publish.publish_content(root, pub)  # make run's way: it says so and goes on with the last version
    assert (pub / "current").resolve() == before
    assert "показывают прежнюю опубликованную версию" in capsys.readouterr().out


def test_publishing_the_same_files_again_keeps_the_version(tmp_path: Path, capsys) -> None:
    from bot.tools import publish

    root, pub = _project_copy(tmp_path), tmp_path / "pub"
    assert publish.publish_content(root, pub) and publish.publish_content(root, pub)
    assert "не изменились" in capsys.readouterr().out.splitlines()[-1]


def test_publish_without_a_running_server_says_what_happens(tmp_path: Path, capsys) -> None:
    """docs/editors.md: a bot that is not running takes the model at its next start; not an error."""
    from bot.tools import publish

    api = publish.RasaApi("http://127.0.0.1:9", None, 2.0)
    assert publish.publish(api, tmp_path / "bot.tar.gz", published=tmp_path / "pub") == 0
    out = capsys.readouterr().out
    assert "не запущен" in out and "при следующем запуске (make run)" in out and "http://127.0.0.1:9" in out
    assert (tmp_path / "pub" / "current" / "domain.yml").is_file()


def test_ask_prints_the_answer_as_a_pupil_reads_it_in_a_new_conversation(capsys) -> None:
    """docs/editors.md «Спросить бота»: plain Russian lines, not curl's \\u escapes and JSON."""
    from bot.tools import ask, publish

    rasa = _FakeRasa()
    try:
        api = publish.RasaApi(rasa.url, None, 5.0)
        assert ask.ask(api, "забыл пароль") == 0
        assert ask.ask(api, "забыл пароль") == 0
    finally:
        rasa.server.shutdown()
    out = capsys.readouterr().out
    assert "Вы: забыл пароль\nБот: Откройте «Забыли пароль?»\nБот: Помогло?\nБот: [кнопка] Да, помогло\n" in out
    assert "Как понял: «забыл пароль» → бот сразу отвечает сценарием forgot_password" in out
    senders = [r[2]["sender"] for r in rasa.state["requests"] if r[1] == "/webhooks/rest/webhook"]
    assert len(set(senders)) == 2 and all(s.startswith("редактор-") for s in senders)


def test_ask_without_a_running_bot_says_how_to_start_it(capsys) -> None:
    from bot.tools import ask, publish

    assert ask.ask(publish.RasaApi("http://127.0.0.1:9", None, 2.0), "привет") == 1
    assert "не запущен" in capsys.readouterr().out


def test_publish_says_what_the_bot_does_with_the_editors_question() -> None:
    from bot.tools.publish import describe

    def parsed(intent: str, key: str, confidence: float) -> dict[str, Any]:
        response = {"intent_response_key": f"faq/{key}", "confidence": confidence}
        return {"intent": {"name": intent}, "response_selector": {"faq": {"response": response}}}

    assert describe("забыл пароль", parsed("faq", "forgot_password", 0.97)) == (
        "«забыл пароль» → бот сразу отвечает сценарием forgot_password "
        "«Забыли пароль или не получается войти» (0.97)"
    )
    assert "не уверен и спросит «Возможно, вы имели в виду…»; первая кнопка — cost" in describe(
        "а платно?", parsed("nlu_fallback", "cost", 0.31)
    )
    assert "намерение open_appeal" in describe("хочу жалобу", parsed("open_appeal", "cost", 0.2))


def test_a_yaml_slip_is_named_in_russian_with_file_line_and_what_to_do(tmp_path: Path, capsys) -> None:
    """make validate's first step: not Rasa's English and its outside website (yamlchecker.com)."""
    from bot.tools import content

    root = _project_copy(tmp_path)
    assert content.unreadable(root) == []
    faq = root / "data" / "nlu" / "faq_contacts.yml"
    lines = faq.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index("responses:\n") + 1
    lines[at:at] = ["  utter_faq/support_hours_new:\n", "    - text: Часы работы: круглосуточно\n"]
    faq.write_text("".join(lines), encoding="utf-8")
    (problem,) = content.unreadable(root)
    assert problem == (
        f"data/nlu/faq_contacts.yml, строка {at + 2}: файл не читается — двоеточие с пробелом внутри текста без "
        "кавычек — возьмите текст в двойные кавычки. Строка: «- text: Часы работы: круглосуточно»."
    )
    themes = root / "content" / "faq_themes.yml"
    themes.write_text(themes.read_text(encoding="utf-8") + '      - key: x\n        title: "Кавычка\n', "utf-8")
    problems = content.unreadable(root)
    assert any(p.startswith("content/faq_themes.yml, строка") and "кавычка открыта" in p for p in problems)
