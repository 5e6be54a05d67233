"""Dossier side by side with notmuch and mu on the same Maildir, in one invocation.

    python3 bench/compare.py [--quick] [--runs 3] [--repeats 20] [--cli-repeats 5] [--no-record]

Builds the Dossier workspace, the notmuch database and the mu store from the same Maildir
(the linux-btrfs corpus, or its first 10,000 files with --quick), alternating the tools within
each round so that drift in the machine hits all of them alike, and takes the median of the runs.
Then times a re-index of the already indexed Maildir, the fixed query set of bench/queries.py
in process (Dossier's search service; notmuch's Python bindings under Debian's /usr/bin/python3)
and as whole CLI processes, and rewrites bench/RESULTS.md (see bench/report.py). Every figure
is printed with its ratio to Dossier's. Nothing is installed: a missing peer is reported with
the apt command that provides it.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import WORK, median, missing_tools, subset, unpack  # noqa: E402
from queries import QUERIES  # noqa: E402
from report import Results, print_summary, write_results  # noqa: E402
from tools import make_tools  # noqa: E402

QUICK_SIZE = 10_000


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the first 10,000 files only")
    parser.add_argument(
        "--size", type=int, default=0, help="the first N files only (--quick is --size 10000)"
    )
    parser.add_argument("--runs", type=int, default=3, help="index builds per tool (median)")
    parser.add_argument(
        "--repeats", type=int, default=20, help="timed repetitions of each in-process query variant"
    )
    parser.add_argument(
        "--cli-repeats", type=int, default=5, help="timed repetitions of each CLI count (median)"
    )
    parser.add_argument("--no-record", action="store_true", help="do not rewrite RESULTS.md")
    return parser.parse_args(argv)


def build_rounds(tools, runs: int, res: Results) -> None:
    for run in range(1, runs + 1):
        for tool in tools:
            print(f"[round {run}/{runs}] {tool.name}: building the index ...", flush=True)
            m = tool.build()
            res.builds[tool.name].append(m)
            print(f"    {m.wall:.1f} s, peak PSS {m.peak_pss_kib / 1024:.0f} MiB", flush=True)
            if tool.name == "dossier":
                res.dossier_summaries.append(m.stdout)
    # The indexes of the last round stay for the rest.
    for tool in tools:
        res.sizes[tool.name] = tool.size()
        res.messages[tool.name] = tool.messages()


def reruns(tools, runs: int, res: Results) -> None:
    for run in range(1, runs + 1):
        for tool in tools:
            m = tool.rerun()
            res.reruns[tool.name].append(m)
            print(f"[rerun {run}/{runs}] {tool.name}: {m.wall:.2f} s", flush=True)


def cli_counts(tools, repeats: int, res: Results) -> None:
    for q in QUERIES:
        for _ in range(repeats):  # alternate the tools on every repetition
            for tool in tools:
                seconds, n = tool.cli_count(getattr(q, tool.syntax))
                res.cli_times[(q.kind, tool.name)].append(seconds)
                res.cli_hits[(q.kind, tool.name)] = n
        line = ", ".join(
            f"{t.name} {res.cli_hits[(q.kind, t.name)]} in "
            f"{median(res.cli_times[(q.kind, t.name)]) * 1000:.0f} ms"
            for t in tools
        )
        print(f"[cli] {q.kind}: {line}", flush=True)


def in_process(tools, repeats: int, res: Results) -> None:
    for tool in tools:
        timings = tool.inproc(repeats)
        if timings is None:
            continue
        print(f"[in-process] {tool.name}: {len(timings)} queries timed", flush=True)
        syntax_to_kind = {getattr(q, tool.syntax): q.kind for q in QUERIES}
        for query, entry in timings.items():
            res.inproc[(syntax_to_kind[query], tool.name)] = entry


def main(argv: list[str] | None = None) -> None:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    missing = missing_tools()
    if missing:
        sys.exit("missing, nothing was measured:\n  " + "\n  ".join(missing))
    full = unpack()
    size = args.size or (QUICK_SIZE if args.quick else 0)
    if size:
        maildir = subset(full, size)
        corpus = f"linux-btrfs, first {size:,} files"
    else:
        maildir, corpus = full, "linux-btrfs, all files"
    files = sum(1 for sub in ("cur", "new") for _ in (maildir / sub).iterdir())
    scratch = WORK / "compare"
    tools = make_tools(maildir, scratch)
    res = Results(
        corpus=corpus,
        files=files,
        runs=args.runs,
        repeats=args.repeats,
        cli_repeats=args.cli_repeats,
        tools=[t.name for t in tools],
        commands={t.name: t.command() for t in tools},
    )
    for name, phase, n in (
        ("build", build_rounds, args.runs),
        ("rerun", reruns, args.runs),
        ("in-process", in_process, args.repeats),
        ("CLI", cli_counts, args.cli_repeats),
    ):
        before = load()
        phase(tools, n, res)
        res.load.append(f"{name} {before} → {load()}")
    print_summary(res)
    if not args.no_record:
        command = " ".join(["python3 bench/compare.py", *sys.argv[1:]]).strip()
        write_results(res, command)
        print("wrote bench/RESULTS.md")


if __name__ == "__main__":
    main()
