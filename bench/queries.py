"""The fixed query set of bench/compare.py, written in each tool's syntax.

Terms were chosen from the linux-btrfs corpus (kernel mailing list) so that every query has
hits on both the 10k subset and the whole corpus. Standard library only: this module is also
imported by bench/query_timing.py under Debian's /usr/bin/python3 (for the notmuch bindings).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Query:
    kind: str
    dossier: str
    notmuch: str
    mu: str


QUERIES: list[Query] = [
    Query("a word", "balance", "balance", "balance"),
    Query("a rare word", "bitflip", "bitflip", "bitflip"),
    Query("a phrase", '"send receive"', '"send receive"', '"send receive"'),
    Query("a prefix", "qgroup*", "qgroup*", "qgroup*"),
    Query(
        "from: an address",
        "from:dsterba@suse.com",
        "from:dsterba@suse.com",
        "from:dsterba@suse.com",
    ),
    Query("from: a domain", "from:suse.com", "from:suse.com", "from:suse.com"),
    Query(
        "a date range",
        "date:2019-05..2019-06",
        "date:2019-05..2019-06",
        "date:2019-05..2019-06",
    ),
    Query(
        "a boolean mix",
        "(scrub OR balance) -raid5",
        "(scrub OR balance) AND NOT raid5",
        "(scrub OR balance) AND NOT raid5",
    ),
    Query(
        "a field plus words",
        "subject:scrub error",
        "subject:scrub AND error",
        "subject:scrub AND error",
    ),
    Query(
        "a subject phrase",
        'subject:"send receive"',
        'subject:"send receive"',
        'subject:"send receive"',
    ),
    Query(
        "a sender in a year",
        "from:josef@toxicpanda.com date:2019",
        "from:josef@toxicpanda.com AND date:2019",
        "from:josef@toxicpanda.com AND date:2019",
    ),
    Query("two words", "transaction abort", "transaction AND abort", "transaction AND abort"),
    Query("thousands of hits", "filesystem", "filesystem", "filesystem"),
    Query("nearly every message", "btrfs", "btrfs", "btrfs"),
]


def by_tool(tool: str) -> list[str]:
    """The query strings in one tool's syntax, in QUERIES order."""
    return [getattr(q, tool) for q in QUERIES]


NOTES = """\
Counts differ for sound reasons, not all of them bugs on either side:

- Duplicates: notmuch and Dossier keep one message per Message-ID (the copies of a repeated
  Message-ID are extra files or locations of it); mu indexes every file, so it can count one
  more per repeated Message-ID (80 files repeat one in the whole corpus).
- Stemming: notmuch stems unquoted English words (`abort` also finds `aborted`, `aborting`;
  `filesystem` also finds `filesystems`); Dossier and mu (1.8) match the word as typed.
- Tokenising: Dossier splits words on every character that is not a letter or digit, so
  `btrfs_abort_transaction` or `btrfs_qgroup_inherit` in a patch holds the words `abort` and
  `qgroup...`, and `send_receive` matches the phrase "send receive". Xapian (notmuch and mu)
  keeps `_` inside a term, so those identifiers are single terms there.
- Fields: a bare word in notmuch also matches the subject and the sender/recipient headers.
  `from:ADDRESS` and `from:DOMAIN` in Dossier match the sender address exactly or its domain
  (and subdomains), other `from:` values the words of the `Name <address>` text as a phrase;
  in notmuch and mu, the address or name. These rarely change a count by more than one or two.
- The mu column of the CLI table counts the lines `mu find` prints (one path per file)."""
