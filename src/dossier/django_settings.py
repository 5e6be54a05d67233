"""Django settings, derived from ``dossier.settings.from_env()``.

The workspace folder holds the SQLite database and blobs; ``DOSSIER_DATABASE_URL`` selects
PostgreSQL instead. ``SECRET_KEY`` is generated into the workspace on first use, never a default.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

from dossier import settings as dossier_settings
from dossier.errors import WorkspaceError

SETTINGS = dossier_settings.from_env()


def _secret_key(home: Path) -> str:
    path = home / "secret_key"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


def database_config(settings: dossier_settings.Settings) -> dict:
    if not settings.database_url:
        settings.home.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(settings.sqlite_path),
            "OPTIONS": {
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; "
                    "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-32768;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
            "TEST": {"NAME": str(settings.home / "test.sqlite3")},
        }
    url = urlsplit(settings.database_url)
    if url.scheme not in {"postgres", "postgresql"}:
        raise WorkspaceError(f"DOSSIER_DATABASE_URL must be postgresql://..., not {url.scheme}://")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(url.path.lstrip("/")) or "postgres",
        "USER": unquote(url.username or "") or "postgres",
        "PASSWORD": unquote(url.password or ""),
        "HOST": url.hostname or "",
        "PORT": str(url.port or ""),
        "CONN_MAX_AGE": 0,
    }


SECRET_KEY = _secret_key(SETTINGS.home)
DEBUG = SETTINGS.debug
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "dossier.corpus",
    "dossier.accounts",
    "dossier.audit",
    "dossier.comments",
    "dossier.api",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
DATABASES = {"default": database_config(SETTINGS)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LOGGING_CONFIG = None
DOSSIER = SETTINGS
