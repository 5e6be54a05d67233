"""In-process query latency for one tool; run as a subprocess by bench/compare.py.

    python3 bench/query_timing.py dossier WORKSPACE REPEATS       (pyenv python, Dossier installed)
    /usr/bin/python3 bench/query_timing.py notmuch CONFIG REPEATS (Debian python, python3-notmuch2)

Prints one JSON object: {query: {"hits": n, "<variant>": [seconds, ...]}} for each query of
bench/queries.py in that tool's syntax. Each variant is timed REPEATS times after one warm-up.
Standard library only apart from the tool being timed.
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from queries import by_tool  # noqa: E402

TOP = 50


def timed(fn, repeats: int) -> list[float]:
    fn()  # warm-up: first touch of the index pages and any lazy set-up
    out = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        out.append(time.perf_counter() - started)
    return out


def dossier_variants(workspace: str):
    from dossier.workspace import open_workspace

    open_workspace(Path(workspace))  # configures Django: before importing the models
    from dossier.corpus.search import service

    def variants(q: str) -> dict:
        return {
            "count": lambda: service.count(q),
            "top50_snippets": lambda: service.search(q, limit=TOP, snippets=True),
            "top50_plain": lambda: service.search(q, limit=TOP, snippets=False),
            "top50_newest": lambda: service.search(q, limit=TOP, snippets=False, sort="newest"),
            "top50_facets": lambda: service.search(q, limit=TOP, snippets=True, facets=True),
        }

    return "dossier", variants, service.count


def notmuch_variants(config: str):
    import os

    import notmuch2

    os.environ["NOTMUCH_CONFIG"] = config
    db = notmuch2.Database(mode=notmuch2.Database.MODE.READ_ONLY)
    newest = notmuch2.Database.SORT.NEWEST_FIRST

    def top(q: str) -> list:
        # Read what a result list shows, as Dossier's hits carry it.
        return [
            (m.messageid, m.header("subject"), m.header("from"), m.date, m.threadid)
            for m in itertools.islice(db.messages(q, sort=newest), TOP)
        ]

    def variants(q: str) -> dict:
        return {
            "count": lambda: db.count_messages(q),
            "top50_sorted": lambda: top(q),
        }

    return "notmuch", variants, db.count_messages


def main() -> None:
    tool, target, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
    make = {"dossier": dossier_variants, "notmuch": notmuch_variants}[tool]
    syntax, variants, count = make(target)
    result = {}
    for q in by_tool(syntax):
        entry: dict = {"hits": count(q)}
        for name, fn in variants(q).items():
            entry[name] = timed(fn, repeats)
        result[q] = entry
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
