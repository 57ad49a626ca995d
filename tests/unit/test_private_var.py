"""var/ holds real people's data (conversations, tickets, the outbox): only its owner reads it (152-ФЗ).

``make run`` makes var/ 0700 and the files in it 0600 (files made before included) and starts every
process with umask 077, so what Rasa and the action server create there is private too.
"""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_make_keeps_var_private(tmp_path: Path) -> None:
    var = tmp_path / "var"
    (var / "prod").mkdir(parents=True)
    for name in ("ticketing.sqlite3", "rasa-tracker.sqlite3", "actions-outbox.sqlite3", "service.token"):
        (var / name).write_text("x")
        (var / name).chmod(0o644)
    var.chmod(0o755)
    done = subprocess.run(
        ["make", "-s", "-C", str(tmp_path), "-f", str(ROOT / "Makefile"), "private-var"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert mode(var) == 0o700
    assert {p.name: mode(p) for p in var.iterdir() if p.is_file()} == {
        "ticketing.sqlite3": 0o600,
        "rasa-tracker.sqlite3": 0o600,
        "actions-outbox.sqlite3": 0o600,
        "service.token": 0o600,
    }


def test_make_run_starts_the_processes_with_umask_077() -> None:
    done = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "run"], capture_output=True, text=True, check=False, env={**os.environ}
    )
    lines = done.stdout.splitlines()
    k = next(i for i, line in enumerate(lines) if "honcho start" in line)
    assert "umask 077" in lines[k - 1] + lines[k], done.stdout  # the command is continued over two lines
