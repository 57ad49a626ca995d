"""The Makefile's model rule retrains on a change of content, not of time stamps (issue 14, part 7).

The rule is taken from the project's Makefile as it is, with the training replaced by a marker, and run
by make in a scratch directory: an editor who restores a file to what it was must not wait for a training.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from ticketing.config import PROJECT_ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None or shutil.which("sha256sum") is None, reason="нет make")


def _rule() -> str:
    text = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    start = text.index("TRAIN_DIGEST :=")
    return text[start : text.index("\n\n", start)]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "bot" / "nlu").mkdir(parents=True)
    for name in ("domain.yml", "config.yml", "data/faq.yml"):
        (tmp_path / name).write_text("версия 1\n", encoding="utf-8")
    (tmp_path / "Makefile").write_text(
        "SHELL := /bin/bash\n.DEFAULT_GOAL := train\nMODEL := models/bot.tar.gz\n"
        "RASA_INPUTS := domain.yml config.yml $(shell find data bot/nlu -name '*.yml' -o -name '*.py')\n"
        f"{_rule()}\n\ntrain: $(MODEL)\n$(MODEL): $(TRAIN_DIGEST)\n\t@echo TRAINED; touch $@\n",
        encoding="utf-8",
    )
    return tmp_path


def _trains(project: Path) -> bool:
    done = subprocess.run(["make", "-s"], cwd=project, capture_output=True, text=True, check=True)
    return "TRAINED" in done.stdout


def _later(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stamp = time.time() + 5  # a coarse file-system clock must not hide the write
    os.utime(path, (stamp, stamp))


def test_only_a_change_of_content_retrains(project: Path) -> None:
    faq = project / "data" / "faq.yml"
    assert _trains(project)
    assert not _trains(project)
    _later(faq, "версия 1\n")  # saved again as it was
    assert not _trains(project)
    _later(faq, "версия 2\n")
    assert _trains(project)
    _later(faq, "версия 1\n")  # restored: a change against the model, which was trained on версия 2
    assert _trains(project)
    _later(faq, "версия 1\n")
    assert not _trains(project)
    faq.unlink()  # a removed file is a change too
    assert _trains(project)


def test_an_up_to_date_model_is_adopted_without_training(project: Path) -> None:
    assert _trains(project)
    (project / "models" / "inputs.sha256").unlink()  # a checkout made before the digest existed
    assert not _trains(project)
