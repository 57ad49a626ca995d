"""scripts/provision: the one step that installs the system packages the tests need (issue 16)."""

import os
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "provision"


def _run(path: str, *, as_nobody: bool) -> subprocess.CompletedProcess[str]:
    command = [str(SCRIPT)]
    if as_nobody and os.geteuid() == 0:
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    return subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "PATH": path}, check=False, timeout=60
    )


def test_a_provisioned_machine_needs_nothing_and_no_root() -> None:
    # `make test` runs it every time: on a provisioned machine it is silent, quick and needs no root.
    done = _run(os.environ["PATH"], as_nobody=True)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_without_root_it_names_the_missing_packages_and_the_command() -> None:
    # A dpkg-query that knows no package stands for a fresh machine; the non-root user must be able to
    # run it, hence a world-readable directory rather than pytest's private tmp_path.
    with tempfile.TemporaryDirectory() as fake:
        os.chmod(fake, 0o755)
        query = Path(fake) / "dpkg-query"
        query.write_text("#!/bin/sh\necho not-installed\n")
        query.chmod(0o755)
        done = _run(f"{fake}:{os.environ['PATH']}", as_nobody=True)
    assert done.returncode == 1
    assert "не хватает системных пакетов: dovecot-imapd chromium fonts-dejavu-core" in done.stderr
    assert "haproxy" in done.stderr
    assert f"sudo {SCRIPT}" in done.stderr
    assert done.stdout == ""
