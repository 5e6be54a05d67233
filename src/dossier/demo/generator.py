"""Dossier's deterministic sample corpus: a leaked intelligence firm's mail, for ``dossier demo``
and the end-to-end tests.

``generate(out, messages=3000, seed=714)`` writes, under ``out``:

- ``firm-archive.mbox`` (mboxrd), ``analyst-maildir/`` (Maildir++ with ``.Sent``), ``loose/``
  (.eml files in nested folders, some with CRLF line ends) and ``attachments.zip`` (.eml files,
  ``exports/old-archive.mbox`` and a corrupt member);
- ``manifest.json``: ``Manifest.to_json()``.

The same arguments give byte-identical files. ``messages`` is the exact number of distinct
messages. Counting rules behind the manifest:

- A member fails iff its bytes are empty or blank, or hold no ``Field-Name: value`` line before
  the first blank line; ``failures`` counts those, ``member_total`` every other member.
- ``duplicates``: members that repeat a message already counted (same Message-ID).
- ``threads``: messages linked through Message-ID / In-Reply-To / References (transitively, also
  via ids not in the corpus) share a thread; a message without In-Reply-To/References whose
  subject loses a ``Re:``/``Fwd:``/``AW:``/``SV:``/``RE[2]:`` prefix when stripped joins the
  thread of the earlier message (by date) with the same stripped subject; every other message
  starts a thread. Distinct conversations never share a stripped subject.
- ``attachments``: parts with ``Content-Disposition: attachment`` in distinct messages (a
  forwarded ``message/rfc822`` counts once; the messages it holds have no attachments).
- ``searches``: query -> number of distinct messages it matches (words and phrases over
  subject, addresses, decoded text parts and attachment text; ``from:`` over the sender).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from dossier.demo import charsets, containers, html_mail, oddities
from dossier.demo.attachments import MEMO_PHRASE, PDFS, Catalog
from dossier.demo.compose import Composer, Mail
from dossier.demo.context import Context, Conversation
from dossier.demo.conversations import (
    FALLBACK_PREFIXES,
    attached_forward,
    attachment_samples,
    ordinary,
)
from dossier.demo.insights import VARIANTS, insight_conversation
from dossier.demo.manifest import Manifest, count_hits, count_threads
from dossier.demo.people import ANALYST, PRESS, SOURCES
from dossier.demo.placement import Layout, place
from dossier.demo.story import story
from dossier.demo.texts import SubjectRegistry, Writer

MIN_MESSAGES = 150
INSIGHT_RATE = 0.05
SIZES = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)
SIZE_WEIGHTS = (30, 24, 15, 10, 7, 5, 3, 2, 1.5, 1, 0.8, 0.7)
SEARCH_TERMS = (
    "quillwort",
    '"hit men"',
    '"neither confirmed nor denied"',
    f'"{MEMO_PHRASE}"',
    charsets.CYRILLIC_TERM,
    f"from:{ANALYST.address}",
    f"from:{PRESS.address}",
)


def generate(out: Path, *, messages: int = 3000, seed: int = 714) -> Manifest:
    """Write the sample corpus under ``out`` (absent or empty) and return its manifest (also
    written as ``out/manifest.json``). Raises ValueError below ``MIN_MESSAGES``."""
    if messages < MIN_MESSAGES:
        raise ValueError(f"messages must be at least {MIN_MESSAGES}")
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} is not empty; the counts would not hold")
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    ctx = Context(
        rng, Composer(rng), Writer(rng), SubjectRegistry(), Catalog(rng), plant_rate=1 / 400
    )
    convs = build(ctx, messages)
    unique = sorted((m for c in convs for m in c.mails), key=lambda m: (m.date, m.seq))
    layout = place(convs, rng, len(unique))
    tally, inputs = write(out, layout)
    manifest = Manifest(
        root=out,
        inputs=inputs,
        messages_unique=len(unique),
        member_total=tally.members,
        duplicates=layout.duplicates,
        failures=tally.failures,
        threads=count_threads(unique),
        attachments=sum(m.attachments for m in unique),
        searches={q: count_hits(unique, q) for q in SEARCH_TERMS},
    )
    check(manifest, unique)
    text = json.dumps(manifest.to_json(), indent=2, ensure_ascii=False, sort_keys=True)
    (out / "manifest.json").write_text(text + "\n", encoding="utf-8")
    return manifest


def build(ctx: Context, messages: int) -> list[Conversation]:
    """Fixed features first, then insights up to 5%, then ordinary mail to the exact total."""
    convs = [story(ctx), attachment_samples(ctx)]
    convs += [make(ctx) for make in charsets.ALL]
    convs += oddities.all_oddities(ctx, no_id=5)
    convs += html_mail.html_mail(ctx, max(3, messages // 150))
    convs += [attached_forward(ctx) for _ in range(max(1, messages // 500))]
    convs += [ordinary(ctx, 3, unlinked_prefix=prefix) for prefix in FALLBACK_PREFIXES]
    target, insights, calls = round(messages * INSIGHT_RATE), 0, 0
    while insights < target or calls < len(VARIANTS):
        if calls < len(VARIANTS):  # every variant, and every source, at least once
            conv = insight_conversation(ctx, VARIANTS[calls], SOURCES[calls % len(SOURCES)])
        else:
            conv = insight_conversation(ctx, ctx.rng.choice(VARIANTS))
        convs.append(conv)
        insights, calls = insights + len(conv.mails), calls + 1
    total = sum(len(c.mails) for c in convs)
    if total > messages:
        raise ValueError(f"messages={messages} is too small for the fixed features ({total})")
    while total < messages:
        size = min(ctx.rng.choices(SIZES, SIZE_WEIGHTS)[0], messages - total)
        convs.append(ordinary(ctx, size))
        total += size
    return convs


def write(out: Path, layout: Layout) -> tuple[containers.Tally, list[Path]]:
    """Write every container; return the tally and the inputs to ingest."""
    tally = containers.Tally()
    mbox = out / containers.MBOX
    containers.write_mbox(mbox, layout.mbox, tally, junk_at=len(layout.mbox) // 3)
    maildir = out / containers.MAILDIR
    containers.write_maildir(maildir, layout.inbox, layout.sent, tally)
    loose = out / containers.LOOSE
    containers.write_loose(loose, layout.loose, tally)
    archive = out / containers.ZIP
    containers.write_zip(archive, layout.zip_eml, layout.zip_mbox, tally)
    return tally, [mbox, maildir, loose, archive]


def check(manifest: Manifest, unique: list[Mail]) -> None:
    """Cross-checks that hold by construction; a failure here is a generator bug."""
    memo = sum(1 for m in unique if PDFS["memo"][0] in m.certain)  # messages carrying the memo
    if manifest.searches[f'"{MEMO_PHRASE}"'] != memo or memo == 0:
        raise AssertionError("the memo phrase must occur only in the memo PDF")
    if manifest.member_total != manifest.messages_unique + manifest.duplicates:
        raise AssertionError("members, unique messages and duplicates disagree")
    if 0 in manifest.searches.values():
        raise AssertionError(f"a search term never occurs: {manifest.searches}")
