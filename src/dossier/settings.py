"""One typed, frozen settings object, read once from the environment.

Nothing here imports Django: the CLI reads these settings, then configures Django from them
(see ``dossier.django_settings``). Tests build their own ``Settings`` instead of mutating one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOME = "dossier-data"


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str | None = None
    ocr: bool = False
    debug: bool = False
    https: bool = False  # behind a TLS-terminating proxy: secure cookies, trust X-Forwarded-Proto

    @property
    def sqlite_path(self) -> Path:
        return self.home / "dossier.sqlite3"

    @property
    def blobs_path(self) -> Path:
        return self.home / "blobs"

    @property
    def backend(self) -> str:
        return "postgresql" if self.database_url else "sqlite"


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def from_env(environ: os._Environ[str] | dict[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    home = Path(env.get("DOSSIER_HOME") or DEFAULT_HOME).expanduser().resolve()
    return Settings(
        home=home,
        database_url=env.get("DOSSIER_DATABASE_URL") or None,
        ocr=_flag(env.get("DOSSIER_OCR")),
        debug=_flag(env.get("DOSSIER_DEBUG")),
        https=_flag(env.get("DOSSIER_HTTPS")),
    )
