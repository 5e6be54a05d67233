"""The manifest: what a generated corpus holds, counted while it was written, and the rules the
counts follow (threads, search hits, which members fail)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from dossier.demo.compose import Mail
from dossier.demo.texts import PREFIX

_TOKEN = re.compile(r"[^\W_]+")
_HEADER = re.compile(rb"^[\x21-\x39\x3b-\x7e]+:")


@dataclass
class Manifest:
    """Exact expected outcomes of ingesting ``inputs`` (see ``generate``)."""

    root: Path
    inputs: list[Path]
    messages_unique: int
    member_total: int
    duplicates: int
    failures: int
    threads: int
    attachments: int
    searches: dict[str, int]

    def to_json(self) -> dict:
        """JSON-ready dict; ``inputs`` relative to ``root`` (the root itself is not written)."""
        data = asdict(self)
        del data["root"]
        data["inputs"] = [p.relative_to(self.root).as_posix() for p in self.inputs]
        return data

    @classmethod
    def from_json(cls, root: Path, data: dict) -> Manifest:
        """Read back a ``manifest.json`` written under ``root``."""
        fields = {k: v for k, v in data.items() if k != "inputs"}
        return cls(root=root, inputs=[root / p for p in data["inputs"]], **fields)


def stripped_subject(subject: str) -> str:
    """The subject without ``Re:``/``Fwd:``/``AW:``/``SV:``/``RE[2]:``... prefixes (repeated),
    spaces collapsed, case-folded."""
    return " ".join(PREFIX.sub("", subject).split()).casefold()


def count_threads(mails: Iterable[Mail]) -> int:
    """Threads under the rule in the module docs of ``generator``, ``mails`` in generation order."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    first_by_subject: dict[str, str] = {}
    nodes = []
    for mail in mails:
        node = f"seq:{mail.seq}"
        nodes.append(node)
        find(node)
        links = [mail.message_id, mail.in_reply_to, *mail.references]
        for mid in filter(None, links):
            union(node, f"mid:{mid}")
        stripped = stripped_subject(mail.subject)
        is_reply = stripped != " ".join(mail.subject.split()).casefold()
        if is_reply and not mail.in_reply_to and not mail.references:
            if stripped in first_by_subject:
                union(node, first_by_subject[stripped])
        first_by_subject.setdefault(stripped, node)
    return len({find(node) for node in nodes})


def tokens(text: str) -> list[str]:
    """Case-folded word tokens, split as a unicode61-style tokenizer splits."""
    return [t.casefold() for t in _TOKEN.findall(text)]


def _has_sequence(words: list[str], phrase: list[str]) -> bool:
    size = len(phrase)
    return any(words[i : i + size] == phrase for i in range(len(words) - size + 1))


def count_hits(mails: list[Mail], query: str) -> int:
    """Messages matching a word, a quoted phrase, or ``from:address``. Raises ValueError when the
    term also occurs in text whose extraction is uncertain (the count would be ambiguous)."""
    if query.startswith("from:"):
        return sum(1 for m in mails if m.sender == query[5:].lower())
    phrase = tokens(query)
    for mail in mails:
        if _has_sequence(tokens(mail.uncertain), phrase):
            raise ValueError(f"search term {query!r} occurs in uncertain text of #{mail.seq}")
    return sum(1 for m in mails if _has_sequence(tokens(m.certain), phrase))


def has_header(data: bytes) -> bool:
    """The parser's rule: a member parses iff it is not blank and holds a ``Field-Name: value``
    line before its first blank line."""
    if not data.strip():
        return False
    for line in data.replace(b"\r\n", b"\n").split(b"\n"):
        if not line.strip():
            return False
        if _HEADER.match(line):
            return True
    return False
