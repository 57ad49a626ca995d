"""make run-prod gives the ticketing service Rasa's own conversations: ``RASA_TRACKER_URL`` is the database that
deploy/endpoints.prod.yml's SQL tracker store writes, so pd erase and the nightly anonymisation reach them (152-ФЗ).
Without it the service fell back to make run's var/rasa-tracker.sqlite3 and erased nothing of production."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from sqlalchemy import make_url

from ticketing.config import Settings

ROOT = Path(__file__).resolve().parents[2]
RUN_PROD = ROOT / "deploy" / "run-prod"


def _settings_block() -> str:
    """run-prod's assignments of ports, databases and Redis: from ``export PROD_PORT`` to ``MODEL=``."""
    lines = RUN_PROD.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("export PROD_PORT="))
    end = next(i for i, line in enumerate(lines) if line.startswith("MODEL="))
    return "\n".join(lines[start : end + 1])


def _environment(**given: str) -> dict[str, str]:
    script = "set -euo pipefail\n" + _settings_block() + '\nprintf "%s\\n%s\\n" "$RASA_TRACKER_URL" "$RASA_DB_NAME"\n'
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROD_", "RASA_"))} | given
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, check=True, timeout=30)
    tracker, rasa_db = done.stdout.splitlines()
    return {"RASA_TRACKER_URL": tracker, "RASA_DB_NAME": rasa_db}


def test_the_service_is_pointed_at_rasas_production_tracker() -> None:
    env = _environment()
    url = make_url(Settings.from_env({"RASA_TRACKER_URL": env["RASA_TRACKER_URL"]}).rasa_tracker_url)
    where = (url.drivername, url.host, url.port, url.database)
    assert where == ("postgresql+asyncpg", "127.0.0.1", 5432, "bvb_prod_rasa")
    assert env["RASA_DB_NAME"] == url.database  # the one Rasa's endpoints.prod.yml is given

    moved = make_url(
        _environment(PROD_RASA_DB="rasa2", PROD_PG_HOST="db.local", PROD_PG_PASSWORD="s3cret")["RASA_TRACKER_URL"]
    )
    assert (moved.host, moved.database, moved.password) == ("db.local", "rasa2", "s3cret")
