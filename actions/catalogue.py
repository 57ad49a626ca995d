"""The scenario catalogue as the conversation needs it: Russian titles and which answers are instructions.

``content/faq_themes.yml`` is the one list of scenarios that people edit; the help page and the
content checks read it too. The answers themselves are ``utter_faq/<key>`` responses that Rasa
sends, so only titles (for the «Возможно, вы имели в виду…» buttons) and the ``instruction`` mark
(§5.4: ask «Помогло?» and escalate a «нет» as a technical question) are read here, from the
*published* copy of the file (``procedure.published``, ``make publish``), so that they change with
the model and the help page, not when an editor saves. The file is read on first use, not at
import (rasa_sdk imports every module of ``actions``), and again when a publish replaces it.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from procedure import published
from procedure.faq_themes import ThemeEntry, parse_themes

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
THEMES = Path("content") / "faq_themes.yml"
DEFAULT_PATH = PROJECT_ROOT / THEMES


# One scenario: its key (``faq/<key>``), the question as people see it, its theme, the instruction mark.
Topic = ThemeEntry


@dataclass(frozen=True)
class Catalogue:
    """Topics by key; unknown keys get a neutral title rather than an error."""

    topics: dict[str, Topic] = field(default_factory=dict)

    def title(self, key: str) -> str:
        """The Russian question title; the key itself only if the file lacks it (a content bug)."""
        topic = self.topics.get(key)
        return topic.title if topic else key.replace("_", " ")

    def is_instruction(self, key: str | None) -> bool:
        """True for standard technical instructions (§5.4), after which the bot asks «Помогло?»."""
        topic = self.topics.get(key or "")
        return bool(topic and topic.instruction)


def parse_catalogue(data: Any) -> Catalogue:
    """Builds the catalogue from the YAML document (procedure/faq_themes.py reads it); the first entry of a key wins."""
    topics: dict[str, Topic] = {}
    for entry in parse_themes(data):
        if entry.key and entry.key not in topics:
            topics[entry.key] = Topic(entry.key, entry.title or entry.key, entry.theme, entry.instruction)
    return Catalogue(topics)


def load_catalogue(path: Path) -> Catalogue:
    """Reads the themes file; a missing or broken file gives an empty catalogue and a warning."""
    try:
        return parse_catalogue(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        logger.warning("scenario catalogue %s unreadable (%s): no titles, no «Помогло?»", path, exc)
        return Catalogue()


_lock = threading.Lock()
_cached: tuple[Path, float | None, Catalogue] | None = None


def _mtime(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None


def themes_path(environ: Mapping[str, str] | None = None) -> Path:
    """``FAQ_THEMES_PATH`` if set; else the published ``content/faq_themes.yml`` (``PUBLISHED_CONTENT``, which
    ``make run`` sets to ``var/published``), or the working copy's before anything is published."""
    env = os.environ if environ is None else environ
    if env.get("FAQ_THEMES_PATH"):
        return Path(env["FAQ_THEMES_PATH"])
    raw = (env.get("PUBLISHED_CONTENT") or "").strip()
    published_dir = (PROJECT_ROOT / raw) if raw else None  # an absolute raw path stays itself
    return published.content_root(published_dir, PROJECT_ROOT) / THEMES


def catalogue() -> Catalogue:
    """The catalogue of the published content (:func:`themes_path`), re-read when it changes.

    ``make publish`` swaps the model in a running Rasa without restarting the action server, and the
    published content with it; a new scenario's title (the «Возможно, вы имели в виду…» buttons) and
    its ``instruction`` mark must reach the conversation at that moment, not when the editor saves
    the file, so the path and the file are checked (a ``realpath`` and a ``stat``) on each use.
    """
    global _cached
    path = themes_path()
    mtime = _mtime(path)
    with _lock:
        if _cached is None or _cached[0] != path or _cached[1] != mtime:
            _cached = (path, mtime, load_catalogue(path))
        return _cached[2]
