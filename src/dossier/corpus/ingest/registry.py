"""The input formats: which files and folders hold mail, and how to read the messages out of them.

Each format is one module in ``formats/`` declaring ``NAME``, ``EXTENSIONS``, ``sniff(head, mime)``
and ``read(path, origin)`` (see ``formats/base.py``); adding a format is adding a module and listing
it in ``FORMATS`` (and, for files, in ``formats/detect.SNIFF_ORDER``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from dossier.corpus.ingest.formats import eml, folder, maildir, mbox, msg, pst
from dossier.corpus.ingest.formats import zip as zip_
from dossier.corpus.ingest.formats.base import Input, Origin
from dossier.corpus.ingest.types import Member
from dossier.errors import BadInput

__all__ = ["FORMATS", "Input", "Origin", "discover", "read"]

FORMATS = {fmt.NAME: fmt for fmt in (mbox, maildir, eml, zip_, msg, pst)}


def discover(paths: Iterable[Path]) -> Iterator[Input | Member]:
    """Walk the given files and folders (recursively, in name order) and yield one ``Input`` per
    mailbox, or a ``Member`` with ``error`` for a file that is not mail or cannot be read.

    Raises ``BadInput`` (before yielding anything) when a path does not exist.
    """
    roots = [Path(os.path.abspath(p)) for p in paths]
    missing = [str(p) for p in roots if not os.path.lexists(p)]
    if missing:
        raise BadInput(f"no such file or folder: {', '.join(missing)}")
    return _walk(roots)


def _walk(roots: list[Path]) -> Iterator[Input | Member]:
    for root in roots:
        yield from folder.walk(root)


def read(inp: Input) -> Iterator[Member]:
    """Yield every message in ``inp`` as a ``Member`` (RFC 822 bytes), or a failure record.

    Streams: memory is bounded by the largest single message, not by the container.
    """
    return FORMATS[inp.format].read(inp.path, Origin(str(inp.path)))
