"""Figures of bench/compare.py: what it collects, the console summary, bench/RESULTS.md."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field

from common import HERE, Measured, machine, median, percentile
from queries import NOTES, QUERIES


@dataclass
class Results:
    corpus: str
    files: int
    runs: int
    repeats: int
    cli_repeats: int
    tools: list[str]
    commands: dict[str, str]
    builds: dict[str, list[Measured]] = field(default_factory=lambda: defaultdict(list))
    reruns: dict[str, list[Measured]] = field(default_factory=lambda: defaultdict(list))
    sizes: dict[str, int] = field(default_factory=dict)
    messages: dict[str, int] = field(default_factory=dict)
    dossier_summaries: list[str] = field(default_factory=list)
    inproc: dict[tuple[str, str], dict] = field(default_factory=dict)
    cli_times: dict[tuple[str, str], list[float]] = field(default_factory=lambda: defaultdict(list))
    cli_hits: dict[tuple[str, str], int] = field(default_factory=dict)
    load: list[str] = field(default_factory=list)  # load averages seen during the run


def ratio(value: float, base: float) -> str:
    return f"×{value / base:.2f}" if base else "×–"


def with_ratio(text: str, value: float, base: float, tool: str) -> str:
    return text if tool == "dossier" else f"{text} ({ratio(value, base)})"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}" if seconds < 0.1 else f"{seconds * 1000:.0f}"


def indexing_rows(res: Results) -> list[str]:
    walls = {t: median([m.wall for m in res.builds[t]]) for t in res.tools}
    pss = {t: median([m.peak_pss_kib for m in res.builds[t]]) / 1024 for t in res.tools}
    rerun = {t: median([m.wall for m in res.reruns[t]]) for t in res.tools}
    size = {t: res.sizes[t] / 2**20 for t in res.tools}
    rate = {t: res.files / walls[t] for t in res.tools}
    rows = []
    for t in res.tools:
        cells = [
            t,
            f"{res.messages.get(t, 0):,}",
            with_ratio(f"{walls[t]:.1f} s", walls[t], walls["dossier"], t),
            with_ratio(f"{rate[t]:,.0f}", rate[t], rate["dossier"], t),
            with_ratio(f"{pss[t]:,.0f} MiB", pss[t], pss["dossier"], t),
            with_ratio(f"{size[t]:,.0f} MiB", size[t], size["dossier"], t),
            with_ratio(f"{rerun[t]:.2f} s", rerun[t], rerun["dossier"], t),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def p50_p99(values: list[float]) -> tuple[float, float]:
    return percentile(values, 50), percentile(values, 99)


def fmt_pp(values: list[float] | None, base: list[float] | None = None) -> str:
    if not values:
        return "–"
    p50, p99 = p50_p99(values)
    text = f"{ms(p50)} / {ms(p99)}"
    if base:
        text += f" ({ratio(p50, percentile(base, 50))})"
    return text


def inproc_rows(res: Results) -> list[str]:
    rows = []
    for q in QUERIES:
        d = res.inproc.get((q.kind, "dossier"), {})
        n = res.inproc.get((q.kind, "notmuch"), {})
        cells = [
            q.kind,
            f"`{q.dossier}`",
            f"{d.get('hits', '–'):,}" if d else "–",
            f"{n.get('hits', '–'):,}" if n else "–",
            fmt_pp(d.get("count")),
            fmt_pp(n.get("count"), d.get("count")),
            fmt_pp(d.get("top50_plain")),
            fmt_pp(d.get("top50_snippets")),
            fmt_pp(d.get("top50_facets")),
            fmt_pp(d.get("top50_newest")),
            fmt_pp(n.get("top50_sorted"), d.get("top50_newest")),
        ]
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def cli_rows(res: Results) -> list[str]:
    rows = []
    for q in QUERIES:
        base = median(res.cli_times[(q.kind, "dossier")])
        cells = [q.kind, f"`{q.notmuch}`"]
        cells += [f"{res.cli_hits.get((q.kind, t), 0):,}" for t in res.tools]
        for t in res.tools:
            v = median(res.cli_times[(q.kind, t)])
            cells.append(with_ratio(f"{ms(v)} ms", v, base, t))
        rows.append("| " + " | ".join(cells) + " |")
    return rows


def print_summary(res: Results) -> None:
    print("\nindexing: tool | messages | wall | messages/s | peak PSS | size | rerun")
    print("\n".join(indexing_rows(res)))
    print(
        "\nin-process p50 / p99 ms: kind | query | hits D | hits nm | D count | nm count | "
        "D top50 | D +snippets | D +facets | D top50 newest | nm top50 newest"
    )
    print("\n".join(inproc_rows(res)))
    print("\nCLI median ms: kind | notmuch query | hits D nm mu | D | nm | mu")
    print("\n".join(cli_rows(res)))


def dossier_summary(res: Results) -> str:
    if not res.dossier_summaries:
        return ""
    try:
        s = json.loads(res.dossier_summaries[-1])
    except json.JSONDecodeError:
        return ""
    keys = ("new", "duplicate", "failed")
    return ", ".join(f"{k} {s[k]:,}" for k in keys if k in s)


def write_results(res: Results, command: str) -> None:
    head = f"""# Benchmark results: Dossier, notmuch and mu side by side

