"""Reading the scenario content the way editors write it: examples, themes, the held-out set.

Plain Python and PyYAML only, so the same code serves the content checks (tests/content, in
the ticketing environment) and the editors' tools (bot/tools, in the Rasa environment). Rasa's
own reader would need Rasa; these files are simple enough to read directly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from procedure.faq_themes import THEMES_FILE, ThemeEntry, parse_themes

ROOT = Path(__file__).resolve().parents[2]
THEMES = THEMES_FILE
HOLDOUT = Path("tests") / "content" / "faq_holdout.yml"
# Written blind, by someone who saw only the keys and the answers, in pupils' and parents' words;
# it also holds messages that are not scenarios (open_appeal, out_of_scope, small talk).
HOLDOUT_INDEPENDENT = Path("tests") / "content" / "faq_holdout_independent.yml"
HOLDOUT_SETS = (HOLDOUT, HOLDOUT_INDEPENDENT)
RETRIEVAL_INTENT = "faq"

_ANNOTATION = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")
_NOT_WORD = re.compile(r"[^\w\s]+")


class ContentError(ValueError):
    """A content file that cannot be read, described so that an editor can fix it."""


def _rel(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


# PyYAML's problems in the words of docs/editors.md: what went wrong and what to do about it.
_YAML_PROBLEMS_RU = (
    ("mapping values are not allowed", "двоеточие с пробелом внутри текста без кавычек — возьмите текст "
     "в двойные кавычки"),
    ("found unexpected end of stream", "кавычка открыта и не закрыта до конца файла — закройте её в конце текста"),
    ("that cannot start any token", "в начале строки знак табуляции (Tab) или символ, с которого значение не "
     "начинается («@», «`», «%») — отступы делайте пробелами, а текст возьмите в двойные кавычки"),
    ("found unknown escape character", "обратная косая черта «\\» перед буквой, которую YAML не знает: для переноса "
     "строки пишите \\n, иначе уберите «\\»"),
    ("could not find expected ':'", "после имени записи нет двоеточия, или кавычка внутри текста закрыла его раньше "
     "времени (внутри пишите «ёлочки»)"),
    ("did not find expected key", "строка сдвинута не так, как соседние записи такого же вида"),
    ("did not find expected '-' indicator", "пропущен «- » перед элементом списка, или строка сдвинута"),
    ("expected <block end>", "строка сдвинута не так, как соседние записи такого же вида (или кавычка внутри "
     "текста закрыла его раньше времени — внутри пишите «ёлочки»)"),
    ("found a tab character", "знак табуляции (Tab) в отступе — отступы делайте только пробелами"),
    ("found duplicate", "одно и то же имя записано дважды"),
)


COMMON_CAUSES = (
    "Частые причины: текст ответа не в двойных кавычках, а в нём двоеточие или кавычки (пишите «ёлочки»); "
    "строка сдвинута не так, как соседние такого же вида (отступы — только пробелы, не Tab); пропущен «- » "
    "перед примером."
)


def yaml_problem_ru(problem: str) -> str:
    """PyYAML's English problem in Russian; an unknown one is kept in English, with the usual causes."""
    for english, russian in _YAML_PROBLEMS_RU:
        if english in problem:
            return russian + "."
    return f"YAML не разобрал строку (по-английски: {problem}). {COMMON_CAUSES}"


def load_yaml(path: Path, root: Path = ROOT) -> Any:
    """The parsed file; a syntax error becomes a ContentError naming the file, the line and the usual causes."""
    try:
        text = path.read_text(encoding="utf-8")
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        problem = str(getattr(error, "problem", None) or str(error).splitlines()[0])
        mark = getattr(error, "problem_mark", None)
        opened = getattr(error, "context_mark", None)
        if "end of stream" in problem and opened is not None:
            mark = opened  # where the unclosed quote opened, not the end of the file
        where, shown = _rel(path, root), ""
        if mark is not None:
            where += f", строка {mark.line + 1}"
            lines = text.splitlines()
            if 0 <= mark.line < len(lines) and lines[mark.line].strip():
                line = lines[mark.line].strip()
                shown = f" Строка: «{line[:100]}{'…' if len(line) > 100 else ''}»."
        raise ContentError(f"{where}: файл не читается — {yaml_problem_ru(problem)}{shown}") from None
    except UnicodeDecodeError:
        raise ContentError(f"{_rel(path, root)}: файл сохранён не в кодировке UTF-8 — сохраните его в UTF-8.") from None


