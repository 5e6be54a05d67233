"""Ingest benchmark: a Maildir from ../shared/corpora into a fresh workspace, as a user runs it.

Prints messages/s, wall time and peak RSS (the ingest process plus its parser workers, sampled
from /proc), and rewrites bench/RESULTS.md with the figures, the command, the machine and the date.

    python3 bench/ingest_bench.py [--limit N] [--workers N] [--postgres URL] [--no-record]

The corpus is unpacked once into bench/work/ (git-ignored). Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
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


def subset(maildir: Path, limit: int) -> Path:
    """A Maildir of the first ``limit`` messages (hard links: no copy)."""
    target = WORK / f"linux-btrfs-{limit}"
    if not (target / "cur").exists():
        for sub in ("cur", "new", "tmp"):
            (target / sub).mkdir(parents=True, exist_ok=True)
        files = sorted((maildir / "cur").iterdir())[:limit]
        for f in files:
            os.link(f, target / "cur" / f.name)
    return target


def tree_rss_kib(pid: int) -> int:
    """RSS of a process and all its descendants, in KiB, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[int(entry.name)] = int(line.split()[1])
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def run_ingest(maildir: Path, workers: int | None, db_url: str | None) -> dict:
    home = WORK / "workspace"
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
        peak = max(peak, tree_rss_kib(proc.pid))
        time.sleep(0.25)
    out = proc.stdout.read() if proc.stdout else ""
    wall = time.monotonic() - started
    if proc.returncode != 0:
        sys.exit(f"ingest failed with exit code {proc.returncode}")
    summary = json.loads(out)
    return {"wall": wall, "peak_rss_mib": peak / 1024, "summary": summary, "command": " ".join(cmd)}


def record(result: dict, args: argparse.Namespace, corpus_name: str) -> None:
    s = result["summary"]
    done = s["new"] + s["duplicate"]
    line = (
        f"| {dt.date.today().isoformat()} | {corpus_name} | "
        f"{'PostgreSQL' if args.postgres else 'SQLite'}"
        f" | {done:,} | {result['wall']:.1f} s | {done / result['wall']:,.0f} | "
        f"{result['peak_rss_mib']:,.0f} MiB |"
    )
    text = f"""# Benchmark results

Written by `bench/ingest_bench.py`; do not edit by hand.

Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()},
{platform.platform()}.

Command: `python3 bench/ingest_bench.py {" ".join(sys.argv[1:])}` which runs
`{result["command"]}` on a fresh workspace (warm page cache, blobs, dedupe, threading and
attachment text on). Peak RSS is the ingest process plus its parser workers, sampled every 0.25 s.

| date | corpus | database | messages | wall | messages/s | peak RSS |
| --- | --- | --- | --- | --- | --- | --- |
{line}

Summary as printed by `dossier ingest --json`:

```json
{json.dumps(s, indent=2)}
```
"""
    (HERE / "RESULTS.md").write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="ingest only the first N messages")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--postgres", default=None, help="PostgreSQL URL instead of SQLite")
    parser.add_argument("--no-record", action="store_true", help="do not rewrite RESULTS.md")
    args = parser.parse_args()
    maildir = unpack()
    name = "linux-btrfs (75,576 files)"
    if args.limit:
        maildir, name = subset(maildir, args.limit), f"linux-btrfs, first {args.limit:,} files"
    result = run_ingest(maildir, args.workers, args.postgres)
    s = result["summary"]
    done = s["new"] + s["duplicate"]
    print(
        f"{done:,} messages ({s['new']:,} new, {s['duplicate']:,} duplicate, {s['failed']:,} "
        f"failed) in {result['wall']:.1f} s = {done / result['wall']:,.0f} messages/s; "
        f"peak RSS {result['peak_rss_mib']:,.0f} MiB"
    )
    if not args.no_record:
        record(result, args, name)


if __name__ == "__main__":
    main()
