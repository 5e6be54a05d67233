"""The sample corpus: deterministic, and its manifest re-counted here from the files alone with
the stdlib (``mailbox``, ``email``, ``zipfile``), pypdf and python-docx."""

from __future__ import annotations

import io
import mailbox
import re
import time
import zipfile
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from pathlib import Path

import docx
import pytest

from dossier.demo import Manifest, generate
from tests.demo.reader import (
    PREFIX,
    Member,
    attachments_of,
    bodies,
    count_threads,
    identity,
    ids,
    matches,
    parse,
    parses,
    pdf_text,
    raw_of,
    read_members,
    searchable,
    split_mboxrd,
    tree,
)

SIZE = 600


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Manifest]:
    root = tmp_path_factory.mktemp("corpus")
    return root, generate(root, messages=SIZE, seed=714)


@pytest.fixture(scope="module")
def members(corpus: tuple[Path, Manifest]) -> list[Member]:
    return list(read_members(corpus[0]))


@pytest.fixture(scope="module")
def unique(members: list[Member]) -> dict[str, EmailMessage]:
    """Distinct messages by identity, in input order."""
    out: dict[str, EmailMessage] = {}
    for member in members:
        if parses(member.data):
            out.setdefault(identity(member.data), parse(member.data))
    return out


# --- determinism and speed ----------------------------------------------------------------


def test_same_arguments_give_identical_bytes(corpus, tmp_path):
    root, manifest = corpus
    again = generate(tmp_path / "again", messages=SIZE, seed=714)
    assert tree(tmp_path / "again") == tree(root)
    assert again.to_json() == manifest.to_json()


def test_another_seed_gives_another_corpus(corpus, tmp_path):
    generate(tmp_path / "other", messages=SIZE, seed=1)
    first = (corpus[0] / "firm-archive.mbox").read_bytes()
    assert (tmp_path / "other" / "firm-archive.mbox").read_bytes() != first


def test_default_size_is_fast_and_exact(tmp_path):
    started = time.perf_counter()
    manifest = generate(tmp_path / "full")
    assert time.perf_counter() - started < 20
    assert manifest.messages_unique == 3000


def test_too_small_is_refused(tmp_path):
    with pytest.raises(ValueError):
        generate(tmp_path / "tiny", messages=20)


def test_a_non_empty_folder_is_refused(corpus):
    with pytest.raises(FileExistsError):
        generate(corpus[0], messages=SIZE)


def test_manifest_json_round_trips(corpus):
    root, manifest = corpus
    import json

    data = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    assert data == manifest.to_json()
    assert Manifest.from_json(root, data) == manifest
    assert all(p.exists() for p in manifest.inputs)


# --- the manifest's counts, re-counted -----------------------------------------------------


def test_member_and_failure_counts(corpus, members):
    _, manifest = corpus
    assert manifest.failures == sum(1 for m in members if not parses(m.data))
    assert manifest.member_total == sum(1 for m in members if parses(m.data))
    failing = {m.where.split(":")[0] for m in members if not parses(m.data)}
    assert failing == {"mbox", "maildir", "loose", "zip"}


def test_stdlib_mbox_reader_sees_the_same_members(corpus):
    root, _ = corpus
    data = (root / "firm-archive.mbox").read_bytes()
    assert len(mailbox.mbox(root / "firm-archive.mbox")) == len(split_mboxrd(data))


def test_unique_messages_and_duplicates(corpus, members, unique):
    _, manifest = corpus
    assert len(unique) == manifest.messages_unique == SIZE
    assert manifest.duplicates == manifest.member_total - len(unique)
    copies: dict[str, list[Member]] = {}
    for member in members:
        if parses(member.data):
            copies.setdefault(identity(member.data), []).append(member)
    repeated = [group for group in copies.values() if len(group) > 1]
    assert sum(len(g) - 1 for g in repeated) == manifest.duplicates
    pairs = {tuple(sorted(m.where.split(":")[0] for m in g)) for g in repeated}
    assert ("maildir", "mbox") in pairs
    assert manifest.duplicates >= 0.04 * SIZE
    for group in repeated:
        first = group[0].data.replace(b"\r\n", b"\n")
        assert all(m.data.replace(b"\r\n", b"\n") == first for m in group[1:])


def test_thread_count(corpus, unique):
    assert count_threads(unique) == corpus[1].threads


