"""Executable documentation: docs/cli.md is generated from --help and must match the code."""

from pathlib import Path

from dossier.cli import docs
from dossier.cli.main import app

ROOT = Path(__file__).resolve().parent.parent


def test_cli_reference_is_current():
    expected = docs.render()
    actual = (ROOT / "docs" / "cli.md").read_text()
    assert actual == expected, "docs/cli.md is stale: run `make docs`"


def test_every_command_is_documented_and_has_help():
    registered = {c.name for c in app.registered_commands}
    assert registered == set(docs.COMMANDS)
    for name in docs.COMMANDS:
        text = docs.help_text(name)
        assert "--workspace" in text, f"{name} lacks --workspace"
        body = text.split("Options:")[0]
        assert len(body.strip().splitlines()) >= 3, f"{name} has no help text"
