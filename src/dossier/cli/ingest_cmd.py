"""``dossier ingest``: read mail into the workspace; ``--failures`` lists what could not be read."""

from __future__ import annotations

from pathlib import Path
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
from dossier.errors import BadInput


@domain_errors
def ingest(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="mbox files, Maildir folders, .eml/.msg/.pst files, .zip archives, or folders "
            "holding any of these.",
            show_default=False,
        ),
    ] = None,
    collection: Annotated[
        str, typer.Option("--collection", "-c", help="Collection to file the messages under.")
    ] = "default",
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=0,
            help="Parser processes (0 = parse in this process).",
            show_default="number of cores, at most 8",
        ),
    ] = None,
    ocr: Annotated[bool, typer.Option("--ocr", help="OCR image attachments (tesseract).")] = False,
    batch_size: Annotated[
        int,
        typer.Option("--batch-size", min=1, max=100_000, help="Messages per transaction."),
    ] = 1000,
    failures: Annotated[
        bool, typer.Option("--failures", help="List the members that failed to ingest, and exit.")
    ] = False,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="No progress; summary only.")
    ] = False,
    json_out: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Ingest mail into the workspace: new messages are stored, copies become extra locations,
    unreadable members are recorded as failures, and a rerun adds nothing."""
    ws = open_ws(workspace)
    if failures:
        _list_failures(json_out)
        return
    if not paths:
        raise BadInput("give at least one PATH to ingest (or --failures to list failures)")
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise BadInput(f"no such file or folder: {', '.join(missing)}")
    from dossier.cli.progress import RichProgress
    from dossier.corpus.ingest.pipeline import Progress, ingest_paths

    show = not (quiet or json_out)
    kwargs = dict(
        collection=collection,
        blobs=ws.blobs,
        workers=workers,
        ocr=ocr or ws.settings.ocr,
        start_method="forkserver",  # smaller workers; our entry point is import-safe
    )
    if show:
        with RichProgress(err_console) as bar:
            summary = ingest_paths(paths, progress=bar, **kwargs)
            bar.finish()
    else:
        summary = ingest_paths(paths, progress=Progress(), **kwargs)
    if json_out:
        print_json(summary.to_json())
    elif not quiet:
        _print_summary(summary)
    else:
        typer.echo(
            f"{summary.new} new, {summary.duplicate} duplicate, {summary.skipped} already stored, "
            f"{summary.failed} failed"
        )


def _print_summary(summary) -> None:
    out = console()
    table = Table(title=f"Ingest into collection '{summary.collection}'", show_header=False)
    rows = [
        ("messages new", f"{summary.new:,}"),
        ("duplicates (new locations)", f"{summary.duplicate:,}"),
        ("already stored (skipped)", f"{summary.skipped:,}"),
        ("unchanged inputs skipped", f"{summary.unchanged_inputs:,}"),
        ("failed", f"{summary.failed:,}"),
        ("attachments", f"{summary.attachments:,}"),
        ("elapsed", f"{summary.elapsed:.1f} s"),
        ("messages/s", f"{summary.messages_per_second:,.0f}"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    out.print(table)
    if summary.failed:
        out.print("See what failed and why: dossier ingest --failures")


def _list_failures(json_out: bool) -> None:
    from dossier.corpus.models import IngestFailure

    rows = IngestFailure.objects.order_by("input_path", "position", "id")
    if json_out:
        print_json(
            [
                {
                    "path": f.input_path,
                    "position": f.position,
                    "reason": f.reason,
                    "run_id": f.run_id,
                    "recorded": f.created_at.isoformat(),
                }
                for f in rows
            ]
        )
        return
    out = console()
    if not rows.exists():
        out.print("No failures recorded.")
        return
    table = Table("path", "position", "reason")
    for f in rows.iterator():
        table.add_row(term(f.input_path), term(f.position or "-"), term(f.reason))
    out.print(table)
