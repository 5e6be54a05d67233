"""Django settings, derived from ``dossier.settings.from_env()``.

The workspace folder holds the SQLite database and blobs; ``DOSSIER_DATABASE_URL`` selects
PostgreSQL instead. ``SECRET_KEY`` is generated into the workspace on first use, never a default.
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
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
                    "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16384;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
            # One test database per test process: parallel runs never share (or delete) one.
            "TEST": {"NAME": str(settings.home / f"test-{os.getpid()}.sqlite3")},
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
        "TEST": {"NAME": f"test_dossier_{os.getpid()}"},
    }


SECRET_KEY = _secret_key(SETTINGS.home)
DEBUG = SETTINGS.debug
ALLOWED_HOSTS = [
    *(h.strip() for h in os.environ.get("DOSSIER_ALLOWED_HOSTS", "").split(",") if h.strip()),
    "127.0.0.1",
    "localhost",
    "testserver",
]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "dossier.corpus",
    "dossier.accounts",
    "dossier.audit",
    "dossier.comments",
    "dossier.api",
    "dossier.web",
    "axes",
    "csp",
    "django_htmx",
    "ninja",  # serves the OpenAPI docs' assets from static files, not a CDN (CSP: 'self')
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dossier.web.errors.DomainErrorMiddleware",
    # django-axes: last, so it sees the lockout flag the login view's authenticate() set.
    "axes.middleware.AxesMiddleware",
]
ROOT_URLCONF = "dossier.urls"
WSGI_APPLICATION = "dossier.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dossier.web.context.nav",
            ],
        },
    }
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out credentials
    "django.contrib.auth.backends.ModelBackend",
]
DATABASES = {"default": database_config(SETTINGS)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
LOGGING_CONFIG = None
DOSSIER = SETTINGS

# Static files ship inside the package (dossier/web/static, plus django-htmx's and ninja's);
# whitenoise serves them straight from the app folders (finders), so there is no collectstatic
# step. STATIC_ROOT is only used if someone runs collectstatic anyway; whitenoise reads it when
# it exists.
STATIC_URL = "/static/"
STATIC_ROOT = (SETTINGS.home / "static") if (SETTINGS.home / "static").is_dir() else None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

# Login throttling: 5 failures for one username from one address lock that pair for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked_out.html"
AXES_VERBOSE = False

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 60 * 60
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SETTINGS.https
CSRF_COOKIE_SECURE = SETTINGS.https
if SETTINGS.https:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
