"""In-process search latency per query and mode (count, top-50 with snippets, top-50 + facets).

    python3 bench/query_latency.py WORKSPACE [RUNS] [QUERY ...]

Prints hits and p50/p99 in milliseconds over RUNS timed runs (default 20) after one warm-up.
The workspace is opened as is (migrations run if pending): time a copy, not a live workspace.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

QUERIES = (
    "balance",
    "qgroup*",
    "from:suse.com",
    "(scrub OR balance) -raid5",
    "subject:patch btrfs",
    "btrfs",
    "the",
)
TOP = 50


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(fn, runs: int) -> list[float]:
    fn()
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def main(argv: list[str]) -> None:
    if len(argv) < 2:
        sys.exit(__doc__)
    from dossier.workspace import open_workspace

    open_workspace(Path(argv[1]))
    from dossier.corpus.search import service

    runs = int(argv[2]) if len(argv) > 2 else 20
    queries = argv[3:] or QUERIES
    modes = {
        "count": lambda q: service.count(q),
        "top50": lambda q: service.search(q, limit=TOP),
        "facets": lambda q: service.search(q, limit=TOP, facets=True),
    }
    header = f"{'query':<28} {'hits':>7}" + "".join(f" {m + ' p50/p99':>17}" for m in modes)
    print(header)
    print("-" * len(header))
    for query in queries:
        cells = []
        for fn in modes.values():
            samples = timed(lambda fn=fn, query=query: fn(query), runs)
            cells.append(f"{statistics.median(samples):7.1f}/{percentile(samples, 0.99):<7.1f}")
        print(f"{query:<28} {service.count(query):>7}" + "".join(f" {c:>17}" for c in cells))


if __name__ == "__main__":
    main(sys.argv)
