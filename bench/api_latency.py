"""Search latency through the HTTP API: `dossier serve`, a token, the fixed query set.

    python3 bench/api_latency.py --workspace DIR [--runs 20] [--limit 50] [--facets]
                                 [--server-workers 2] [--json]

Starts `dossier serve` on a free local port against the workspace, makes a throw-away user
(reader) granted every collection and a personal API token for it, then sends each query of
bench/query_latency.py's QUERIES as GET /api/search over one keep-alive connection (http.client):
one warm-up, then RUNS timed requests each. Prints p50/p99 in milliseconds per query and over
all requests. At the end the server is stopped, the token revoked and the user disabled.

It writes to the workspace (a user, grants, a token, one audit event per request): time a
copy, not a live workspace. Set DOSSIER_DATABASE_URL as for any command to use PostgreSQL.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from query_latency import QUERIES, percentile  # noqa: E402

READY_TIMEOUT = 90.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_credentials(workspace: Path) -> tuple[str, str]:
    """A new reader granted every collection, and a token for it: (username, secret)."""
    from dossier.workspace import open_workspace

    open_workspace(workspace)
    from django.db import connections

    from dossier.accounts.services import collection_grant, user_add
    from dossier.api.services import token_create
    from dossier.corpus.models import Collection

    username = f"bench-api-{secrets.token_hex(4)}"
    user = user_add(username=username, password=secrets.token_urlsafe(24), role="reader")
    for name in Collection.objects.order_by("name").values_list("name", flat=True):
        collection_grant(username=username, collection=name)
    _token, secret = token_create(user=user, name="bench/api_latency.py", by=None)
    connections.close_all()
    return username, secret


def clean_up(username: str) -> None:
    from dossier.accounts.services import user_disable
    from dossier.api.services import token_list, token_revoke

    for token in token_list(username=username):
        token_revoke(user=None, token_id=token["id"], by=None)
    user_disable(username=username)


def start_server(workspace: Path, port: int, workers: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "dossier", "serve", "--workspace", str(workspace),
           "--port", str(port), "--workers", str(workers)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [_src(), _pythonpath()]))}
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _src() -> str:
    return str(Path(__file__).resolve().parent.parent / "src")


def _pythonpath() -> str:
    return os.environ.get("PYTHONPATH", "")


def wait_ready(server: subprocess.Popen, port: int) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"dossier serve exited with {server.returncode}:\n{server.stderr.read()!r}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/openapi.json")
            if conn.getresponse().status == 200:
                conn.close()
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"dossier serve did not answer within {READY_TIMEOUT:.0f}s")


def timed_queries(port: int, secret: str, args) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Authorization": f"Bearer {secret}", "Connection": "keep-alive"}
    results = {}
    for query in args.queries or QUERIES:
        params = {"q": query, "limit": args.limit, "facets": str(args.facets).lower()}
        path = "/api/search?" + urlencode(params)
        samples, total = [], None
        for run in range(args.runs + 1):  # the first is a warm-up
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            if response.status != 200:
                sys.exit(f"{query!r}: HTTP {response.status}: {body[:300]!r}")
            total = json.loads(body)["total"]
            if run:
                samples.append(elapsed)
        results[query] = {"hits": total, "samples_ms": samples}
    conn.close()
    return results


def summarise(results: dict) -> dict:
    everything = [s for r in results.values() for s in r["samples_ms"]]
    out = {
        q: {"hits": r["hits"], "p50_ms": round(percentile(r["samples_ms"], 0.5), 2),
            "p99_ms": round(percentile(r["samples_ms"], 0.99), 2)}
        for q, r in results.items()
    }  # fmt: skip
    out["(all)"] = {
        "hits": None,
        "p50_ms": round(percentile(everything, 0.5), 2),
        "p99_ms": round(percentile(everything, 0.99), 2),
    }
    return out


def print_table(summary: dict, args) -> None:
    mode = f"limit={args.limit}" + (" +facets" if args.facets else "")
    print(f"GET /api/search ({mode}), {args.runs} runs per query after one warm-up")
    print(f"{'query':<28} {'hits':>7} {'p50 ms':>9} {'p99 ms':>9}")
    for query, row in summary.items():
        hits = "" if row["hits"] is None else f"{row['hits']:,}"
        print(f"{query:<28} {hits:>7} {row['p50_ms']:>9.1f} {row['p99_ms']:>9.1f}")


def parse_args(argv: list[str]):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workspace", required=True, type=Path, help="An ingested workspace.")
    parser.add_argument("--runs", type=int, default=20, help="Timed requests per query.")
    parser.add_argument("--limit", type=int, default=50, help="Hits per request.")
    parser.add_argument("--facets", action="store_true", help="Ask for facets too.")
    parser.add_argument("--server-workers", type=int, default=2, help="Gunicorn workers.")
    parser.add_argument("--json", action="store_true", help="Print JSON.")
    parser.add_argument("queries", nargs="*", help="Queries (default: query_latency.QUERIES).")
    return parser.parse_args(argv)


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    workspace = args.workspace.expanduser().resolve()
    if not workspace.is_dir():
        sys.exit(f"no workspace at {workspace}")
    username, secret = make_credentials(workspace)
    port = free_port()
    server = start_server(workspace, port, args.server_workers)
    try:
        wait_ready(server, port)
        summary = summarise(timed_queries(port, secret, args))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        clean_up(username)
    if args.json:
        print(json.dumps({"workspace": str(workspace), "runs": args.runs, "limit": args.limit,
                          "facets": args.facets, "queries": summary}, indent=2))  # fmt: skip
    else:
        print_table(summary, args)


if __name__ == "__main__":
    main(sys.argv[1:])
