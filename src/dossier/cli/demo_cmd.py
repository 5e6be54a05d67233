"""``dossier demo``: build a sample workspace from the project's own generated corpus."""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path
from typing import Annotated

import typer

from dossier.cli.common import WorkspaceOption, console, domain_errors, err_console, open_ws, term

DEMO_HOME = "dossier-demo"


@domain_errors
def demo(
    messages: Annotated[
        int, typer.Option("--messages", min=50, max=200_000, help="Size of the sample corpus.")
    ] = 3000,
    seed: Annotated[
        int, typer.Option("--seed", help="Generator seed (same seed, same corpus).")
    ] = 714,
    workers: Annotated[
        int | None, typer.Option("--workers", min=0, help="Parser processes.")
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Generate a sample trove (threads, attachments, charsets, malformed mail, coded-source
    insight reports), ingest it with progress, and print searches to try.

    The workspace defaults to ./dossier-demo (or $DOSSIER_HOME), so demo data stays apart."""
    if workspace is None and not os.environ.get("DOSSIER_HOME"):
        workspace = Path(DEMO_HOME)
    ws = open_ws(workspace)
    from dossier.cli.progress import RichProgress
    from dossier.corpus.ingest.pipeline import ingest_paths

    out = console()
    manifest = _corpus(ws.home / f"demo-corpus-{messages}-{seed}", messages, seed, out)
    with RichProgress(err_console) as bar:
        summary = ingest_paths(
            manifest.inputs, collection="demo", blobs=ws.blobs, workers=workers, progress=bar
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
