"""``dossier search | show | thread | stats | export``: read the corpus."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.tree import Tree

from dossier.cli.common import (
    JsonOption,
    WorkspaceOption,
    console,
    domain_errors,
    open_ws,
    print_json,
    strip_controls,
    term,
)

QueryArg = Annotated[str, typer.Argument(help="A query; see docs/query-language.md.")]


@domain_errors
def search(
    query: QueryArg,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=1000, help="Hits to show.")
    ] = 20,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Hits to skip.")] = 0,
    count: Annotated[bool, typer.Option("--count", help="Print only the number of hits.")] = False,
    facets: Annotated[
        bool, typer.Option("--facets", help="Counts by sender, sender domain, month, collection.")
    ] = False,
    sort: Annotated[
        str, typer.Option("--sort", help="relevance, newest or oldest first.")
    ] = "relevance",
    json_out: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Search messages: words, "phrases", prefix*, AND/OR/NOT/-, (groups), and fields such as
    from: to: cc: subject: body: attachment: filename: has:attachment date: collection: thread:."""
    if count:
        _count(query, json_out, workspace)
        return
    open_ws(workspace)
    from dossier.corpus.search import service

    result = service.search(query, limit=limit, offset=offset, facets=facets, sort=sort)
    if json_out:
        print_json(
            {
                "query": query,
                "total": result.total,
                "offset": result.offset,
                "limit": result.limit,
                "hits": [service.hit_to_json(h) for h in result.hits],
                **({"facets": result.facets} if facets else {}),
            }
        )
        return
    _print_hits(result, service)
    if facets and result.facets:
        _print_facets(result.facets)


def _count(query: str, json_out: bool, workspace: Path | None) -> None:
    """``--count``: answered without setting Django up when the workspace allows (fastpath.py)."""
    from dossier import settings
    from dossier.corpus.search import fastpath

    if workspace is not None:
        os.environ["DOSSIER_HOME"] = str(workspace.expanduser().resolve())
    total = fastpath.count(settings.from_env(), query)
    if total is None:
        open_ws(workspace)
        from dossier.corpus.search import service

        total = service.count(query)
    print_json({"query": query, "count": total}) if json_out else typer.echo(total)


def _print_hits(result, service) -> None:
    out = console()
    shown = f"{result.offset + 1}-{result.offset + len(result.hits)}" if result.hits else "0"
    noun = "message matches" if result.total == 1 else "messages match"
    out.print(f"[bold]{result.total:,}[/] {noun}; showing {shown}")
    for hit in result.hits:
        date = hit.date.strftime("%Y-%m-%d %H:%M") if hit.date else "(no date)"
        sender = term(hit.from_name or hit.from_addr or "(no sender)")
        out.print(
            f"\n[bold cyan]{hit.id}[/]  {date}  [green]{sender}[/]  "
            f"[dim]thread {hit.thread_id} ({hit.thread_size})  {term(hit.collection)}[/]"
        )
        out.print(f"  [bold]{term(hit.subject or '(no subject)')}[/]")
        if hit.snippet:
            out.print("  " + service.snippet_rich(strip_controls(hit.snippet, keep="\x02\x03")))


def _print_facets(facets: dict) -> None:
    out = console()
    for name, facet in facets.items():
        table = Table(title=name, show_header=False, title_justify="left")
        if isinstance(facet, dict) and facet.get("timed_out"):
            table.add_row("(timed out)", "")
        else:
            values = facet.get("values", facet) if isinstance(facet, dict) else facet
            for row in values:
                table.add_row(term(str(row.get("value") or "(unknown)")), f"{row['count']:,}")
        out.print(table)


