"""``dossier token create | list | revoke``: personal API tokens, managed by the local operator.

The secret is printed once, alone on standard output (so ``TOKEN=$(dossier token create …)``
works), and is never stored: only its SHA-256 is. The operator is audited as ``cli:<os user>``.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from dossier.cli.common import (
    JsonOption,
    WorkspaceOption,
    console,
    domain_errors,
    err_console,
    open_ws,
    print_json,
    strip_controls,
    term,
)

token_app = typer.Typer(
    help="Create, list and revoke personal API tokens (Authorization: Bearer dos_...).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)


def _when(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "-"


@token_app.command("create")
@domain_errors
def token_create(
    username: Annotated[str, typer.Argument(help="The user the token acts as.")],
    name: Annotated[
        str, typer.Option("--name", "-n", help="What the token is for (shown in lists).")
    ],
    json_out: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Make a token for USERNAME and print its secret, once: it cannot be shown again."""
    open_ws(workspace)
    from dossier.api import services

    user = services.user_named(username)
    token, secret = services.token_create(user=user, name=name, by=None)
    if json_out:
        print_json({**services.token_json(token), "secret": secret})
        return
    err_console.print(
        f"token {token.id} ({term(token.name)}) for {term(username)}; "
        "the secret below is shown only now:"
    )
    typer.echo(secret)


@token_app.command("list")
@domain_errors
def token_list(
    username: Annotated[
        str | None, typer.Argument(help="Only this user's tokens (default: everyone's).")
    ] = None,
    json_out: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """List tokens, newest first: id, user, name, prefix, created, last used, revoked."""
    open_ws(workspace)
    from dossier.api import services

    tokens = services.token_list(username=username)
    if json_out:
        print_json(tokens)
        return
    table = Table("id", "user", "name", "prefix", "created", "last used", "revoked")
    for t in tokens:
        table.add_row(
            str(t["id"]), term(t["user"]), term(t["name"]), term(t["prefix"]) + "…",
            _when(t["created_at"]), _when(t["last_used_at"]), _when(t["revoked_at"]),
        )  # fmt: skip
    console().print(table)


@token_app.command("revoke")
@domain_errors
def token_revoke(
    token_id: Annotated[int, typer.Argument(min=1, help="The token's id (see token list).")],
    workspace: WorkspaceOption = None,
) -> None:
    """Revoke a token: it stops working at once. Revoking twice changes nothing."""
    open_ws(workspace)
    from dossier.api import services

    token = services.token_revoke(user=None, token_id=token_id, by=None)
    typer.echo(strip_controls(f"revoked token {token.id} ({token.name}) of {token.user.username}"))
