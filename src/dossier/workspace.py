"""Where a workspace's data lives; opening one sets up Django and applies migrations.

A workspace is a folder (``./dossier-data`` or ``DOSSIER_HOME``, or ``--workspace DIR``) holding
``dossier.sqlite3`` (WAL mode), ``blobs/`` and ``secret_key``; with ``DOSSIER_DATABASE_URL`` set,
the database is PostgreSQL and the folder keeps the blobs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dossier import settings as dossier_settings
from dossier.blobs import BlobStore
from dossier.errors import WorkspaceError


@dataclass(frozen=True)
class Workspace:
    settings: dossier_settings.Settings

    @property
    def home(self) -> Path:
        return self.settings.home

    @property
    def blobs(self) -> BlobStore:
        return BlobStore(self.settings.blobs_path)

    def describe(self) -> str:
        if self.settings.database_url:
            return f"{self.home} (database: PostgreSQL)"
        return str(self.home)


def open_workspace(home: Path | None = None, *, migrate: bool = True) -> Workspace:
    """Configure Django for this workspace (once per process) and bring its schema up to date.

    ``home`` overrides ``DOSSIER_HOME``. When Django is already configured (tests, the web
    server), its database is used as it is and only the blob folder comes from ``home``.
    """
    if home is not None:
        os.environ["DOSSIER_HOME"] = str(Path(home).expanduser().resolve())
    settings = dossier_settings.from_env()
    try:
        settings.home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WorkspaceError(f"cannot create workspace folder {settings.home}: {exc}") from exc
    _setup_django()
    if migrate:
        _migrate_if_needed()
    return Workspace(settings)


def _setup_django() -> None:
    import django
    from django.apps import apps

    if apps.ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dossier.django_settings")
    django.setup()


def _migrate_if_needed() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.utils import OperationalError

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except OperationalError as exc:
        raise WorkspaceError(f"cannot open the database: {exc}") from exc
    if plan:
        call_command("migrate", interactive=False, verbosity=0)
