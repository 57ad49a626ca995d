"""The bot's scenario answers (§2.8, §5.3), read from the Rasa project for the reply picker.

Line 1 answers «согласно разработанным Союзом сценариям»: the same ``utter_faq/*`` texts the
bot says are offered as a start of a reply. They are read once at startup from ``domain.yml``
and ``data/**/*.yml``; a project without them yields an empty list.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from procedure.faq_themes import THEMES_FILE, parse_theme_groups, parse_themes

log = logging.getLogger(__name__)
PREFIX = "utter_faq/"


@dataclass(frozen=True)
class Scenario:
    key: str  # the part after utter_faq/
    text: str
    title: str = ""  # the question as people ask it (content/faq_themes.yml)

    @property
    def label(self) -> str:
        """What a person picks it by: its title, else the answer's first line (never the English key)."""
        return self.title or self.text.split("\n", 1)[0][:80]


def _texts(variants: Any) -> list[str]:
    if not isinstance(variants, list):
        return []
    return [v["text"] for v in variants if isinstance(v, dict) and isinstance(v.get("text"), str)]


def load_scenarios(project_root: Path) -> list[Scenario]:
    """The scenario answers with their titles, in the order of a person reading the titles."""
    titles = load_titles(project_root)
    found = _answers(project_root)
    scenarios = [Scenario(key, text, titles.get(key, "")) for key, text in found.items()]
    return sorted(scenarios, key=lambda s: (s.label.casefold(), s.key))


def _answers(project_root: Path) -> dict[str, str]:
    files = [project_root / "domain.yml", *sorted((project_root / "data").rglob("*.yml"))]
    found: dict[str, str] = {}
    for path in files:
        if not path.is_file():
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            log.warning("scenario texts: %s skipped: %s", path, exc)
            continue
        responses = data.get("responses") if isinstance(data, dict) else None
        if not isinstance(responses, dict):
            continue
        for name, variants in responses.items():
            texts = _texts(variants)
            if isinstance(name, str) and name.startswith(PREFIX) and texts:
                found.setdefault(name[len(PREFIX) :], texts[0])
    return found


# --- the public help page (§4.2.2.3): the same texts, grouped by theme -----------------------

OTHER_THEME = "Другие вопросы"
RETRIEVAL_INTENT = "faq/"


@dataclass(frozen=True)
class HelpEntry:
    key: str
    title: str  # the question as people ask it (content/faq_themes.yml)
    text: str  # the bot's answer, utter_faq/<key>
    examples: tuple[str, ...] = ()  # how people ask it (training examples): words for the search


@dataclass(frozen=True)
class HelpTheme:
    title: str
    entries: tuple[HelpEntry, ...]


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        log.warning("help page: %s skipped: %s", path, exc)
        return None


def load_examples(project_root: Path) -> dict[str, list[str]]:
    """Training examples of each scenario (``faq/<key>`` in ``data/**/*.yml``), as written."""
    found: dict[str, list[str]] = {}
    for path in sorted((project_root / "data").rglob("*.yml")):
        data = _read_yaml(path)
        items = data.get("nlu") if isinstance(data, dict) else None
        for item in items if isinstance(items, list) else []:
            intent = item.get("intent") if isinstance(item, dict) else None
            block = item.get("examples") if isinstance(item, dict) else None
            if isinstance(intent, str) and intent.startswith(RETRIEVAL_INTENT) and isinstance(block, str):
                lines = [line.strip()[2:].strip() for line in block.splitlines() if line.strip().startswith("- ")]
                found.setdefault(intent[len(RETRIEVAL_INTENT) :], []).extend(lines)
    return found


def load_titles(project_root: Path) -> dict[str, str]:
    """The title of every scenario key in ``content/faq_themes.yml`` (the first entry of a key wins)."""
    titles: dict[str, str] = {}
    for entry in parse_themes(_read_yaml(project_root / THEMES_FILE)):
        if entry.key and entry.title:
            titles.setdefault(entry.key, entry.title)
    return titles


def load_help(project_root: Path) -> list[HelpTheme]:
    """The help page's content: themes and titles from ``content/faq_themes.yml``, texts from the bot.

    A scenario without a theme still appears, under «Другие вопросы», so the page never hides an
    answer the bot gives; a theme entry without a text is left out (the content checks report it).
    """
    texts = _answers(project_root)
    examples = load_examples(project_root)
    themes: list[HelpTheme] = []
    placed: set[str] = set()
    for theme_title, questions in parse_theme_groups(_read_yaml(project_root / THEMES_FILE)):
        entries = []
        for question in questions:
            if question.key in texts and question.key not in placed:
                placed.add(question.key)
                said = tuple(examples.get(question.key, ()))
                entries.append(HelpEntry(question.key, question.title or question.key, texts[question.key], said))
        if entries:
            themes.append(HelpTheme(theme_title or OTHER_THEME, tuple(entries)))
    rest = [
        HelpEntry(key, text.split("\n", 1)[0][:80], text, tuple(examples.get(key, ())))
        for key, text in sorted(texts.items())
        if key not in placed
    ]
    if rest:
        themes.append(HelpTheme(OTHER_THEME, tuple(rest)))
    return themes


def help_sources(project_root: Path) -> list[Path]:
    """The files the help page is made of: when one changes, the page is rebuilt."""
    return [project_root / "domain.yml", project_root / THEMES_FILE, *sorted((project_root / "data").rglob("*.yml"))]
