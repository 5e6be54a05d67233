"""Ingest benchmark: a Maildir from ../shared/corpora into a fresh workspace, as a user runs it.

Prints messages/s, wall time and peak memory (PSS of the ingest process plus its parser workers,
sampled from /proc) for several corpus sizes in one run, so growth is visible, and rewrites
bench/RESULTS-ingest.md with the figures, the command, the machine and the date.

    python3 bench/ingest_bench.py [--sizes 10000,-10000,30000,0] [--workers N] [--postgres URL]

The corpus is unpacked once into bench/work/ (git-ignored). Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpora" / "linux-btrfs.tar.zst"
WORK = HERE / "work"


def unpack() -> Path:
    target = WORK / "linux-btrfs"
    if not (target / "cur").exists():
        if not CORPUS.exists():
            sys.exit(f"corpus not found: {CORPUS}")
        WORK.mkdir(parents=True, exist_ok=True)
        print(f"unpacking {CORPUS} ...", flush=True)
        subprocess.run(["tar", "--zstd", "-xf", str(CORPUS), "-C", str(WORK)], check=True)
    return target


def subset(maildir: Path, size: int) -> Path:
    """A Maildir of the first ``size`` messages, or the last ``-size`` (hard links: no copy)."""
    target = WORK / (f"linux-btrfs-{size}" if size > 0 else f"linux-btrfs-last{-size}")
    if not (target / "cur").exists():
        for sub in ("cur", "new", "tmp"):
            (target / sub).mkdir(parents=True, exist_ok=True)
        files = sorted((maildir / "cur").iterdir())
        for f in files[:size] if size > 0 else files[size:]:
            os.link(f, target / "cur" / f.name)
    return target


def tree_pss_kib(pid: int) -> int:
    """Proportional set size of a process and all its descendants, in KiB, from /proc.

    PSS, not RSS: forked parser workers share pages with their parent, and summing their RSS
    would count those pages twice."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        stack.extend(children.get(p, []))
        try:
            rollup = Path(f"/proc/{p}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in rollup.splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
    return total


def run_ingest(
    maildir: Path, workers: int | None, db_url: str | None, home: Path = WORK / "workspace"
) -> dict:
    """One ``dossier ingest`` into a fresh workspace at ``home``: wall, peak PSS, summary."""
    shutil.rmtree(home, ignore_errors=True)
    env = dict(os.environ, DOSSIER_HOME=str(home))
    env.pop("DOSSIER_DATABASE_URL", None)
    if db_url:
        env["DOSSIER_DATABASE_URL"] = db_url
    cmd = ["dossier", "ingest", str(maildir), "--json", "--collection", "bench"]
    if workers is not None:
        cmd += ["--workers", str(workers)]
    started = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_pss_kib(proc.pid))
        time.sleep(0.25)
    out = proc.stdout.read() if proc.stdout else ""
    wall = time.monotonic() - started
    if proc.returncode != 0:
        sys.exit(f"ingest failed with exit code {proc.returncode}")
    summary = json.loads(out)
    return {
        "wall": wall,
        "peak_pss_mib": peak / 1024,
        "summary": summary,
        "command": " ".join(cmd),
        "env": env,
    }


VARIANTS = ("count", "top50_plain", "top50_snippets", "top50_facets", "top50_newest")


def query_latency(home: Path, env: dict, repeats: int) -> dict:
    """p50 and p99 (ms) of each query variant of bench/queries.py on the workspace just built,
    timed in process by bench/query_timing.py (the search service the web and API call)."""
    cmd = [sys.executable, str(HERE / "query_timing.py"), "dossier", str(home), str(repeats)]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    timings = json.loads(out)
    summary = {}
    for variant in VARIANTS:
        p50s = [percentile(entry[variant], 50) for entry in timings.values()]
        p99s = [percentile(entry[variant], 99) for entry in timings.values()]
        summary[variant] = (statistics.median(p50s) * 1000, max(p50s) * 1000, max(p99s) * 1000)
    return summary


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def query_row(latency: dict, corpus_name: str) -> str:
    cells = " | ".join(
        f"{median:.1f} / {worst:.1f} / {p99:.1f}" for median, worst, p99 in latency.values()
    )
    return f"| {corpus_name} | {cells} |"


