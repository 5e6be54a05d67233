"""The ingest progress display: bytes read, messages, rate and ETA, drawn with Rich."""

from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from dossier.corpus.ingest.pipeline import IngestSummary
from dossier.corpus.ingest.pipeline import Progress as PipelineProgress


class RichProgress(PipelineProgress):
    def __init__(self, console: Console):
        self.bar = Progress(
            TextColumn("[bold]ingest[/]"),
            BarColumn(),
            TaskProgressColumn(),
            DownloadColumn(),
            TextColumn("{task.fields[messages]:>8,} msgs  {task.fields[rate]:>7.0f} msg/s"),
            TextColumn("{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=console,
            transient=False,
            refresh_per_second=4,
        )
        self.task = self.bar.add_task("ingest", total=None, messages=0, rate=0.0, failed=0)

    def __enter__(self) -> RichProgress:
        self.bar.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()

    def start(self, total_bytes: int) -> None:
        self.bar.update(self.task, total=max(total_bytes, 1))

    def advance(self, nbytes: int, summary: IngestSummary) -> None:
        self.bar.update(
            self.task,
            advance=nbytes,
            messages=summary.new + summary.duplicate + summary.skipped,
            rate=summary.messages_per_second,
            failed=summary.failed,
        )

    def finish(self) -> None:
        task = self.bar.tasks[0]
        if task.total:
            self.bar.update(self.task, completed=task.total)