def test_attachment_count(corpus, unique):
    count = sum(
        1
        for msg in unique.values()
        for part in msg.walk()
        if part.get_content_disposition() == "attachment"
    )
    assert count == corpus[1].attachments


def test_search_counts(corpus, unique):
    texts = [searchable(msg) for msg in unique.values()]
    senders = [parseaddr(str(msg.get("From", "")))[1].lower() for msg in unique.values()]
    for query, expected in corpus[1].searches.items():
        if query.startswith("from:"):
            assert senders.count(query[5:]) == expected, query
        else:
            assert sum(1 for t in texts if matches(t, query)) == expected, query
    assert len(corpus[1].searches) >= 5 and min(corpus[1].searches.values()) > 0


# --- the features the corpus must hold -----------------------------------------------------


def test_containers_on_disk(corpus):
    root, manifest = corpus
    assert [p.name for p in manifest.inputs] == [
        "firm-archive.mbox",
        "analyst-maildir",
        "loose",
        "attachments.zip",
    ]
    for sub in ("cur", "new", "tmp", ".Sent/cur", ".Sent/new", ".Sent/tmp"):
        assert (root / "analyst-maildir" / sub).is_dir()
    assert any(
        len(p.relative_to(root / "loose").parts) >= 3 for p in (root / "loose").rglob("*.eml")
    )
    assert any(b"\r\n" in p.read_bytes() for p in (root / "loose").rglob("*.eml"))
    names = zipfile.ZipFile(root / "attachments.zip").namelist()
    assert any(n.endswith(".mbox") for n in names) and sum(n.endswith(".eml") for n in names) >= 3


def test_mboxrd_escaping(corpus, members):
    raw = (corpus[0] / "firm-archive.mbox").read_bytes()
    assert b"\n>From the client" in raw and b"\n>>From an older" in raw
    assert b"\n>>>From the thread" in raw
    texts = raw_of(members)
    assert any(b"\nFrom the client" in t and b"\n>From an older" in t for t in texts)


def test_threading_features(unique):
    msgs = list(unique.values())
    unlinked = [m for m in msgs if not m.get("In-Reply-To") and not m.get("References")]
    prefixes = {
        str(m["Subject"]).split(":")[0] for m in unlinked if PREFIX.match(str(m["Subject"]))
    }
    assert {"AW", "SV", "RE[2]", "Fwd"} <= prefixes | {p.split()[0] for p in prefixes}
    assert any(len(ids(m, "References")) >= 5 for m in msgs)
    assert any(any(line.startswith("> ") for line in bodies(m).splitlines()) for m in msgs)
    assert any("---------- Forwarded message ----------" in bodies(m) for m in msgs)
    assert any(p.get_content_type() == "message/rfc822" for m in msgs for p in m.walk())
    assert 5 <= sum(1 for m in msgs if "Message-ID" not in m)


def test_attachment_kinds(unique):
    msgs = list(unique.values())
    pdfs = [pdf_text(data) for data in attachments_of(msgs, "application/pdf")]
    assert any("plaza accounting ledger" in text for text in pdfs)
    assert "" in pdfs  # the broken base64 one
    ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    docs = [docx.Document(io.BytesIO(d)) for d in attachments_of(msgs, ctype)]
    assert any("lighthouse subscription" in p.text for d in docs for p in d.paragraphs)
    assert attachments_of(msgs, "text/csv") and attachments_of(msgs, "text/plain")
    assert all(png.startswith(b"\x89PNG\r\n\x1a\n") for png in attachments_of(msgs, "image/png"))
    assert attachments_of(msgs, "image/png")


def test_html_mail(unique):
    msgs = list(unique.values())
    html_only = [m for m in msgs if m.get_content_type() == "text/html"]
    assert len(html_only) >= 3
    html = "\n".join(m.get_content() for m in html_only)
    for marker in ("<script>", "onerror=", "javascript:", "<iframe", "https://track.example.net/"):
        assert marker in html
    assert any(m.get_content_type() == "multipart/alternative" for m in msgs)


def test_charsets(members, unique):
    raw = b"\n".join(raw_of(members))
    for charset in ("iso-8859-1", "windows-1252", "koi8-r", "shift_jis"):
        assert f'charset="{charset}"'.encode() in raw
        assert f"=?{charset}?".encode() in raw
    text = "\n".join(bodies(m) for m in unique.values())
    for word in ("reunión", "“final”", "контрабанда", "横浜港", "€4,250"):
        assert word in text
    mislabelled = [m for m in unique.values() if "Unterlagen" in str(m.get("Subject", ""))]
    payload = mislabelled[0].get_payload(decode=True)
    with pytest.raises(UnicodeDecodeError):
        payload.decode("utf-8")


