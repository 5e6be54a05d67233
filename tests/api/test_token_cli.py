"""``dossier token create | list | revoke`` on the test database."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from dossier.api.models import ApiToken
from dossier.api.services import token_authenticate
from dossier.audit.models import AuditEvent
from dossier.cli.main import app

pytestmark = pytest.mark.django_db


@pytest.fixture
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_HOME", str(tmp_path / "ws"))
    return str(tmp_path / "ws")


def run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def test_create_prints_the_secret_once_list_and_revoke(ws, make_user) -> None:
    alice = make_user("alice", "analyst", [])
    made = run("token", "create", "alice", "--name", "ci job", "--workspace", ws)
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[-1]
    assert secret.startswith("dos_") and token_authenticate(secret) == alice
    assert "shown only now" in made.stderr

    listed = run("token", "list", "alice", "--json", "--workspace", ws)
    (row,) = json.loads(listed.stdout)
    assert (row["user"], row["name"], row["prefix"]) == ("alice", "ci job", secret[:8])
    assert secret not in listed.stdout
    assert "ci job" in run("token", "list", "--workspace", ws).stdout

    revoked = run("token", "revoke", str(row["id"]), "--workspace", ws)
    assert revoked.exit_code == 0 and token_authenticate(secret) is None
    events = AuditEvent.objects.filter(action__startswith="token.").order_by("seq")
    assert [(e.action, e.actor_username.startswith("cli:")) for e in events] == [
        ("token.create", True),
        ("token.revoke", True),
    ]


def test_create_json_and_errors(ws, make_user) -> None:
    make_user("bob", "reader", [])
    data = json.loads(run("token", "create", "bob", "-n", "x", "--json", "-w", ws).stdout)
    assert data["secret"].startswith("dos_") and data["user"] == "bob"
    assert ApiToken.objects.get(id=data["id"]).token_hash != data["secret"]
    missing = run("token", "create", "nobody", "--name", "x", "--workspace", ws)
    assert missing.exit_code == 1 and "no user" in missing.stderr
    assert run("token", "revoke", "999999", "--workspace", ws).exit_code == 1
    assert run("token", "list", "nobody", "--workspace", ws).exit_code == 1
    assert run("token", "create", "bob", "--name", " ", "--workspace", ws).exit_code == 1
