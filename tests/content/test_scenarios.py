"""Checks of the scenario answers that an editor can break (docs/editors.md).

Run by `make test` in the ticketing environment; every failure says in Russian what to fix and
where. The scenario texts are read by the same loader as the help page and the staff console
(ticketing/adapters/scenarios.py), the examples the way Rasa reads them (bot/tools/content.py).
Each check is a function of the content, so the last test can run them all on a copy of the
project with a 26th scenario added the way docs/editors.md says.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.tools.content import (
    HOLDOUT,
    HOLDOUT_INDEPENDENT,
    HOLDOUT_SETS,
    ROOT,
    THEMES,
    ContentError,
    Example,
    by_key,
    holdout_examples,
    load_yaml,
    normalise,
    read_themes,
    scenario_key,
    training_examples,
)
from procedure.faq_themes import ThemeEntry
from ticketing.adapters.scenarios import load_help, load_scenarios

MIN_EXAMPLES = 15
MIN_HELD_OUT = 3
MAX_ANSWER_CHARS = 600
KEY = re.compile(r"[a-z][a-z0-9_]*")
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


@dataclass(frozen=True)
class Content:
    """Everything the checks look at, read from one copy of the project."""

    root: Path
    examples: list[Example]
    answers: dict[str, str]
    themes: list[ThemeEntry]
    held_out: list[Example]


def read_content(root: Path) -> Content:
    return Content(
        root,
        training_examples(root),
        {s.key: s.text for s in load_scenarios(root)},
        read_themes(root),
        holdout_examples(root),
    )


def report(title: str, problems: list[str]) -> str:
    return f"{title}:\n" + "\n".join(f"  • {p}" for p in problems) + f"\n{HINT}"


def expect_none(title: str, problems: list[str]) -> None:
    """Fails with the Russian list only: an editor reads it, a Python traceback would hide it."""
    if problems:
        pytest.fail(report(title, problems), pytrace=False)


# --- the checks: each returns what is wrong, in Russian, with the file to open --------------


def unreadable_files(root: Path) -> list[str]:
    holdouts = [root / path for path in HOLDOUT_SETS]
    paths = [root / "domain.yml", root / THEMES, *holdouts, *sorted((root / "data").rglob("*.yml"))]
    problems = []
    for path in paths:
        try:
            if path.is_file():
                load_yaml(path, root)
        except ContentError as error:
            problems.append(str(error))
    return problems


def missing_contract_keys(c: Content) -> list[str]:
    keys = set(by_key(c.examples)) | set(c.answers)
    return [key for key in CONTRACT_KEYS if key not in keys]


def keys_without_answer(c: Content) -> list[str]:
    keys = set(by_key(c.examples)) | {t.key for t in c.themes} | set(CONTRACT_KEYS)
    return [
        f"{key}: нет ответа utter_faq/{key} — добавьте его в раздел responses: файла data/nlu/faq_*.yml"
        for key in sorted(keys)
        if not c.answers.get(key, "").strip()
    ]


def incomplete_scenarios(c: Content) -> list[str]:
    grouped = by_key(c.examples)
    in_themes = {t.key for t in c.themes}
    problems = [f"{key}: есть ответ, но нет примеров вопросов faq/{key}" for key in c.answers if key not in grouped]
    problems += [
        f"{key}: нет в content/faq_themes.yml — добавьте ключ с заголовком в подходящую тему"
        for key in sorted(set(c.answers) | set(grouped))
        if key not in in_themes
    ]
    problems += [f"{t.key}: в content/faq_themes.yml нет заголовка (title)" for t in c.themes if not t.title.strip()]
    keys = [t.key for t in c.themes]
    problems += [f"{key}: указан в content/faq_themes.yml дважды" for key in sorted(set(keys)) if keys.count(key) > 1]
    return problems


def badly_named_keys(c: Content) -> list[str]:
    keys = set(by_key(c.examples)) | set(c.answers) | {t.key for t in c.themes}
    return [
        f"«{key}»: ключ пишется маленькими латинскими буквами, цифрами и «_», без пробелов (например olympiad_points)"
        for key in sorted(keys)
        if not KEY.fullmatch(key)
    ]


def unclear_instruction_marks(root: Path) -> list[str]:
    data = load_yaml(root / THEMES, root) or {}
    return [
        f"{question.get('key')}: instruction: {question['instruction']!r} — пишите instruction: true "
        "(или уберите строку)"
        for theme in data.get("themes") or []
        for question in theme.get("questions") or []
        if isinstance(question, dict) and "instruction" in question and not isinstance(question["instruction"], bool)
    ]


# «Как записаться на мероприятие:\n1) …», «Если тест не загружается:\n1) …»: a standard instruction
# (§5.3), after which the bot asks «Помогло?» (§5.4) — only if the themes file marks it so.
STEPS = re.compile(r"^(Как|Если)\b[^\n]*:\s*\n\s*1\)")


def unmarked_instructions(c: Content) -> list[str]:
    marked = {t.key for t in c.themes if t.instruction}
    return [
        f"{key}: ответ написан шагами, а после инструкции бот спрашивает «Помогло?» — добавьте "
        f"instruction: true к ключу в {THEMES}"
        for key, text in sorted(c.answers.items())
        if STEPS.match(text) and key not in marked
    ]


def too_few_examples(c: Content) -> list[str]:
    return [
        f"{key}: {len(items)} примеров, нужно не меньше {MIN_EXAMPLES} (файл {items[0].path})"
        for key, items in sorted(by_key(c.examples).items())
        if len(items) < MIN_EXAMPLES
    ]


def shared_examples(c: Content) -> list[str]:
    owners: dict[str, set[str]] = defaultdict(set)
    where: dict[str, list[str]] = defaultdict(list)
    for example in c.examples:
        text = normalise(example.text)
        owners[text].add(example.intent)
        where[text].append(f"{example.intent} ({example.path})")
    return sorted(
        f"«{text}» — {', '.join(sorted(set(where[text])))}" for text, intents in owners.items() if len(intents) > 1
    )


def long_answers(c: Content) -> list[str]:
    return [
        f"{key}: {len(text)} знаков, можно не больше {MAX_ANSWER_CHARS}"
        for key, text in sorted(c.answers.items())
        if len(text) > MAX_ANSWER_CHARS
    ]


def held_out_problems(c: Content) -> list[str]:
    trained = {normalise(e.text) for e in c.examples}
    known = set(by_key(c.examples))
    problems = [
        f"{e.path}: «{e.text}» ({e.intent}) есть и в обучающих примерах — проверка станет нечестной, перефразируйте"
        for e in c.held_out
        if normalise(e.text) in trained
    ]
    intents = {e.intent for e in c.examples if not scenario_key(e.intent)}
    problems += [
        f"{e.path}: «{e.text}»: сценария или намерения {e.intent} нет"
        for e in c.held_out
        if scenario_key(e.intent) not in known and e.intent not in intents
    ]
    counts = Counter(scenario_key(e.intent) for e in c.held_out)
    problems += [
        f"{key}: проверочных вопросов {counts[key]}, нужно не меньше {MIN_HELD_OUT} — без них не видно, "
        "узнаёт ли бот сценарий"
        for key in sorted(known)
        if counts[key] < MIN_HELD_OUT
    ]
    return problems


# --- the project's own content ----------------------------------------------------------------


UNREADABLE = "сначала исправьте файлы, которые не читаются (test_every_content_file_reads)"


@pytest.fixture(scope="module")
def content() -> Content:
    try:
        return read_content(ROOT)
    except ContentError:
        pytest.skip(UNREADABLE)


def test_every_content_file_reads():
    expect_none("Файлы, которые не читаются (остальные проверки их не видят)", unreadable_files(ROOT))


def test_contract_keys_are_all_there(content):
    expect_none(
        "Пропали сценарии из согласованного перечня (их ключи используют страница помощи и внешние проверки; "
        "ключ нельзя удалять или переименовывать)",
        missing_contract_keys(content),
    )


def test_every_scenario_has_an_answer(content):
    expect_none("У сценариев нет текста ответа", keys_without_answer(content))


def test_every_answer_has_examples_and_a_theme(content):
    expect_none("Сценарий собран не полностью", incomplete_scenarios(content) + unclear_instruction_marks(content.root))


def test_every_answer_written_as_steps_asks_whether_it_helped(content):
    expect_none("Инструкция без «Помогло?»", unmarked_instructions(content))


def test_keys_are_written_in_latin_letters(content):
    expect_none("Ключ сценария записан неправильно (он становится адресом /help#ключ)", badly_named_keys(content))


def test_enough_examples_per_scenario(content):
    expect_none("Мало примеров вопросов — бот будет путать эти сценарии", too_few_examples(content))


def test_no_example_belongs_to_two_intents(content):
    expect_none(
        "Один и тот же пример записан у разных сценариев или намерений — бот не сможет выбрать; "
        "оставьте его только там, где он правильный",
        shared_examples(content),
    )


def test_answers_are_short_enough(content):
    expect_none("Слишком длинные ответы — на телефоне их не дочитают; сократите", long_answers(content))


def test_held_out_questions_are_not_trained_on(content):
    missing = [f"нет файла {p}" for p in HOLDOUT_SETS if not (content.root / p).is_file()]
    expect_none("Проверочные наборы", missing)
    expect_none("Проверочные наборы (" + ", ".join(map(str, HOLDOUT_SETS)) + ")", held_out_problems(content))


# --- docs/editors.md, «Добавить сценарий: по шагам», on a copy of the project ------------------

# Made-up content: it must never meet a real scenario that an editor is adding at the same time.
NEW_KEY = "editors_guide_trial"
NEW_ANSWER = f"""  utter_faq/{NEW_KEY}:
    - text: "Пробный ответ: шаги памятки для редакторов. Подробнее — https://bilet.worldskills.ru"
