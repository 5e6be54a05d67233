"""Helpers for end-to-end tests: run the real `dossier` command against a workspace.

On SQLite the subprocess gets its own workspace file; on PostgreSQL it shares the test database
that pytest-django created (tests using it take ``transactional_db`` so rows are visible and are
flushed afterwards).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from django.db import connection


def cli_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOSSIER_")}
    env["DOSSIER_HOME"] = str(home)
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        env["DOSSIER_DATABASE_URL"] = (
            f"postgresql://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
        )
    env["COLUMNS"] = "120"
    # The subprocess runs this tree's code, whatever `pip install -e` points at.
    src = str(Path(__file__).resolve().parent.parent / "src")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    return env


def dossier(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "dossier", *args]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"{cmd} exited {result.returncode}:\n{result.stderr}\n{result.stdout}")
    return result


def dossier_json(*args: str, env: dict[str, str]):
    return json.loads(dossier(*args, "--json", env=env).stdout)
