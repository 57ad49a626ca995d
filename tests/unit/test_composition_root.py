"""bootstrap.py is the one place that picks concrete adapters (issue 16, STYLE.md «The composition root»)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TICKETING = ROOT / "ticketing"


def _adapter_classes() -> set[str]:
    """Concrete classes of ticketing/adapters: the ones a second root would construct."""
    names: set[str] = set()
    for path in (TICKETING / "adapters").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and not any(
                isinstance(base, ast.Name) and base.id in ("ABC", "Protocol", "Exception") for base in node.bases
            ):
                names.add(node.name)
    return names


def test_only_bootstrap_constructs_adapters() -> None:
    adapters = _adapter_classes()
    assert {"RasaGateway", "RasaReplySender", "RedisSessionStore", "SqlSessionStore", "RedisReplyCache"} <= adapters
    found = []
    for path in TICKETING.rglob("*.py"):
        relative = path.relative_to(TICKETING)
        if relative.parts[0] in ("adapters", "migrations") or relative.name == "bootstrap.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in adapters:
                found.append(f"{relative}:{node.lineno} {node.func.id}")
    assert found == []
