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

log = logging.getLogger(__name__)
PREFIX = "utter_faq/"


@dataclass(frozen=True)
class Scenario:
    key: str  # the part after utter_faq/
    text: str


def _texts(variants: Any) -> list[str]:
    if not isinstance(variants, list):
        return []
    return [v["text"] for v in variants if isinstance(v, dict) and isinstance(v.get("text"), str)]


def load_scenarios(project_root: Path) -> list[Scenario]:
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
    return [Scenario(key, text) for key, text in sorted(found.items())]
