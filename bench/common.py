"""Helpers shared by the benchmarks: corpus, subsets, process measurement, sizes, statistics.

The corpus helpers and the PSS sampler live in bench/ingest_bench.py (the ingest-only
benchmark) and are re-exported from here, so there is one copy of each.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ingest_bench import CORPUS, HERE, WORK, subset, tree_pss_kib, unpack

__all__ = [
    "CORPUS",
    "HERE",
    "WORK",
    "subset",
    "tree_pss_kib",
    "unpack",
    "Measured",
    "measure",
    "dir_bytes",
    "median",
    "percentile",
    "machine",
    "missing_tools",
    "fresh_dir",
]


@dataclass
class Measured:
    wall: float  # seconds
    peak_pss_kib: int
    stdout: str
    returncode: int


def measure(cmd: list[str], env: dict | None = None, interval: float = 0.1) -> Measured:
    """Run ``cmd``; its wall time and the peak PSS of its process tree (sampled from /proc).

    Output goes to temporary files, not pipes, so a chatty tool cannot block on a full pipe."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.monotonic()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=err, text=True)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_pss_kib(proc.pid))
            time.sleep(interval)
        wall = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {stderr.strip()[-2000:]}")
    return Measured(wall, peak, stdout, proc.returncode)


def time_cli(cmd: list[str], env: dict | None = None) -> tuple[float, str]:
    """Whole-process wall time of a short command, and its stdout (any exit code)."""
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    return time.perf_counter() - started, proc.stdout


def dir_bytes(path: Path) -> int:
    """Bytes on disk (allocated blocks) under ``path``, like ``du``; hard links counted once."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            st = os.lstat(os.path.join(root, name))
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            total += st.st_blocks * 512
    return total


def fresh_dir(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p99 of 20 samples is the largest)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-pct * len(ordered) // 100))))
    return ordered[rank - 1]


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{platform.machine()}, {os.cpu_count()} cores ({cpu or 'unknown CPU'}){mem}, "
        f"{platform.platform()}, Python {platform.python_version()}"
    )


APT = "apt-get install -y notmuch maildir-utils python3-notmuch2"
DEBIAN_PYTHON = "/usr/bin/python3"


def missing_tools() -> list[str]:
    """What is missing to run the comparison, each with how to get it."""
    missing = []
    if not shutil.which("notmuch"):
        missing.append(f"notmuch (Debian: {APT})")
    if not shutil.which("mu"):
        missing.append(f"mu (Debian package maildir-utils: {APT})")
    if not shutil.which("dossier"):
        missing.append("dossier (pip install -e . in the project)")
    probe = (
        subprocess.run([DEBIAN_PYTHON, "-c", "import notmuch2"], capture_output=True, text=True)
        if Path(DEBIAN_PYTHON).exists()
        else None
    )
    if probe is None or probe.returncode != 0:
        missing.append(f"the notmuch Python bindings in {DEBIAN_PYTHON} (Debian: {APT})")
    return missing
