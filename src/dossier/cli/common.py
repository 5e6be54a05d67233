"""What every command shares: the ``--workspace`` option, JSON output, and error translation.

Domain errors become a message on stderr and their exit code (1 for bad input or query); Typer's
own usage errors exit 2. A traceback is never shown for a domain error.
"""

from __future__ import annotations

import functools
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from dossier.errors import DossierError

F = TypeVar("F", bound=Callable[..., Any])

WorkspaceOption = Annotated[
    Path | None,
    typer.Option(
        "--workspace",
        "-w",
        help="Workspace folder (default: $DOSSIER_HOME, else ./dossier-data).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]

err_console = Console(stderr=True, highlight=False)

# C0 controls but newline and tab, DEL, and C1 controls: a hostile message must not be able to
# drive the reader's terminal (escape sequences can retitle, recolour or rewrite the screen).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: object, keep: str = "") -> str:
    """Controls shown as U+FFFD, but for those in ``keep`` (e.g. snippet match markers)."""
    return _CONTROLS.sub(lambda m: m.group() if m.group() in keep else "\ufffd", str(text))


def term(text: object) -> str:
    """Text from the corpus made safe for the terminal: controls replaced, markup escaped."""
    return escape(strip_controls(text))


def console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def open_ws(workspace: Path | None):
    from dossier.workspace import open_workspace

    return open_workspace(workspace)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def domain_errors(func: F) -> F:
    """Turn a DossierError into ``Error: ...`` on stderr and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DossierError as exc:
            err_console.print(f"[bold red]Error:[/] {term(exc)}")
            raise typer.Exit(exc.exit_code) from None

    return wrapper  # type: ignore[return-value]