Written by `bench/compare.py`; do not edit by hand (see bench/README.md for how to read it).

Date: {dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}.
Machine: {machine()}.
Command: `{command}`.
Corpus: {res.corpus} ({res.files:,} files, one message each), a Maildir shared by all three
tools; warm page cache. Index builds: {res.runs} per tool, alternating the tools within each
round, {"median shown" if res.runs > 1 else "a single run, so no median"}.
Dossier's last ingest: {dossier_summary(res)}.
Load average (1, 5, 15 min) at the start and end of each phase: {"; ".join(res.load) or "–"}
(on a 2-core machine anything above 2 from other processes means noisy figures).

Each figure other than Dossier's is followed by its ratio to Dossier's (×2.00 = twice
Dossier's figure: for times, memory and size lower is better, for messages/s higher is better).

## Indexing

Peak memory is the proportional set size (PSS) of the indexing process and all its children,
summed, sampled every 0.1 s from /proc. Size is the bytes allocated on disk under the tool's
index folder (Dossier: the whole workspace, database and blobs). Messages/s is files in the
Maildir divided by wall time, for every tool. Rerun is the same index command again on the
already indexed Maildir. Messages is what each tool counts in its index afterwards.

| tool | messages | wall | messages/s | peak memory (PSS) | index size | rerun |
| --- | --- | --- | --- | --- | --- | --- |
"""
    commands = "\n".join(f"- {t}: `{c}`" for t, c in res.commands.items())
    inproc = f"""
Commands:
{commands}

## Query latency in process

p50 / p99 in milliseconds over {res.repeats} repetitions after one warm-up, in one process per
tool: Dossier's `dossier.corpus.search.service` (`count(q)`; `search(q, limit=50)` ranked by
relevance without snippets, with snippets, and with snippets and facets; and
`search(q, limit=50, snippets=False, sort="newest")`) against notmuch's Python bindings
(`python3-notmuch2` under Debian's /usr/bin/python3: `count_messages(q)`; the first 50 of
`messages(q, sort=NEWEST_FIRST)` reading Message-ID, subject, from, date and thread of each).
Ratios compare p50s of the same work: notmuch count with Dossier count, notmuch's newest-first
top 50 with Dossier's newest-first top 50 (neither ranks nor makes snippets). Ranking by
relevance (bm25 over every hit) has no notmuch counterpart here. mu has no Python bindings in
Debian; it appears in the CLI table only.

"""
    inproc += (
        "| kind | Dossier query | hits Dossier | hits notmuch | Dossier count | notmuch count "
        "| Dossier top 50 | Dossier + snippets | Dossier + snippets + facets "
        "| Dossier top 50 newest first | notmuch top 50 newest first |\n" + "| --- " * 11 + "|\n"
    )
    cli = f"""
## Whole-process CLI query time

Median wall time in milliseconds of {res.cli_repeats} runs of each command, alternating the
tools on every run, start-up included: `dossier search Q --count -w WORKSPACE`,
`notmuch count Q`, `mu find --fields=l Q` (mu has no count command, so it lists one path per
match and the hits are the lines printed). Query strings per tool are in bench/queries.py; the
notmuch form is shown.

| kind | query (notmuch) | hits Dossier | hits notmuch | hits mu | Dossier | notmuch | mu |
| --- | --- | --- | --- | --- | --- | --- | --- |
"""
    text = (
        head
        + "\n".join(indexing_rows(res))
        + "\n"
        + inproc
        + "\n".join(inproc_rows(res))
        + "\n"
        + cli
        + "\n".join(cli_rows(res))
        + "\n\n## Why counts differ\n\n"
        + NOTES
        + "\n"
    )
    (HERE / "RESULTS.md").write_text(text)
