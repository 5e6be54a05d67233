"""Shared fixtures. The database is the one pytest-django builds from ``dossier.django_settings``:
SQLite by default, PostgreSQL when ``DOSSIER_DATABASE_URL`` is set (``make test`` runs both)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dossier.blobs import BlobStore


@pytest.fixture
def blobs(tmp_path: Path) -> BlobStore:
    return BlobStore(tmp_path / "blobs")


@pytest.fixture
def db_vendor() -> str:
    from django.db import connection

    return connection.vendor


def pytest_report_header(config):
    url = os.environ.get("DOSSIER_DATABASE_URL")
    return f"dossier database: {'postgresql ' + url if url else 'sqlite (workspace file)'}"