"""
NEW_EXAMPLES = [f"пробный вопрос из памятки для редакторов номер {n}" for n in range(1, 16)]
NEW_HELD_OUT = [f"проверочный вопрос из памятки для редакторов номер {n}" for n in range(1, 4)]


def _project_copy(tmp_path: Path) -> Path:
    if unreadable_files(ROOT):
        pytest.skip(UNREADABLE)
    root = tmp_path / "project"
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "content", root / "content")
    (root / HOLDOUT).parent.mkdir(parents=True)
    for path in HOLDOUT_SETS:
        shutil.copy(ROOT / path, root / path)
    shutil.copy(ROOT / "domain.yml", root / "domain.yml")
    return root


def _add_scenario(root: Path, examples: list[str], held_out: list[str]) -> None:
    """Steps 2–5: the answer and the examples in a faq file, the title in the themes, held-out questions."""
    faq = root / "data" / "nlu" / "faq_contacts.yml"
    text = faq.read_text(encoding="utf-8").replace("responses:\n", "responses:\n" + NEW_ANSWER, 1)
    text += f"\n  - intent: faq/{NEW_KEY}\n    examples: |\n" + "".join(f"      - {e}\n" for e in examples)
    faq.write_text(text, encoding="utf-8")
    themes = root / THEMES
    themes.write_text(
        themes.read_text(encoding="utf-8")
        + f"      - key: {NEW_KEY}\n        title: Пробный вопрос\n",
        encoding="utf-8",
    )
    holdout = root / HOLDOUT
    holdout.write_text(
        holdout.read_text(encoding="utf-8")
        + f"  - intent: faq/{NEW_KEY}\n    examples: |\n" + "".join(f"      - {q}\n" for q in held_out),
        encoding="utf-8",
    )


def all_problems(root: Path) -> list[str]:
    c = read_content(root)
    return [
        *unreadable_files(root), *missing_contract_keys(c), *keys_without_answer(c), *incomplete_scenarios(c),
        *badly_named_keys(c), *unclear_instruction_marks(root), *unmarked_instructions(c), *too_few_examples(c),
        *shared_examples(c),
        *long_answers(c), *held_out_problems(c),
    ]


def test_a_26th_scenario_added_as_the_editors_guide_says_passes_and_reaches_the_help_page(tmp_path):
    """If this fails and the checks above pass, docs/editors.md and the checks disagree: fix one of them."""
    root = _project_copy(tmp_path)
    before = all_problems(root)
    _add_scenario(root, NEW_EXAMPLES, NEW_HELD_OUT)
    assert [p for p in all_problems(root) if p not in before] == []
    entries = {e.key: (theme.title, e) for theme in load_help(root) for e in theme.entries}
    _theme, entry = entries[NEW_KEY]
    assert entry.title == "Пробный вопрос" and entry.text.startswith("Пробный ответ: шаги памятки")


def test_a_careless_26th_scenario_is_explained_in_russian(tmp_path):
    root = _project_copy(tmp_path)
    _add_scenario(root, [*NEW_EXAMPLES[:11], "забыл пароль"], NEW_EXAMPLES[:1])
    problems = "\n".join(all_problems(root))
    assert f"{NEW_KEY}: 12 примеров, нужно не меньше 15 (файл data/nlu/faq_contacts.yml)" in problems
    assert f"«забыл пароль» — faq/{NEW_KEY} (data/nlu/faq_contacts.yml), faq/forgot_password" in problems
    assert f"«{NEW_EXAMPLES[0]}» (faq/{NEW_KEY}) есть и в обучающих примерах" in problems
    assert f"{NEW_KEY}: проверочных вопросов 1, нужно не меньше 3" in problems


def test_a_question_of_the_independent_set_that_leaks_into_training_is_named(tmp_path):
    root = _project_copy(tmp_path)
    leaked = next(e for e in holdout_examples(root, [HOLDOUT_INDEPENDENT]) if scenario_key(e.intent))
    faq = root / "data" / "nlu" / "faq_contacts.yml"
    added = f"\n  - intent: {leaked.intent}\n    examples: |\n      - {leaked.text.upper()}\n"
    faq.write_text(faq.read_text(encoding="utf-8") + added, encoding="utf-8")
    problems = "\n".join(held_out_problems(read_content(root)))
    assert f"{HOLDOUT_INDEPENDENT}: «{leaked.text}» ({leaked.intent}) есть и в обучающих примерах" in problems


def test_a_broken_file_is_named_with_its_line(tmp_path):
    root = _project_copy(tmp_path)
    faq = root / "data" / "nlu" / "faq_contacts.yml"
    lines = faq.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index("responses:\n") + 1
    lines[at:at] = [f"  utter_faq/{NEW_KEY}:\n", "    - text: Часы работы: круглосуточно\n"]  # a colon, no quotes
    faq.write_text("".join(lines), encoding="utf-8")
    (problem,) = unreadable_files(root)
    assert problem.startswith(f"data/nlu/faq_contacts.yml, строка {at + 2}: файл не читается")
    with pytest.raises(ContentError):
        read_content(root)
