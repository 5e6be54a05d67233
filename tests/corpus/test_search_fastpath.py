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


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_the_entry_point_answers_plain_counts_before_loading_the_command_line(tmp_path):
    """``dossier search QUERY --count [-w DIR]`` prints what the full command prints, without
    importing typer or Django (``cli/fast.py``); other forms go to the full command line."""
    import subprocess
    import sys

    env = cli_env(tmp_path / "ws")
    dossier("ingest", "--quiet", "--workers", "0", str(make_mbox(tmp_path / "in.mbox")), env=env)
    for query in [q for q in QUERIES if not q.startswith("-")]:
        full = dossier("search", "--count", "--", query, env=env).stdout
        early = dossier("search", query, "--count", "-w", str(tmp_path / "ws"), env=env)
        assert early.stdout == full
        probe = (
            "import sys; from dossier.cli.fast import answer_count; "
            f"ok = answer_count(['search', {query!r}, '--count']); "
            "print(ok, 'typer' in sys.modules, 'django.db' in sys.modules, file=sys.stderr)"
        )
        result = subprocess.run(
            [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
        )
        assert result.stdout == full and result.stderr.split() == ["True", "False", "False"]


@pytest.mark.parametrize(
    ("argv", "parsed"),
    [
        (["search", "falcon", "--count"], ("falcon", None)),
        (["search", "--count", "-w", "/ws", "a b"], ("a b", "/ws")),
        (["search", "--workspace=/ws", "--count", "x"], ("x", "/ws")),
        (["search", "falcon", "--count", "--json"], None),
        (["search", "--count", "--", "-plaza"], None),
        (["search", "falcon", "--count", "--limit", "3"], None),
        (["search", "falcon", "other", "--count"], None),
        (["search", "falcon"], None),
        (["show", "falcon", "--count"], None),
        (["search", "--count", "-w"], None),
    ],
)
def test_only_the_plain_count_form_is_answered_early(argv, parsed):
    from dossier.cli.fast import _plain_count

    assert _plain_count(argv) == parsed