def rasa_files(root: Path = ROOT) -> list[Path]:
    """Every YAML file ``make validate`` (Rasa) and the published content read: the project's and the themes."""
    found = [root / "domain.yml", root / "config.yml", root / THEMES, *sorted((root / "data").rglob("*.yml"))]
    return [p for p in found if p.is_file()]


def unreadable(root: Path = ROOT) -> list[str]:
    """The editor's message for every file that does not read (Russian, with the file and line)."""
    problems: list[str] = []
    for path in rasa_files(root):
        try:
            load_yaml(path, root)
        except ContentError as error:
            problems.append(str(error))
    return problems


def main() -> int:
    """``make validate``'s first step: YAML slips in Russian, before Rasa's English and its outside website."""
    problems = unreadable()
    for problem in problems:
        print(f"make validate: {problem}")
    return 1 if problems else 0


@dataclass(frozen=True)
class Example:
    """One training example: the intent (``faq/<key>`` for scenarios), its text, where it is."""

    intent: str
    text: str
    path: str


def plain_text(example: str) -> str:
    """The example as typed: entity annotations ``[ivan@mail.ru](email)`` become their text."""
    return _ANNOTATION.sub(r"\1", example).strip()


def normalise(text: str) -> str:
    """What makes two examples «the same» for a person: case, «ё», punctuation, spaces ignored."""
    folded = plain_text(text).casefold().replace("ё", "е")
    # «+» or «...» have nothing but punctuation: then the punctuation is the example.
    return " ".join(_NOT_WORD.sub(" ", folded).split()) or " ".join(folded.split())


def _examples_block(block: Any) -> list[str]:
    if isinstance(block, str):
        return [line.strip()[2:].strip() for line in block.splitlines() if line.strip().startswith("- ")]
    if isinstance(block, list):
        return [str(item.get("text") if isinstance(item, dict) else item) for item in block]
    return []


def read_nlu_file(path: Path, root: Path = ROOT) -> list[Example]:
    """The ``intent`` examples of one Rasa NLU file (regexes, lookups and synonyms are skipped)."""
    data = load_yaml(path, root) or {}
    found: list[Example] = []
    for item in data.get("nlu") or [] if isinstance(data, dict) else []:
        if isinstance(item, dict) and item.get("intent"):
            rel = _rel(path, root)
            found += [Example(str(item["intent"]), text, rel) for text in _examples_block(item.get("examples"))]
    return found


def training_examples(root: Path = ROOT) -> list[Example]:
    """Every example Rasa trains on: ``data/**/*.yml``."""
    found: list[Example] = []
    for path in sorted((root / "data").rglob("*.yml")):
        found += read_nlu_file(path, root)
    return found


def holdout_examples(root: Path = ROOT, sets: Iterable[Path] = HOLDOUT_SETS) -> list[Example]:
    """The held-out questions (never trained on) that measure the scenario choice: both sets by default."""
    found: list[Example] = []
    for path in sets:
        if (root / path).is_file():
            found += read_nlu_file(root / path, root)
    return found


def scenario_key(intent: str) -> str | None:
    """``faq/forgot_password`` → ``forgot_password``; None for other intents."""
    prefix, sep, key = intent.partition("/")
    return key if sep and prefix == RETRIEVAL_INTENT else None


def by_key(examples: Iterable[Example]) -> dict[str, list[Example]]:
    """Scenario examples grouped by key."""
    grouped: dict[str, list[Example]] = {}
    for example in examples:
        key = scenario_key(example.intent)
        if key:
            grouped.setdefault(key, []).append(example)
    return grouped


def read_themes(root: Path = ROOT) -> list[ThemeEntry]:
    """``content/faq_themes.yml`` as a flat list, in the order of the file (a slip in it: :class:`ContentError`)."""
    return parse_themes(load_yaml(root / THEMES, root))


if __name__ == "__main__":
    raise SystemExit(main())
