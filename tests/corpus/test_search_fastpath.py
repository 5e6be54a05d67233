"""``search --count`` without Django gives exactly the service's counts, or steps aside."""

from __future__ import annotations

import json

import pytest

from dossier.corpus.search import fastpath
from dossier.settings import Settings
from tests.e2e_helpers import cli_env, dossier
from tests.test_cli import make_mbox

QUERIES = [
    "informant",
    '"border report"',
    "ledg*",
    "from:firm.example -subject:re",
    "date:2011-08-01..2011-08-02 OR filename:ledger.csv",
    "has:attachment collection:default",
    "-plaza",
]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_fast_count_equals_service_count(tmp_path):
    env = cli_env(tmp_path / "ws")
    dossier("ingest", "--quiet", "--workers", "0", str(make_mbox(tmp_path / "in.mbox")), env=env)
    settings = Settings(home=tmp_path / "ws", database_url=env.get("DOSSIER_DATABASE_URL"))
    for query in QUERIES:
        fast = fastpath.count(settings, query)
        assert fast is not None, query
        hits = json.loads(dossier("search", "--json", "-n", "1", "--", query, env=env).stdout)
        assert fast == hits["total"], query
        assert dossier("search", "--count", "--", query, env=env).stdout.strip() == str(fast)


def test_fast_path_steps_aside_for_a_new_workspace(tmp_path):
    assert fastpath.count(Settings(home=tmp_path), "anything") is None
    assert fastpath.latest_migration().startswith("00")
