"""``dossier demo``: build a sample workspace from the project's own generated corpus."""

from __future__ import annotations

import json
import os
import secrets
import shlex
from pathlib import Path
from typing import Annotated

import typer

from dossier.cli.common import WorkspaceOption, console, domain_errors, err_console, open_ws, term
from dossier.cli.serve_cmd import HostOption, PortOption, run_server, url_of

DEMO_HOME = "dossier-demo"
DEMO_ADMIN = "admin"


@domain_errors
def demo(
    messages: Annotated[
        int, typer.Option("--messages", min=150, max=200_000, help="Size of the sample corpus.")
    ] = 3000,
    seed: Annotated[
        int, typer.Option("--seed", help="Generator seed (same seed, same corpus).")
    ] = 714,
    workers: Annotated[
        int | None, typer.Option("--workers", min=0, help="Parser processes.")
    ] = None,
    workspace: WorkspaceOption = None,
    serve: Annotated[
        bool,
        typer.Option(
            "--serve/--no-serve", help="Serve the web application when the demo is ready."
        ),
    ] = True,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8000,
    web_workers: Annotated[
        int, typer.Option("--web-workers", min=1, max=64, help="Gunicorn worker processes.")
    ] = 2,
) -> None:
    """Generate a sample trove (threads, attachments, charsets, malformed mail, coded-source
    insight reports), ingest it with progress, print searches to try, then serve the web app.

    An `admin` user is created (or reset) with a new one-time password, printed once, and granted
    the demo collection. The workspace defaults to ./dossier-demo (or $DOSSIER_HOME), so demo
    data stays apart."""
    if workspace is None and not os.environ.get("DOSSIER_HOME"):
        workspace = Path(DEMO_HOME)
    ws = open_ws(workspace)
    from dossier.cli.progress import RichProgress
    from dossier.corpus.ingest.pipeline import ingest_paths

    out = console()
    manifest = _corpus(ws.home / f"demo-corpus-{messages}-{seed}", messages, seed, out)
    with RichProgress(err_console) as bar:
        summary = ingest_paths(
            manifest.inputs,
            collection="demo",
            blobs=ws.blobs,
            workers=workers,
            progress=bar,
            start_method="forkserver",
        )
        bar.finish()
    out.print(
        f"\n[bold]Demo workspace ready[/] at {term(ws.describe())}: "
        f"{summary.new:,} new messages, "
        f"{summary.duplicate:,} duplicates, {summary.failed:,} failed, "
        f"{summary.attachments:,} attachments, {summary.messages_per_second:,.0f} messages/s."
    )
    flag = f"--workspace {shlex.quote(str(workspace))} " if workspace is not None else ""
    out.print("\nTry:")
    for query in _examples(manifest):
        out.print(f"  dossier search {flag}{term(shlex.quote(query))}")
    out.print(f"  dossier search {flag}--facets 'from:agency.example'")
    out.print(f"  dossier stats {flag}".rstrip())
    out.print(f"  dossier ingest {flag}--failures")
    password = _demo_admin()
    url = url_of(host, port)
    out.print(
        f"\n[bold]Web:[/] {term(url)}  user [bold]{DEMO_ADMIN}[/]  "
        f"password [bold]{term(password)}[/] (one-time: shown now only, reset by each demo run)"
    )
    if not serve:
        out.print(f"Serve it with: dossier serve {flag}--port {port}")
        return
    out.print(f"Serving at {term(url)} (Ctrl-C stops)")
    run_server(host=host, port=port, workers=web_workers)


def _demo_admin() -> str:
    """Create the demo's ``admin`` (or reset its password and role, and enable it); grant it
    the demo collection. Each step is an audited account operation."""
    from django.contrib.auth import get_user_model

    from dossier.accounts import services

    password = secrets.token_urlsafe(18)
    if get_user_model().objects.filter(username=DEMO_ADMIN).exists():
        services.user_set_password(username=DEMO_ADMIN, password=password)
        services.user_set_role(username=DEMO_ADMIN, role="admin")
        services.user_enable(username=DEMO_ADMIN)
    else:
        services.user_add(username=DEMO_ADMIN, password=password, role="admin")
    services.collection_grant(username=DEMO_ADMIN, collection="demo")
    return password


def _corpus(folder: Path, messages: int, seed: int, out):
    """Generate the sample corpus, or reuse the one an earlier ``demo`` wrote (same bytes)."""
    from dossier.demo.generator import generate
    from dossier.demo.manifest import Manifest

    saved = folder / "manifest.json"
    if saved.exists():
        out.print(f"Reusing the sample corpus in {term(str(folder))}")
        return Manifest.from_json(folder, json.loads(saved.read_text(encoding="utf-8")))
    out.print(f"Generating {messages:,} sample messages in {term(str(folder))} ...")
    return generate(folder, messages=messages, seed=seed)


def _examples(manifest) -> list[str]:
    preferred = [
        '"hit men"',
        "US714 OR subject:insight",
        "attachment:ledger has:attachment",
        "date:2011-01..2011-06 informants -subject:re",
    ]
    return list(dict.fromkeys(preferred + list(manifest.searches)))[:7]
