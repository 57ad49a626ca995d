"""procedure.published: the last good content stays public until a version whose every file reads is published."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from procedure import published


def _project(tmp_path: Path, answer: str = "Ответ") -> Path:
    root = tmp_path / "project"
    (root / "data" / "nlu").mkdir(parents=True, exist_ok=True)
    (root / "content").mkdir(exist_ok=True)
    (root / "domain.yml").write_text("version: '3.1'\n", encoding="utf-8")
    (root / "content" / "faq_themes.yml").write_text("themes: []\n", encoding="utf-8")
    (root / "data" / "nlu" / "faq.yml").write_text(f'responses:\n  utter_faq/x:\n    - text: "{answer}"\n', "utf-8")
    return root


def _check(path: Path) -> None:
    yaml.safe_load(path.read_text(encoding="utf-8"))


def test_before_any_publish_the_working_copy_is_read(tmp_path: Path) -> None:
    root = _project(tmp_path)
    assert published.content_root(None, root) == root
    assert published.content_root(tmp_path / "published", root) == root


def test_a_publish_copies_every_file_and_becomes_current(tmp_path: Path) -> None:
    root, pub = _project(tmp_path), tmp_path / "published"
    done = published.publish(root, pub, _check)
    assert done.changed and done.files == 3
    current = published.content_root(pub, root)
    assert current == (pub / done.version).resolve() != root
    assert (current / "data" / "nlu" / "faq.yml").read_text(encoding="utf-8") == (
        root / "data" / "nlu" / "faq.yml"
    ).read_text(encoding="utf-8")
    assert not published.publish(root, pub, _check).changed  # the same bytes: the same version


def test_a_broken_file_is_refused_and_the_last_version_stays(tmp_path: Path) -> None:
    root, pub = _project(tmp_path), tmp_path / "published"
    first = published.publish(root, pub, _check)
    (root / "data" / "nlu" / "faq.yml").write_text('responses:\n  utter_faq/x:\n    - text: "не закрыта\n', "utf-8")
    with pytest.raises(yaml.YAMLError):
        published.publish(root, pub, _check)
    assert published.published_version(pub) == first.version
    assert "Ответ" in (published.content_root(pub, root) / "data" / "nlu" / "faq.yml").read_text(encoding="utf-8")


def test_old_versions_are_pruned_but_the_last_few_kept(tmp_path: Path) -> None:
    pub = tmp_path / "published"
    versions = [published.publish(_project(tmp_path, f"Ответ {n}"), pub, _check).version for n in range(5)]
    kept = sorted(p.name for p in pub.iterdir() if p.name.startswith(published.VERSION_PREFIX))
    assert versions[-1] in kept and len(kept) == published.KEEP_VERSIONS
    assert published.published_version(pub) == versions[-1]
