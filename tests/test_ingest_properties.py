"""Property: whatever bytes arrive, in whatever kind of file, ingest never raises past a failure
record, and what it reports matches what it stored."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier.blobs import BlobStore
from dossier.corpus.ingest.pipeline import ingest_paths
from dossier.corpus.models import IngestFailure, Location

HEADERS = b"From: a@example.com\nSubject: s\nMessage-ID: <x@y>\n\nbody\n"
PREFIXES = [
    b"",
    b"From x Mon Jan  1 00:00:00 2001\n",
    b"PK\x03\x04",
    b"!BDN",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    HEADERS,
    b"%PDF-1.4\n",
]
contents = st.builds(
    lambda prefix, body, tail: prefix + body + tail,
    st.sampled_from(PREFIXES),
    st.binary(max_size=3000),
    st.sampled_from([b"", HEADERS, b"\nFrom y Tue Jan  2 00:00:00 2001\n" + HEADERS]),
)
names = st.sampled_from(["a.mbox", "b.eml", "c.zip", "d.msg", "e.pst", "f.txt", "g", "h.ost"])


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.lists(st.tuples(names, contents), min_size=1, max_size=4, unique_by=lambda f: f[0]))
def test_arbitrary_files_never_raise_and_counts_add_up(files):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "in"
        root.mkdir()
        for name, data in files:
            (root / name).write_bytes(data)
        locations_before = Location.objects.count()
        failures_before = IngestFailure.objects.filter(input_path__startswith=tmp).count()
        summary = ingest_paths(
            [root], collection="fuzz", blobs=BlobStore(Path(tmp) / "b"), workers=0
        )
        stored = Location.objects.count() - locations_before
        assert stored == summary.new + summary.duplicate
        recorded = IngestFailure.objects.filter(input_path__startswith=tmp).count()
        assert recorded - failures_before <= summary.failed
        assert summary.failed == 0 or recorded > 0
