"""A synthetic corpus of any size: the linux-btrfs Maildir replicated into mbox files, each
replica with its own Message-IDs, so every copy is a new message in threads of its own.

    python3 bench/synth.py --messages 1000000 [--out bench/work/synth-1000000]

Replica ``k`` rewrites every ``<id>`` in the Message-ID, In-Reply-To and References headers to
``<rk.id>``; bodies, dates and senders are unchanged, so search sizes scale with the copies.
Each replica is one mbox file (``From `` lines in bodies quoted as ``>From ``, as mboxrd does).
Streams: one message in memory at a time. Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ingest_bench import unpack  # noqa: E402

_ID_HEADER = re.compile(rb"^(message-id|in-reply-to|references):", re.IGNORECASE)
_ANGLE_ID = re.compile(rb"<([^<>\s]+)>")
_FROM_LINE = re.compile(rb"^(>*From )", re.MULTILINE)


def rewrite(data: bytes, replica: int) -> bytes:
    """The message with its id headers rewritten for ``replica`` (replica 0 is unchanged)."""
    head, sep, body = data.partition(b"\n\n")
    if replica:
        prefix = b"<r%d." % replica
        lines, in_id = [], False
        for line in head.split(b"\n"):
            if line[:1] not in (b" ", b"\t"):
                in_id = bool(_ID_HEADER.match(line))
            if in_id:
                line = _ANGLE_ID.sub(lambda m: prefix + m.group(1) + b">", line)
            lines.append(line)
        head = b"\n".join(lines)
    return head + sep + _FROM_LINE.sub(rb">\1", body)


def build(messages: int, out: Path) -> None:
    files = sorted(os.listdir(unpack() / "cur"))
    source = unpack() / "cur"
    out.mkdir(parents=True, exist_ok=True)
    written, replica = 0, 0
    while written < messages:
        target = out / f"replica-{replica:03d}.mbox"
        with open(target, "wb") as mbox:
            for name in files[: messages - written]:
                data = (source / name).read_bytes().replace(b"\r\n", b"\n")
                mbox.write(b"From synth@dossier.invalid Thu Jan  1 00:00:00 2009\n")
                mbox.write(rewrite(data, replica).rstrip(b"\n") + b"\n\n")
                written += 1
        print(f"{target.name}: {written:,} messages so far", flush=True)
        replica += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    build(args.messages, args.out or HERE / "work" / f"synth-{args.messages}")


if __name__ == "__main__":
    main()
