"""A collection scope that covers every collection is dropped, and put back if a collection
appears while the unscoped search runs (``service.unscoped_when_all``)."""

from __future__ import annotations

import pytest

from dossier.corpus.models import Collection
from dossier.corpus.search.service import unscoped_when_all

pytestmark = pytest.mark.django_db


def test_a_scope_of_every_collection_runs_unscoped():
    ids = {Collection.objects.create(name=n).id for n in ("a", "b")}
    assert unscoped_when_all(ids, lambda scope: scope) is None


def test_a_partial_or_empty_scope_is_kept():
    a = Collection.objects.create(name="a").id
    Collection.objects.create(name="b")
    assert unscoped_when_all({a}, lambda scope: scope) == {a}
    assert unscoped_when_all(set(), lambda scope: scope) == set()
    assert unscoped_when_all(None, lambda scope: scope) is None


def test_a_collection_created_during_the_unscoped_run_brings_the_scope_back():
    ids = {Collection.objects.create(name="a").id}
    calls = []

    def run(scope):
        calls.append(scope)
        if scope is None:  # another ingest creates a collection meanwhile
            Collection.objects.create(name="late")
        return scope

    assert unscoped_when_all(ids, run) == ids
    assert calls == [None, ids]
