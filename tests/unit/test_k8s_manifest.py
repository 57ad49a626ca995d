"""deploy/k8s/ticketing.yaml: the service's pods cannot start without the databases they erase personal data in.

Without ``RASA_TRACKER_URL`` the service would fall back to ``var/rasa-tracker.sqlite3`` inside the container and
``pd erase`` or the nightly anonymisation would clean a file that holds nobody's conversations (152-ФЗ).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MANIFEST = Path(__file__).resolve().parents[2] / "deploy" / "k8s" / "ticketing.yaml"


def _containers(kind: str, name: str) -> list[dict[str, Any]]:
    for document in yaml.safe_load_all(MANIFEST.read_text(encoding="utf-8")):
        if document and document["kind"] == kind and document["metadata"]["name"] == name:
            containers: list[dict[str, Any]] = document["spec"]["template"]["spec"]["containers"]
            return containers
    raise AssertionError(f"{MANIFEST.name}: no {kind} {name}")


def test_the_service_requires_both_databases_from_its_secret() -> None:
    (service,) = _containers("Deployment", "bvb-ticketing")
    required = {item["name"]: item["valueFrom"]["secretKeyRef"] for item in service["env"] if "valueFrom" in item}
    for name in ("DATABASE_URL", "RASA_TRACKER_URL"):
        assert required[name] == {"name": "bvb-ticketing-env", "key": name}, name
        assert not required[name].get("optional", False)


def test_every_process_of_the_service_reads_the_same_secret() -> None:
    for kind, name in (
        ("Job", "bvb-ticketing-migrate"),
        ("Deployment", "bvb-ticketing"),
        ("Deployment", "bvb-mail-worker"),
    ):
        for container in _containers(kind, name):
            assert {"secretRef": {"name": "bvb-ticketing-env"}} in container["envFrom"], name
