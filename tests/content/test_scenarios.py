"""Checks of the scenario answers that an editor can break (docs/editors.md).

Run by `make test` in the ticketing environment; every failure says in Russian what to fix and
where. The scenario texts are read by the same loader as the help page and the staff console
(ticketing/adapters/scenarios.py), the examples the way Rasa reads them (bot/tools/content.py).
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from bot.tools.content import (
    ROOT,
    by_key,
    holdout_examples,
    normalise,
    read_themes,
    scenario_key,
    training_examples,
)
from ticketing.adapters.scenarios import load_scenarios

MIN_EXAMPLES = 15
MAX_ANSWER_CHARS = 600
# The keys are a contract: the help page's anchors, the staff console and outside checks use them.
CONTRACT_KEYS = (
    "about_project", "who_can_participate", "cost", "registration_student", "registration_parent",
    "several_children", "school_not_found", "region_participation", "forgot_password",
    "confirmation_email", "change_profile", "diagnostics_about", "diagnostics_results",
    "practical_events", "event_signup", "event_cancel", "online_participation", "certificate",
    "mentor", "deadlines", "personal_data", "regional_operator_contacts", "system_requirements",
    "test_not_loading", "video_not_playing",
)
HINT = "Как исправить — docs/editors.md."


@pytest.fixture(scope="module")
def examples():
    return training_examples()


@pytest.fixture(scope="module")
def answers() -> dict[str, str]:
    return {s.key: s.text for s in load_scenarios(ROOT)}


@pytest.fixture(scope="module")
def themes():
    return read_themes()


def report(title: str, problems: list[str]) -> str:
    return f"{title}:\n" + "\n".join(f"  • {p}" for p in problems) + f"\n{HINT}"


def test_contract_keys_are_all_there(examples, answers):
    keys = set(by_key(examples)) | set(answers)
    missing = [key for key in CONTRACT_KEYS if key not in keys]
    assert not missing, report(
        "Пропали сценарии из согласованного перечня (их ключи используют страница помощи и внешние проверки; "
        "ключ нельзя удалять или переименовывать)",
        missing,
    )


def test_every_scenario_has_an_answer(examples, answers, themes):
    keys = set(by_key(examples)) | {t.key for t in themes} | set(CONTRACT_KEYS)
    missing = [
        f"{key}: нет ответа utter_faq/{key} — добавьте его в раздел responses: файла data/nlu/faq_*.yml"
        for key in sorted(keys)
        if not answers.get(key, "").strip()
    ]
    assert not missing, report("У сценариев нет текста ответа", missing)


def test_every_answer_has_examples_and_a_theme(examples, answers, themes):
    grouped = by_key(examples)
    in_themes = {t.key for t in themes}
    problems = [f"{key}: есть ответ, но нет примеров вопросов faq/{key}" for key in answers if key not in grouped]
    problems += [
        f"{key}: нет в content/faq_themes.yml — добавьте ключ с заголовком в подходящую тему"
        for key in sorted(set(answers) | set(grouped))
        if key not in in_themes
    ]
    problems += [f"{t.key}: в content/faq_themes.yml нет заголовка (title)" for t in themes if not t.title.strip()]
    keys = [t.key for t in themes]
    problems += [f"{key}: указан в content/faq_themes.yml дважды" for key in sorted(set(keys)) if keys.count(key) > 1]
    assert not problems, report("Сценарий собран не полностью", problems)


def test_enough_examples_per_scenario(examples):
    grouped = by_key(examples)
    few = [
        f"{key}: {len(items)} примеров, нужно не меньше {MIN_EXAMPLES} (файл {items[0].path})"
        for key, items in sorted(grouped.items())
        if len(items) < MIN_EXAMPLES
    ]
    assert not few, report("Мало примеров вопросов — бот будет путать эти сценарии", few)


def test_no_example_belongs_to_two_intents(examples):
    owners: dict[str, set[str]] = defaultdict(set)
    where: dict[str, list[str]] = defaultdict(list)
    for example in examples:
        text = normalise(example.text)
        owners[text].add(example.intent)
        where[text].append(f"{example.intent} ({example.path})")
    shared = [
        f"«{text}» — {', '.join(sorted(set(where[text])))}" for text, intents in owners.items() if len(intents) > 1
    ]
    assert not shared, report(
        "Один и тот же пример записан у разных сценариев или намерений — бот не сможет выбрать; "
        "оставьте его только там, где он правильный",
        sorted(shared),
    )


def test_answers_are_short_enough(answers):
    long = [
        f"{key}: {len(text)} знаков, можно не больше {MAX_ANSWER_CHARS}"
        for key, text in sorted(answers.items())
        if len(text) > MAX_ANSWER_CHARS
    ]
    assert not long, report("Слишком длинные ответы — на телефоне их не дочитают; сократите", long)


def test_held_out_questions_are_not_trained_on(examples):
    trained = {normalise(e.text) for e in examples}
    known = set(by_key(examples))
    held_out = holdout_examples()
    assert held_out, "Нет проверочного набора tests/content/faq_holdout.yml."
    problems = [
        f"«{e.text}» ({e.intent}) есть и в обучающих примерах — проверка станет нечестной, перефразируйте"
        for e in held_out
        if normalise(e.text) in trained
    ]
    problems += [
        f"«{e.text}»: сценария {e.intent} нет" for e in held_out if scenario_key(e.intent) not in known
    ]
    assert not problems, report("Проверочный набор tests/content/faq_holdout.yml", problems)