def test_malformed_messages_still_parse(members, unique):
    raw = raw_of(members)
    assert any(b"\nDate: yesterday\n" in r for r in raw)
    assert any(b"\nDate: Thu, 01 Jan 1970 00:00:00 +0000\n" in r for r in raw)
    assert any(b"\nTo: undisclosed-recipients:;\n" in r for r in raw)
    assert any("Date" not in m for m in unique.values())
    heads = [r.split(b"\n\n", 1)[0] for r in raw]
    assert any(not h.isascii() for h in heads)


def test_dates_and_zones(unique):
    zones, dates = set(), []
    for msg in unique.values():
        value = str(msg.get("Date", ""))
        if value in ("", "yesterday") or "1970" in value:
            continue
        when = parsedate_to_datetime(value)
        zones.add(when.utcoffset())
        dates.append(when)
    assert min(dates).year == 2010 and min(dates).month >= 6
    assert max(dates).isoformat() < "2012-04"
    assert len(zones) >= 5


def test_people_and_domains(unique):
    addresses = {
        a.lower()
        for m in unique.values()
        for name in ("From", "To", "Cc")
        for _, a in getaddresses([str(m.get(name, ""))])
        if "@" in a
    }
    domains = {a.split("@")[1] for a in addresses}
    assert len(addresses) >= 50 and len(domains) >= 8
    assert all(
        d.endswith((".example", ".example.com", ".example.org", ".example.net")) for d in domains
    )


INSIGHT_LABEL = re.compile(r"^(>\s*)*source\s*:", re.IGNORECASE | re.MULTILINE)


def test_insight_reports(unique):
    texts = {k: bodies(m) for k, m in unique.items()}
    untagged = [re.sub(r"<[^>]+>", "\n", t) for t in texts.values()]
    insight = [t for t in untagged if INSIGHT_LABEL.search(t) or "source identified as" in t]
    assert len(insight) >= 0.05 * SIZE
    joined = "\n".join(texts.values())
    for code in ("US714", "MX1", "MX2", "CN1000", "VZ203"):
        assert f"SOURCE: {code}" in joined
    assert re.search(r"^> SOURCE: ", joined, re.MULTILINE)
    assert re.search(r"^(source|Source) reliability ?:", joined, re.MULTILINE | re.IGNORECASE)
    assert re.search(r"^[A-Za-z ]+ {2}: ", joined, re.MULTILINE) or re.search(
        r"^[A-Za-z ]+: {2,}\S", joined, re.MULTILINE
    )
    assert "source identified as" in joined
    assert any(len(re.findall(r"^SOURCE: ", t, re.MULTILINE)) >= 2 for t in texts.values())
    assert any("SOURCE: " in t and "ITEM CREDIBILITY" not in t for t in texts.values())
    assert any(
        m.get_content_type() == "text/html" and "SOURCE:" in m.get_content()
        for m in unique.values()
    )
    assert any(
        str(m["Subject"]).startswith("Fwd: ") and "SOURCE:" in texts[k] for k, m in unique.items()
    )
    wrapped = re.search(r"^ATTRIBUTION: [^\n]*\n(?![A-Z ]+:)[a-z]", joined, re.MULTILINE)
    assert wrapped


def test_story_thread(unique):
    msgs = list(unique.values())
    reply = [
        m for m in msgs if "neither confirmed nor denied" in bodies(m) and m.get("In-Reply-To")
    ]
    assert len(reply) >= 1
    text = bodies(reply[0])
    assert "a regulated and\ncontrolled process" in text or "regulated and controlled" in text
    assert "audits of CI files" in text
    by_id = {ids(m, "Message-ID")[0]: m for m in msgs if "Message-ID" in m}
    request = by_id[ids(reply[0], "In-Reply-To")[0]]
    assert "comment" in str(request["Subject"]).lower() and "US714" in bodies(request)
    origin = by_id[ids(request, "References")[0]]
    assert "SOURCE: US714" in bodies(origin) and "hit men" in bodies(origin)
    assert "direct oversight of border investigations" in bodies(origin)
