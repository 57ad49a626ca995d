"""``content/faq_themes.yml``, the one list of scenarios that content editors edit (§5.3), read by one parser.

The bot's action server (titles of the «Возможно, вы имели в виду…» buttons, the ``instruction`` mark that makes it ask
«Помогло?», §5.4), the help page and the staff console (ticketing) and the editors' content checks (bot/tools) all read
the file through :func:`parse_theme_groups`, so they can't disagree about what it says. The document is
``themes: [{title, questions: [{key, title, instruction?}]}]``; what is not of that shape is skipped here and reported
to the editor by the content checks (tests/content).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

THEMES_FILE = Path("content") / "faq_themes.yml"


@dataclass(frozen=True)
class ThemeEntry:
    """One question of a theme: its scenario key (``faq/<key>``), its title as people ask it, its theme's title."""

    key: str
    title: str
    theme: str
    instruction: bool = False


def parse_theme_groups(data: Any) -> list[tuple[str, list[ThemeEntry]]]:
    """The themes in the order of the file, each with its questions in order (a key may be empty: a content slip)."""
    groups: list[tuple[str, list[ThemeEntry]]] = []
    themes = data.get("themes") if isinstance(data, dict) else None
    for theme in themes if isinstance(themes, list) else []:
        if not isinstance(theme, dict):
            continue
        title = str(theme.get("title") or "")
        questions = theme.get("questions")
        entries = [
            ThemeEntry(
                str(question.get("key") or ""),
                str(question.get("title") or ""),
                title,
                bool(question.get("instruction")),
            )
            for question in (questions if isinstance(questions, list) else [])
            if isinstance(question, dict)
        ]
        groups.append((title, entries))
    return groups


def parse_themes(data: Any) -> list[ThemeEntry]:
    """Every question of every theme, flat, in the order of the file."""
    return [entry for _, entries in parse_theme_groups(data) for entry in entries]

