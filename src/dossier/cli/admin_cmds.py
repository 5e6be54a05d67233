"""``dossier user | collection | audit``: manage access and read the audit log from the shell.

The local operator acts with ``by=None`` and is recorded as ``cli:<os user>`` in the log.
"""

from __future__ import annotations

import sys
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
    term,
)

_SUB = {"no_args_is_help": True, "add_completion": False, "rich_markup_mode": None}
user_app = typer.Typer(
    help="Add, list, disable and enable users; set their role or password.", **_SUB
)
collection_app = typer.Typer(help="Grant and revoke users' access to collections.", **_SUB)
audit_app = typer.Typer(help="Verify and read the audit log.", **_SUB)

UsernameArg = Annotated[str, typer.Argument(help="The user's sign-in name.")]
CollectionArg = Annotated[str, typer.Argument(help="The collection's name, as given at ingest.")]
ROLES = "admin, supervisor, editor, analyst, handler or reader"


def read_password() -> str:
    """From standard input when it is not a terminal (first line), else prompted twice."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True)


@user_app.command("add")
@domain_errors
def user_add(
    username: UsernameArg,
    role: Annotated[str, typer.Option("--role", "-r", help=f"One of {ROLES}.")],
    workspace: WorkspaceOption = None,
) -> None:
    """Create a user with ROLE and no collections. The password is read from standard input
    when it is not a terminal, else prompted for twice (at least 10 characters)."""
    password = read_password()
    open_ws(workspace)
    from dossier.accounts import services

    services.user_add(username=username, password=password, role=role, by=None)
    typer.echo(f"added user {username} ({role.lower()}); grant collections to let them read")


@user_app.command("list")
@domain_errors
def user_list(json_out: JsonOption = False, workspace: WorkspaceOption = None) -> None:
    """List users: role, whether active, collections granted, last sign-in."""
    open_ws(workspace)
    from dossier.accounts import services

    users = services.user_list()
    if json_out:
        print_json(users)
        return
    table = Table("user", "role", "active", "collections", "last login")
    for u in users:
        table.add_row(
            term(u["username"]), u["role"] or "(none)", "yes" if u["active"] else "no",
            term(", ".join(u["collections"]) or "-"), u["last_login"] or "never",
        )  # fmt: skip
    console().print(table)


@user_app.command("disable")
@domain_errors
def user_disable(username: UsernameArg, workspace: WorkspaceOption = None) -> None:
    """Stop a user from signing in (their history stays)."""
    open_ws(workspace)
    from dossier.accounts import services

    services.user_disable(username=username, by=None)
    typer.echo(f"disabled user {username}")


@user_app.command("enable")
@domain_errors
def user_enable(username: UsernameArg, workspace: WorkspaceOption = None) -> None:
    """Let a disabled user sign in again."""
    open_ws(workspace)
    from dossier.accounts import services

    services.user_enable(username=username, by=None)
    typer.echo(f"enabled user {username}")


@user_app.command("set-password")
@domain_errors
def user_set_password(username: UsernameArg, workspace: WorkspaceOption = None) -> None:
    """Set a user's password: read from standard input when it is not a terminal, else
    prompted for twice (at least 10 characters)."""
    password = read_password()
    open_ws(workspace)
    from dossier.accounts import services

    services.user_set_password(username=username, password=password, by=None)
    typer.echo(f"password of {username} changed")


@user_app.command("set-role")
@domain_errors
def user_set_role(
    username: UsernameArg,
    role: Annotated[str, typer.Argument(help=f"The new role: {ROLES}.")],
    workspace: WorkspaceOption = None,
) -> None:
    """Change a user's role."""
    open_ws(workspace)
    from dossier.accounts import services

    services.user_set_role(username=username, role=role, by=None)
    typer.echo(f"user {username} is now {role.lower()}")


@collection_app.command("grant")
@domain_errors
def collection_grant(
    username: UsernameArg, collection: CollectionArg, workspace: WorkspaceOption = None
) -> None:
    """Let USERNAME see the messages of COLLECTION."""
    open_ws(workspace)
    from dossier.accounts import services

    services.collection_grant(username=username, collection=collection, by=None)
    typer.echo(f"granted {collection} to {username}")


@collection_app.command("revoke")
@domain_errors
def collection_revoke(
    username: UsernameArg, collection: CollectionArg, workspace: WorkspaceOption = None
) -> None:
    """Take COLLECTION away from USERNAME."""
    open_ws(workspace)
    from dossier.accounts import services

    services.collection_revoke(username=username, collection=collection, by=None)
    typer.echo(f"revoked {collection} from {username}")


@collection_app.command("list")
@domain_errors
def collection_list(json_out: JsonOption = False, workspace: WorkspaceOption = None) -> None:
    """List collections, their message counts, and who has been granted each."""
    open_ws(workspace)
    from dossier.accounts import services

    rows = services.collection_list()
    if json_out:
        print_json(rows)
        return
    table = Table("collection", "messages", "granted to")
    for c in rows:
        table.add_row(
            term(c["name"]), f"{c['messages']:,}", term(", ".join(c["granted_to"]) or "-")
        )
    console().print(table)


@audit_app.command("verify")
@domain_errors
def audit_verify(json_out: JsonOption = False, workspace: WorkspaceOption = None) -> None:
    """Recompute the hash chain; exit 1 and name the first broken event if it does not hold."""
    open_ws(workspace)
    from dossier.audit.verify import audit_verify as verify

    result = verify()
    if json_out:
        print_json(result.__dict__)
    elif result.ok:
        typer.echo(f"chain intact: {result.checked} events (head {result.head})")
    else:
        err_console.print(
            f"[bold red]chain broken at seq {result.first_broken}:[/] {result.reason}"
        )
    if not result.ok:
        raise typer.Exit(1)


@audit_app.command("log")
@domain_errors
def audit_log(
    user: Annotated[str | None, typer.Option("--user", help="Only events by this user.")] = None,
    action: Annotated[
        str | None,
        typer.Option("--action", help="Only this action, or a prefix ending in '.' (auth.)."),
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Only events on or after YYYY-MM-DD (UTC).")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=10000, help="Events to show.")
    ] = 100,
    json_out: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Show audit events, newest first. Reading the log is itself recorded."""
    open_ws(workspace)
    from django.db import transaction

    from dossier.audit.selectors import audit_events
    from dossier.audit.services import audit_record, cli_operator

    with transaction.atomic():
        events = audit_events(username=user, action=action, since=since, limit=limit)
        query = {"user": user, "action": action, "since": since, "limit": limit}
        audit_record(action="audit.view", target="audit", details=query,
                     actor_username=cli_operator())  # fmt: skip
    if json_out:
        print_json(events)
        return
    table = Table("seq", "time (UTC)", "action", "actor", "target", "details", "ip")
    for e in events:
        details = ", ".join(f"{k}={v}" for k, v in sorted((e["details"] or {}).items()))
        table.add_row(
            str(e["seq"]), e["created_at"][:19].replace("T", " "), e["action"],
            term(e["actor"] or "-"), term(e["target"]), term(details), e["ip"],
        )  # fmt: skip
    console().print(table)
