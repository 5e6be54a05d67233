"""``dossier user | collection | audit`` and the export audit event, through the real CLI."""

from __future__ import annotations

import getpass
import json

import pytest
from django.contrib.auth.models import User
from typer.testing import CliRunner

from dossier.audit.models import AuditEvent
from dossier.cli.main import app
from tests.audit.tamper import drop_triggers, set_details
from tests.test_cli import ingest_sample

pytestmark = pytest.mark.django_db
GOOD = "correct horse battery staple"


@pytest.fixture
def ws(tmp_path, monkeypatch, settings):
    monkeypatch.setenv("DOSSIER_HOME", str(tmp_path / "ws"))
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return tmp_path / "ws"


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(app, list(args), input=stdin, catch_exceptions=False)


def ok(*args: str, stdin: str | None = None) -> str:
    result = run(*args, stdin=stdin)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_user_add_reads_the_password_from_stdin(ws) -> None:
    out = ok("user", "add", "ana", "--role", "analyst", stdin=GOOD + "\n")
    assert "added user ana (analyst)" in out
    user = User.objects.get(username="ana")
    assert user.check_password(GOOD) and user.profile.role == "analyst"
    event = AuditEvent.objects.get()
    assert (event.action, event.actor_username) == ("user.add", f"cli:{getpass.getuser()}")
    assert GOOD not in json.dumps(event.details)


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("user", "add", "ana", "--role", "analyst"), "short\n", "at least 10 characters"),
        (("user", "add", "ana", "--role", "wizard"), GOOD + "\n", "unknown role"),
        (("user", "disable", "ghost"), None, "no user 'ghost'"),
        (("user", "set-role", "ghost", "reader"), None, "no user 'ghost'"),
        (("collection", "grant", "ghost", "default"), None, "no user 'ghost'"),
    ],
)
def test_errors_exit_1_with_a_message(ws, args, stdin, message) -> None:
    result = run(*args, stdin=stdin)
    assert result.exit_code == 1
    assert message in " ".join(result.stderr.split()) and "Traceback" not in result.output
    assert not AuditEvent.objects.exists()


def test_user_add_needs_a_role_option(ws) -> None:
    assert run("user", "add", "ana", stdin=GOOD).exit_code == 2


def test_user_list_set_role_disable(ws) -> None:
    ok("user", "add", "ana", "--role", "reader", stdin=GOOD)
    ok("user", "add", "bob", "-r", "supervisor", stdin=GOOD)
    assert "ana is now editor" in ok("user", "set-role", "ana", "editor")
    assert "disabled user bob" in ok("user", "disable", "bob")
    users = json.loads(ok("user", "list", "--json"))
    assert [(u["username"], u["role"], u["active"]) for u in users] == [
        ("ana", "editor", True),
        ("bob", "supervisor", False),
    ]
    human = ok("user", "list")
    assert "ana" in human and "editor" in human and "never" in human
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["user.add", "user.add", "user.set_role", "user.disable"]


def test_collection_grant_revoke_list(tmp_path, ws) -> None:
    ingest_sample(tmp_path, ws)
    ok("user", "add", "ana", "--role", "reader", stdin=GOOD)
    assert "granted default to ana" in ok("collection", "grant", "ana", "default")
    listed = json.loads(ok("collection", "list", "--json"))
    assert listed == [{"name": "default", "messages": 3, "granted_to": ["ana"]}]
    assert json.loads(ok("user", "list", "--json"))[0]["collections"] == ["default"]
    assert "revoked default from ana" in ok("collection", "revoke", "ana", "default")
    assert json.loads(ok("collection", "list", "--json"))[0]["granted_to"] == []
    assert run("collection", "revoke", "ana", "default").exit_code == 1
    assert run("collection", "grant", "ana", "nope").exit_code == 1
    assert "default" in ok("collection", "list")


def test_audit_verify_intact_and_broken(ws) -> None:
    ok("user", "add", "ana", "--role", "reader", stdin=GOOD)
    ok("user", "set-role", "ana", "editor")
    ok("user", "disable", "ana")
    assert ok("audit", "verify").startswith("chain intact: 3 events")
    data = json.loads(ok("audit", "verify", "--json"))
    assert (data["ok"], data["checked"], data["first_broken"]) == (True, 3, None)
    drop_triggers()
    set_details(2, {"from": "reader", "to": "admin"})
    broken = run("audit", "verify")
    assert broken.exit_code == 1
    assert "chain broken at seq 2" in broken.stderr and "content changed" in broken.stderr
    data = json.loads(run("audit", "verify", "--json").stdout)
    assert (data["ok"], data["first_broken"], data["checked"]) == (False, 2, 1)


def test_audit_log_filters_and_records_reading(ws) -> None:
    ok("user", "add", "ana", "--role", "reader", stdin=GOOD)
    ok("user", "set-role", "ana", "editor")
    events = json.loads(ok("audit", "log", "--json"))
    assert [e["action"] for e in events] == ["user.set_role", "user.add"]  # newest first
    assert set(events[0]) == {"seq", "created_at", "action", "actor", "target", "details",
                              "ip", "hash"}  # fmt: skip
    assert [e["action"] for e in json.loads(ok("audit", "log", "--action", "user.add", "--json"))]\
        == ["user.add"]  # fmt: skip
    assert json.loads(ok("audit", "log", "--user", "nobody", "--json")) == []
    assert json.loads(ok("audit", "log", "--since", "2999-01-01", "--json")) == []
    assert len(json.loads(ok("audit", "log", "--action", "user.", "-n", "1", "--json"))) == 1
    views = AuditEvent.objects.filter(action="audit.view")
    assert views.count() == 5 and views.first().details["action"] is None
    assert run("audit", "log", "--since", "yesterday").exit_code == 1
    assert "user.set_role" in ok("audit", "log")


def test_export_records_its_query_and_count(tmp_path, ws) -> None:
    ingest_sample(tmp_path, ws)
    out = tmp_path / "out.mbox"
    assert run("export", "informant", "-o", str(out)).exit_code == 0
    event = AuditEvent.objects.get(action="export.run")
    assert event.details == {"query": "informant", "format": "mbox", "count": 3,
                             "output": str(out)}  # fmt: skip
    assert event.actor_username == f"cli:{getpass.getuser()}"
    assert ok("audit", "verify").startswith("chain intact: 1 events")


@pytest.mark.parametrize(
    "words",
    [("user", "add"), ("user", "list"), ("user", "disable"), ("user", "set-role"),
     ("user", "enable"), ("user", "set-password"),
     ("collection", "grant"), ("collection", "revoke"), ("collection", "list"),
     ("audit", "verify"), ("audit", "log")],
)  # fmt: skip
def test_every_admin_command_has_help_and_workspace(words) -> None:
    from dossier.cli.docs import groups, help_text

    assert words[1] in groups()[words[0]]
    text = help_text(*words)
    assert "--workspace" in text and len(text.split("Options:")[0].strip().splitlines()) >= 3


def test_user_enable_and_set_password(ws) -> None:
    ok("user", "add", "ana", "--role", "reader", stdin=GOOD)
    ok("user", "disable", "ana")
    assert "enabled user ana" in ok("user", "enable", "ana")
    assert "password of ana changed" in ok(
        "user", "set-password", "ana", stdin="new long passphrase\n"
    )
    user = User.objects.get(username="ana")
    assert user.is_active and user.check_password("new long passphrase")
    assert run("user", "set-password", "ana", stdin="tiny\n").exit_code == 1
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["user.add", "user.disable", "user.enable", "user.set_password"]