def row(result: dict, database: str, corpus_name: str) -> str:
    s = result["summary"]
    done = s["new"] + s["duplicate"]
    return (
        f"| {corpus_name} | {database} | {done:,} | {s['failed']:,} | {result['wall']:.1f} s | "
        f"{done / result['wall']:,.0f} | {result['peak_pss_mib']:,.0f} MiB |"
    )


def record(rows: list[str], queries: list[str], command: str, ingest_command: str) -> None:
    text = (
        f"""# Ingest growth: Dossier alone, several sizes

Written by `bench/ingest_bench.py`; do not edit by hand. The side-by-side comparison with
notmuch and mu is `bench/compare.py`, in `RESULTS.md`.

Date: {dt.date.today().isoformat()}. Machine: {platform.machine()}, {os.cpu_count()} cores,
Python {platform.python_version()}, {platform.platform()}.

Command: `{command}`, which runs `{ingest_command}` on a fresh workspace for each size (warm page
cache; blobs, dedupe, threading, search index and attachment text all on). Peak memory is the
proportional set size (PSS) of the ingest process plus its parser workers, summed, sampled every
0.25 s from /proc (PSS counts pages shared by the forked workers once).

| corpus | database | messages | failed | wall | messages/s | peak memory (PSS) |
| --- | --- | --- | --- | --- | --- | --- |
"""
        + "\n".join(rows)
        + "\n"
    )
    if queries:
        text += (
            """
## Query latency on each workspace

The 14 queries of `bench/queries.py`, each timed in process (`bench/query_timing.py`: the
search service the web UI and API call) after one warm-up. Each cell: the median over the 14
queries of their p50, the slowest query's p50, and the slowest query's p99, in milliseconds.

| corpus | count | top 50 | top 50 + snippets | top 50 + snippets + facets | top 50 newest first |
| --- | --- | --- | --- | --- | --- |
"""
            + "\n".join(queries)
            + "\n"
        )
    (HERE / "RESULTS-ingest.md").write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="10000,-10000,30000,0",
        help="comma-separated message counts to ingest, each into a fresh workspace: N = the "
        "first N files, -N = the last N, 0 = all",
    )
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--postgres", default=None, help="PostgreSQL URL instead of SQLite")
    parser.add_argument("--no-record", action="store_true", help="do not rewrite RESULTS-ingest.md")
    parser.add_argument(
        "--query-repeats",
        type=int,
        default=20,
        help="after each ingest, time each query this many times (0: no query timing)",
    )
    args = parser.parse_args()
    full = unpack()
    database = "PostgreSQL" if args.postgres else "SQLite"
    rows, queries, ingest_command = [], [], ""
    for size in (int(x) for x in args.sizes.split(",")):
        maildir, name = full, "linux-btrfs, all 75,576 files"
        if size:
            which = "first" if size > 0 else "last"
            maildir, name = subset(full, size), f"linux-btrfs, {which} {abs(size):,} files"
        result = run_ingest(maildir, args.workers, args.postgres)
        ingest_command = result["command"].replace(str(maildir), "MAILDIR")
        rows.append(row(result, database, name))
        print(rows[-1], flush=True)
        if args.query_repeats:
            home = WORK / "workspace"
            queries.append(query_row(query_latency(home, result["env"], args.query_repeats), name))
            print(queries[-1], flush=True)
    if not args.no_record:
        command = "python3 bench/ingest_bench.py " + " ".join(sys.argv[1:])
        record(rows, queries, command.strip(), ingest_command)


if __name__ == "__main__":
    main()
