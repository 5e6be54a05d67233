"""The ``dossier`` entry point: ``dossier search QUERY --count`` answered before the rest loads.

typer 0.29 imports pydantic while it builds a command (``typer._adapters``: about 140 ms on the
benchmark machine), and the command modules import rich: together more than the count itself
(``corpus/search/fastpath.py``, about 60 ms on 75,000 messages). So the plain form
``dossier search QUERY --count [-w DIR | --workspace DIR]`` is answered here, printing what the
full command prints. Anything else (another option, ``--json``, a query starting with ``-``, a
query error, a workspace the fast path cannot read) goes to the full command line, which
answers or explains the error itself.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def run() -> None:
    if not answer_count(sys.argv[1:]):
        from dossier.cli.main import run as run_full

        run_full()


def answer_count(argv: list[str]) -> bool:
    """Print the count and return True, or return False for the full command line."""
    parsed = _plain_count(argv)
    if parsed is None:
        return False
    query, workspace = parsed
    from dossier import settings
    from dossier.corpus.search import fastpath

    if workspace is not None:
        os.environ["DOSSIER_HOME"] = str(Path(workspace).expanduser().resolve())
    try:
        total = fastpath.count(settings.from_env(), query)
    except Exception:  # a query error or anything odd: the full command reports it properly
        return False
    if total is None:
        return False
    sys.stdout.write(f"{total}\n")
    return True


def _plain_count(argv: list[str]) -> tuple[str, str | None] | None:
    """``(query, workspace)`` for ``search QUERY --count [-w DIR]`` in any order, else None."""
    if len(argv) < 3 or argv[0] != "search" or "--count" not in argv:
        return None
    query: str | None = None
    workspace: str | None = None
    rest = argv[1:]
    i = 0
    while i < len(rest):
        arg = rest[i]
        if arg == "--count":
            pass
        elif arg in ("-w", "--workspace"):
            if i + 1 >= len(rest):
                return None
            workspace = rest[i + 1]
            i += 1
        elif arg.startswith("--workspace="):
            workspace = arg.split("=", 1)[1]
        elif arg.startswith("-") or query is not None:
            return None  # another option, "--", a query typer would read as an option
        else:
            query = arg
        i += 1
    return None if query is None else (query, workspace)
