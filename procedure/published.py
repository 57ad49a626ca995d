"""The published scenario content: what the help page, the console and the bot serve until the next ``make publish``.

The scenario answers (§5.3) and the help page (§4.2.2.3) are made of the editors' files: ``domain.yml``,
``data/**/*.yml`` (the ``utter_faq/*`` answers and the examples) and ``content/faq_themes.yml``.
Read straight from the working copy, a file saved with a YAML slip and not yet published would
silently drop its whole theme from the public page and the console, while the bot, whose model
was trained earlier, still says it (issue 14, part 7). So ``make publish`` (and ``make run`` when
it starts) copies the files, once every one of them reads, into a version directory
``<published>/v-<digest>`` and then points the symlink ``<published>/current`` at it in one
``rename``; the readers (``ticketing`` and the action server, hence both environments) take
:func:`content_root`, which is the working copy only while nothing has been published yet.

Pure Python 3.10 and the standard library only: both environments import it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

CURRENT = "current"
VERSION_PREFIX = "v-"
KEEP_VERSIONS = 3  # the current one and two before it: a reader that resolved an older root still finds its files


def content_files(root: Path) -> list[Path]:
    """The editors' files the published content is made of, relative to ``root``, in a fixed order."""
    found = [Path("domain.yml"), Path("content") / "faq_themes.yml"]
    found += sorted(p.relative_to(root) for p in (root / "data").rglob("*.yml"))
    return [p for p in found if (root / p).is_file()]


def content_root(published: Path | None, working_copy: Path) -> Path:
    """Where to read the scenario content from: the published version, or the working copy before any publish.

    The symlink is resolved here, once, so that one reading of the files never mixes two versions.
    """
    if published is not None:
        current = published / CURRENT
        if current.is_dir():
            return Path(os.path.realpath(current))
    return working_copy


def digest(root: Path, files: Iterable[Path]) -> str:
    """The SHA-256 of the files' names and bytes: equal digests, equal content."""
    sha = hashlib.sha256()
    for rel in files:
        sha.update(rel.as_posix().encode("utf-8") + b"\0")
        sha.update((root / rel).read_bytes() + b"\0")
    return sha.hexdigest()


@dataclass(frozen=True)
class Publication:
    """What :func:`publish` did: the version now served and whether it changed."""

    version: str
    changed: bool
    files: int


def published_version(published: Path) -> str | None:
    """The name of the version directory ``current`` points at, or None before the first publish."""
    current = published / CURRENT
    return Path(os.readlink(current)).name if current.is_symlink() else None


def publish(source: Path, published: Path, check: Callable[[Path], object]) -> Publication:
    """Copies the content files of ``source`` into a new version under ``published`` and makes it current.

    Args:
        source: The working copy (the project root).
        published: The directory of published versions (``var/published``).
        check: Reads one file and raises if it does not read (``bot.tools.content.load_yaml``:
            a Russian message with the file and line). Nothing is copied unless every file passes,
            so a broken file never reaches the public: the last good version stays current.
    """
    files = content_files(source)
    for rel in files:
        check(source / rel)
    version = VERSION_PREFIX + digest(source, files)[:16]
    if published_version(published) == version and (published / version).is_dir():
        return Publication(version, changed=False, files=len(files))
    published.mkdir(parents=True, exist_ok=True)
    target = published / version
    if not target.is_dir():
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=published))
        for rel in files:
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / rel, staging / rel)
        staging.chmod(0o755)
        os.replace(staging, target)
    link = published / f".{CURRENT}-{os.getpid()}"
    if link.is_symlink():
        link.unlink()
    os.symlink(version, link)
    os.replace(link, published / CURRENT)  # atomic: a reader sees the old version or the new one
    _prune(published, keep=version)
    return Publication(version, changed=True, files=len(files))


def _prune(published: Path, keep: str) -> None:
    versions = sorted(
        (p for p in published.iterdir() if p.is_dir() and not p.is_symlink() and p.name.startswith(VERSION_PREFIX)),
        key=lambda p: p.stat().st_mtime_ns,
        reverse=True,
    )
    for old in [v for v in versions if v.name != keep][KEEP_VERSIONS - 1 :]:
        shutil.rmtree(old, ignore_errors=True)
