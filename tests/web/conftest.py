"""Fixtures for the page tests: the workspace's blobs in a temporary folder, a small corpus in
two collections, and one user per actor."""

from __future__ import annotations

import dataclasses

import pytest
from django.test import Client

from dossier.blobs import BlobStore
from tests.web import corpus as corpus_mod


@pytest.fixture
def workspace(settings, tmp_path):
    """Point the app's blob store (``settings.DOSSIER``) at a fresh folder."""
    settings.DOSSIER = dataclasses.replace(settings.DOSSIER, home=tmp_path / "ws")
    return settings.DOSSIER


@pytest.fixture
def corpus(db, workspace, tmp_path):
    return corpus_mod.build(tmp_path / "inputs", BlobStore(workspace.blobs_path))


@pytest.fixture
def actors(corpus):
    return corpus_mod.make_actors()


@pytest.fixture
def client_for(actors):
    """A logged-in Client for an actor name (anonymous: not logged in)."""

    def make(name: str, **kwargs) -> Client:
        client = Client(**kwargs)
        if actors[name] is not None:
            client.force_login(actors[name])
        return client

    return make
