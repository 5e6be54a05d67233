"""The ``dossier`` command: thin commands over the corpus services.

Start-up stays light: Django and the corpus modules are imported inside each command, so
``dossier --help`` and usage errors never open a database.
"""

from __future__ import annotations

import typer

from dossier import __version__
from dossier.cli import admin_cmds, corpus_cmds, demo_cmd, ingest_cmd, serve_cmd, token_cmd

app = typer.Typer(
    name="dossier",
    help="Ingest, thread and search email troves. Run `dossier demo` for a guided start.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"dossier {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Ingest, thread and search email troves. Run `dossier demo` for a guided start."""


app.command("ingest")(ingest_cmd.ingest)
app.command("search")(corpus_cmds.search)
app.command("show")(corpus_cmds.show)
app.command("thread")(corpus_cmds.thread)
app.command("stats")(corpus_cmds.stats)
app.command("export")(corpus_cmds.export)
app.command("demo")(demo_cmd.demo)
app.command("serve")(serve_cmd.serve)
app.add_typer(admin_cmds.user_app, name="user")
app.add_typer(admin_cmds.collection_app, name="collection")
app.add_typer(admin_cmds.audit_app, name="audit")
app.add_typer(token_cmd.token_app, name="token")


def run() -> None:
    app()