@domain_errors
def show(
    ref: Annotated[str, typer.Argument(help="Message id (a number) or Message-ID.")],
    raw: Annotated[bool, typer.Option("--raw", help="Print the original bytes as stored.")] = False,
    json_out: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Show one message: headers, body, attachments, and every place it was found."""
    ws = open_ws(workspace)
    from dossier.corpus import selectors

    message = selectors.get_message(ref)
    if raw:
        sys.stdout.buffer.write(ws.blobs.read(message.raw_id))
        sys.stdout.buffer.flush()
        return
    detail = selectors.message_detail(message, ws.blobs)
    if json_out:
        print_json(detail)
        return
    out = console()
    for name in ("From", "To", "Cc", "Date", "Subject", "Message-ID"):
        values = [v for n, v in detail["headers"] if n.lower() == name.lower()]
        if values:
            out.print(f"[bold]{name}:[/] {term(values[0])}")
    out.print(
        f"[dim]id {detail['id']}  thread {detail['thread_id']}  {term(detail['collection'])}[/]\n"
    )
    out.print(term(detail["body"]))
    for a in detail["attachments"]:
        out.print(
            f"[bold]attachment[/] {term(a['filename'] or '(no name)')}  {term(a['content_type'])}  "
            f"{a['size']:,} bytes  text {a['text_length']:,} chars  sha256 {a['sha256'][:12]}"
        )
    for loc in detail["locations"]:
        pos = f" @ {loc['position']}" if loc["position"] else ""
        out.print(f"[dim]found in {term(loc['path'])}{term(pos)} ({loc['container']})[/]")


@domain_errors
def thread(
    ref: Annotated[
        str, typer.Argument(help="Thread id, or msg:ID / a Message-ID of a message in it.")
    ],
    json_out: JsonOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Show a thread as a tree of replies."""
    open_ws(workspace)
    from dossier.corpus import selectors

    detail = selectors.thread_detail(ref)
    if json_out:
        print_json(detail)
        return
    root = Tree(
        f"[bold]thread {detail['id']}[/]: {term(detail['subject'] or '(no subject)')}"
        f"  ({detail['message_count']} messages)"
    )
    branches: dict[int | None, Tree] = {None: root}
    for m in detail["messages"]:
        label = (
            f"[cyan]{m['id']}[/] {m['date'] or '(no date)'}  {term(m['from'] or '?')}  "
            f"{term(m['subject'] or '')}"
        )
        parent = branches.get(m["parent_id"], root)
        branches[m["id"]] = parent.add(label)
    console().print(root)


@domain_errors
def stats(json_out: JsonOption = False, workspace: WorkspaceOption = None) -> None:
    """Counts: messages, locations, duplicates, threads, attachments, failures, collections."""
    ws = open_ws(workspace)
    from dossier.corpus import selectors

    data = {"workspace": ws.describe(), **selectors.corpus_stats()}
    if json_out:
        print_json(data)
        return
    table = Table(title=f"Workspace {ws.describe()}", show_header=False)
    for key, value in data.items():
        if key not in ("collections", "workspace"):
            table.add_row(
                key.replace("_", " "), f"{value:,}" if isinstance(value, int) else str(value)
            )
    for c in data["collections"]:
        table.add_row(
            f"collection {term(c['name'])}",
            f"{c['messages']:,} messages, {c['locations']:,} locations",
        )
    console().print(table)


@domain_errors
def export(
    query: QueryArg,
    fmt: Annotated[str, typer.Option("--format", "-f", help="mbox or jsonl.")] = "mbox",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write (default: standard output)."),
    ] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Export every message matching QUERY as an mbox of the original bytes, or as JSON lines."""
    ws = open_ws(workspace)
    from dossier.corpus.export import export_messages

    if output is None:
        written = export_messages(query, fmt=fmt, out=sys.stdout.buffer, blobs=ws.blobs)
        sys.stdout.buffer.flush()
    else:
        with output.open("wb") as handle:
            written = export_messages(query, fmt=fmt, out=handle, blobs=ws.blobs)
    _record_export(query, fmt, written, output)
    typer.echo(f"exported {written} messages", err=True)


def _record_export(query: str, fmt: str, written: int, output: Path | None) -> None:
    """The ``export.run`` audit event, by the local operator, once the export is written."""
    from django.db import transaction

    from dossier.audit.services import audit_record, cli_operator

    details = {"query": query, "format": fmt, "count": written, "output": str(output or "-")}
    with transaction.atomic():
        audit_record(
            action="export.run", target="export", details=details, actor_username=cli_operator()
        )
