"""The three indexers as bench/compare.py drives them: build, rerun, size on disk, CLI count.

Each keeps its index in its own scratch folder under bench/work/compare/ (git-ignored). The
Maildir itself is shared and only read (notmuch's maildir flag synchronisation is turned off,
so no file is renamed).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from abc import ABC, abstractmethod
from pathlib import Path

from common import DEBIAN_PYTHON, HERE, Measured, dir_bytes, fresh_dir, measure, time_cli


class Tool(ABC):
    """One indexer driven by the harness; each subclass implements the abstract methods."""

    name = ""
    syntax = ""  # attribute of queries.Query

    def __init__(self, maildir: Path, scratch: Path):
        self.maildir = maildir
        self.scratch = scratch

    @abstractmethod
    def build(self) -> Measured:
        """A fresh index of the whole Maildir."""
        ...

    @abstractmethod
    def rerun(self) -> Measured:
        """Index the same, already indexed Maildir again."""
        ...

    @abstractmethod
    def index_path(self) -> Path: ...

    def size(self) -> int:
        return dir_bytes(self.index_path())

    @abstractmethod
    def count_cmd(self, query: str) -> list[str]: ...

    def parse_count(self, stdout: str) -> int:
        return int(stdout.strip() or 0)

    def cli_count(self, query: str) -> tuple[float, int]:
        seconds, out = time_cli(self.count_cmd(query), self.env())
        return seconds, self.parse_count(out)

    def env(self) -> dict:
        return dict(os.environ)

    @abstractmethod
    def messages(self) -> int:
        """Messages in the index, as the tool counts them."""
        ...

    @abstractmethod
    def command(self) -> str:
        """The index command, with paths shortened, for RESULTS.md."""
        ...

    def inproc(self, repeats: int) -> dict | None:
        """In-process query timings (see bench/query_timing.py), or None when not measured."""
        return None

    def _inproc(self, python: str, target: str, repeats: int) -> dict:
        script = str(HERE / "query_timing.py")
        proc = subprocess.run(
            [python, script, self.name, target, str(repeats)],
            env=self.env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"{self.name} query timing failed: {proc.stderr.strip()[-2000:]}")
        return json.loads(proc.stdout)


class Dossier(Tool):
    name = syntax = "dossier"

    def index_path(self) -> Path:
        return self.scratch / "dossier"

    def env(self) -> dict:
        env = dict(os.environ, DOSSIER_HOME=str(self.index_path()))
        env.pop("DOSSIER_DATABASE_URL", None)  # SQLite, the default workspace
        return env

    def _ingest(self) -> list[str]:
        return [
            "dossier",
            "ingest",
            str(self.maildir),
            "--json",
            "--collection",
            "bench",
            "-w",
            str(self.index_path()),
        ]

    def build(self) -> Measured:
        fresh_dir(self.index_path())
        return measure(self._ingest(), self.env())

    def rerun(self) -> Measured:
        return measure(self._ingest(), self.env())

    def count_cmd(self, query: str) -> list[str]:
        return ["dossier", "search", query, "--count", "-w", str(self.index_path())]

    def messages(self) -> int:
        return self.cli_count("NOT zzzznotawordzzzz")[1]  # every message

    def command(self) -> str:
        return "dossier ingest MAILDIR --json --collection bench -w WORKSPACE"

    def inproc(self, repeats: int) -> dict:
        import sys

        return self._inproc(sys.executable, str(self.index_path()), repeats)


class Notmuch(Tool):
    name = syntax = "notmuch"

    def index_path(self) -> Path:
        return self.scratch / "notmuch-db"

    def config(self) -> Path:
        return self.scratch / "notmuch-config"

    def env(self) -> dict:
        return dict(os.environ, NOTMUCH_CONFIG=str(self.config()))

    def build(self) -> Measured:
        fresh_dir(self.index_path())
        self.config().write_text(
            "[database]\n"
            f"path={self.index_path()}\n"
            f"mail_root={self.maildir}\n"
            "[new]\ntags=\n"
            "[maildir]\nsynchronize_flags=false\n"
            "[user]\nname=Bench\nprimary_email=bench@example.invalid\n"
        )
        return measure(["notmuch", "new", "--quiet"], self.env())

    def rerun(self) -> Measured:
        return measure(["notmuch", "new", "--quiet"], self.env())

    def count_cmd(self, query: str) -> list[str]:
        return ["notmuch", "count", query]

    def messages(self) -> int:
        return self.cli_count("*")[1]

    def command(self) -> str:
        return "notmuch new --quiet (database.path=INDEX, mail_root=MAILDIR, new.tags empty)"

    def inproc(self, repeats: int) -> dict:
        return self._inproc(DEBIAN_PYTHON, str(self.config()), repeats)


class Mu(Tool):
    name = syntax = "mu"

    def index_path(self) -> Path:
        return self.scratch / "mu-home"

    def build(self) -> Measured:
        home = fresh_dir(self.index_path())
        subprocess.run(
            ["mu", "init", f"--maildir={self.maildir}", f"--muhome={home}"],
            check=True,
            capture_output=True,
        )
        return self.rerun()

    def rerun(self) -> Measured:
        return measure(["mu", "index", "--quiet", f"--muhome={self.index_path()}"])

    def count_cmd(self, query: str) -> list[str]:
        # mu has no count command: list one path per match, as `mu find ... | wc -l` would.
        return ["mu", "find", f"--muhome={self.index_path()}", "--fields=l", query]

    def parse_count(self, stdout: str) -> int:
        return sum(1 for line in stdout.splitlines() if line.strip())

    def messages(self) -> int:
        return self.cli_count("maildir:/")[1]

    def command(self) -> str:
        return "mu init --maildir=MAILDIR --muhome=INDEX, then mu index --quiet --muhome=INDEX"


TOOLS = [Dossier, Notmuch, Mu]


def make_tools(maildir: Path, scratch: Path) -> list[Tool]:
    scratch.mkdir(parents=True, exist_ok=True)
    return [cls(maildir, scratch) for cls in TOOLS]


def clean(scratch: Path) -> None:
    shutil.rmtree(scratch, ignore_errors=True)
