"""One million messages on SQLite and on PostgreSQL: ingest, size, memory and query latency,
with a projection to 5.5 million. Rewrites bench/RESULTS-million.md.

    python3 bench/million.py [--messages 1000000] [--postgres postgresql://postgres@127.0.0.1/postgres]
                             [--skip-sqlite] [--skip-postgres]

The corpus is bench/synth.py's replication of linux-btrfs (built once into bench/work/). The
PostgreSQL run creates a fresh database ``dossier_million`` on the given server and drops it at
the end. Takes about half an hour on 2 cores; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import machine  # noqa: E402
from ingest_bench import run_ingest  # noqa: E402
from synth import build  # noqa: E402

WORK = HERE / "work"
LEAK = 5_500_000


def disk_bytes(path: Path) -> int:
    return sum(f.stat().st_blocks * 512 for f in path.rglob("*") if f.is_file())


def pg_bytes(env: dict) -> int:
    code = (
        "from dossier.workspace import open_workspace; open_workspace(migrate=False);"
        "from django.db import connection; c = connection.cursor();"
        "c.execute('SELECT pg_database_size(current_database())'); print(c.fetchone()[0])"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    return int(out.stdout.strip() or 0)


def latency(home: Path, env: dict, runs: int) -> str:
    cmd = [sys.executable, str(HERE / "query_latency.py"), str(home), str(runs)]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout


def pg_admin(url: str, sql: str) -> None:
    subprocess.run(["psql", url, "-q", "-c", sql], check=True)


def commit() -> str:
    """The checkout's commit (with "+ changes" when the tree differs from it)."""
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no", "--", "../src"],
            cwd=HERE,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return f"`{rev}`" + (" + uncommitted changes to src/" if dirty else "") if rev else "unknown"


def section(name: str, result: dict, size: int, lat: str, args: argparse.Namespace) -> str:
    s = result["summary"]
    done = s["new"] + s["duplicate"]
    rate = done / result["wall"]
    per_message = size / max(done, 1)
    peak = result["peak_pss_mib"]
    return f"""## {name}

Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {machine()}, commit
{commit()}, with `python3 bench/million.py {" ".join(sys.argv[1:])}`.

| messages | failed | wall | messages/s | peak memory (PSS) | database + blobs on disk |
| --- | --- | --- | --- | --- | --- |
| {done:,} | {s["failed"]:,} | {result["wall"] / 60:.1f} min | {rate:,.0f} | {peak:,.0f} MiB \
| {size / 2**30:.1f} GiB |

Projected to {LEAK:,} messages at the same rate and size per message: ingest
{LEAK / rate / 3600:.1f} h, {per_message * LEAK / 2**30:,.0f} GiB on disk.

Query latency at {args.messages:,} messages (`bench/query_latency.py`, ms, {args.runs} runs after a
warm-up):

```
{lat.strip()}
```
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--runs", type=int, default=10, help="timed runs per query (latency)")
    args = parser.parse_args()
    corpus = WORK / f"synth-{args.messages}"
    if not corpus.exists():
        build(args.messages, corpus)
    sections = []
    if not args.skip_sqlite:
        home = WORK / "million-sqlite"
        result = run_ingest(corpus, None, None, home)
        lat = latency(home, result["env"], args.runs)
        sections.append(section("SQLite", result, disk_bytes(home), lat, args))
        (WORK / "million-sqlite.md").write_text(sections[-1])
        print(sections[-1], flush=True)
        shutil.rmtree(home, ignore_errors=True)
    if not args.skip_postgres:
        home = WORK / "million-pg"
        pg_admin(args.postgres, "DROP DATABASE IF EXISTS dossier_million")
        pg_admin(args.postgres, "CREATE DATABASE dossier_million")
        url = urlunsplit(urlsplit(args.postgres)._replace(path="/dossier_million"))
        result = run_ingest(corpus, None, url, home)
        lat = latency(home, result["env"], args.runs)
        size = pg_bytes(result["env"]) + disk_bytes(home)
        sections.append(section("PostgreSQL", result, size, lat, args))
        (WORK / "million-postgresql.md").write_text(sections[-1])
        print(sections[-1], flush=True)
        pg_admin(args.postgres, "DROP DATABASE dossier_million")
        shutil.rmtree(home, ignore_errors=True)
    write(args)


def write(args: argparse.Namespace) -> None:
    """RESULTS-million.md from the latest section of each database (runs may be separate)."""
    sections = [
        (WORK / f"million-{name}.md").read_text()
        for name in ("sqlite", "postgresql")
        if (WORK / f"million-{name}.md").exists()
    ]
    command = "python3 bench/million.py " + " ".join(sys.argv[1:])
    text = f"""# One million messages: SQLite and PostgreSQL

Written by `bench/million.py`; do not edit by hand.

Date: {dt.date.today().isoformat()}. Machine: {platform.machine()}, {os.cpu_count()} cores,
Python {platform.python_version()}. Command: `{command.strip()}` (each database's section comes
from the latest run that included it, and says where and when it was measured).
Corpus: `bench/synth.py --messages {args.messages}`: linux-btrfs replicated into mbox files with
new Message-IDs per replica (blobs, dedupe, threads, search index and attachment text on).

{chr(10).join(sections)}
"""
    (HERE / "RESULTS-million.md").write_text(text)


if __name__ == "__main__":
    main()
