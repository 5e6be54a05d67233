"""Encoded binary data (git's base85 binary patches, base64, PGP armour) is left out of message
text, and nothing else is: ``ingest/encoded.py``."""

from __future__ import annotations

import base64
import hashlib
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.blobs import BlobStore
from dossier.corpus.ingest.bodies import extract_body
from dossier.corpus.ingest.encoded import is_encoded_block, leave_out_encoded, marker
from dossier.corpus.ingest.parse import (
    first_headers,
    message_identity,
    parse_bytes,
    parse_message,
)
from dossier.corpus.ingest.pipeline import ingest_paths
from dossier.corpus.models import Message
from dossier.corpus.search.service import count


def git_binary_lines(data: bytes) -> list[str]:
    """``data`` as ``git diff --binary`` writes it: 52 bytes a line, base85, led by a letter
    giving the line's byte count."""
    lines = []
    for start in range(0, len(data), 52):
        chunk = data[start : start + 52]
        size = (
            chr(ord("A") + len(chunk) - 1) if len(chunk) <= 26 else chr(ord("a") + len(chunk) - 27)
        )
        padded = chunk + b"\0" * (-len(chunk) % 4)
        lines.append(size + base64.b85encode(padded).decode()[: (len(chunk) + 3) // 4 * 5])
    return lines


def base64_lines(data: bytes, width: int = 76) -> list[str]:
    text = base64.b64encode(data).decode()
    return [text[i : i + width] for i in range(0, len(text), width)]


def noise(n: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(n)


PATCH = "\n".join(
    [
        "Adds the test image.",
        "",
        "diff --git a/tests/image.img b/tests/image.img",
        "new file mode 100644",
        "GIT binary patch",
        "literal 3072",
        *git_binary_lines(noise(1500)),
        "",
        "literal 0",
        "HcmV?d00001",
        "",
        "-- ",
        "2.22.0 afterword",
    ]
)


def test_git_binary_patch_is_replaced_by_one_line() -> None:
    encoded = git_binary_lines(noise(1500))
    out = leave_out_encoded(PATCH)
    assert marker(len(encoded)) in out
    assert "Adds the test image." in out and "literal 3072" in out and "2.22.0 afterword" in out
    assert "HcmV?d00001" in out  # a lone short line is text
    assert not any(line in out for line in encoded)
    assert leave_out_encoded(out) == out


@pytest.mark.parametrize("width", [64, 76])
def test_base64_blocks_and_pgp_armour_go(width: int) -> None:
    lines = base64_lines(noise(2000, seed=width), width)
    text = "-----BEGIN PGP MESSAGE-----\n\n" + "\n".join(lines) + "\n-----END PGP MESSAGE-----\n"
    out = leave_out_encoded(text)
    assert out == (
        f"-----BEGIN PGP MESSAGE-----\n\n{marker(len(lines))}\n-----END PGP MESSAGE-----\n"
    )


def test_a_block_may_open_and_close_the_text() -> None:
    lines = base64_lines(noise(600))
    assert leave_out_encoded("\n".join(lines)) == marker(len(lines))
    assert leave_out_encoded("\n".join(lines) + "\n") == marker(len(lines)) + "\n"
    assert leave_out_encoded("intro\n" + "\n".join(lines)) == "intro\n" + marker(len(lines))


def test_lines_of_another_width_right_above_a_block_stay() -> None:
    above = ["CONFIG_BTRFS_FS_CHECK_INTEGRITY_VERBOSE=y", "CONFIG_BTRFS_FS_REF_VERIFY=y"]
    lines = base64_lines(noise(900))
    out = leave_out_encoded("\n".join(["config:", *above, *lines, "end"]))
    assert out == "\n".join(["config:", *above, marker(len(lines)), "end"])


KEPT = {
    "hex hashes (one case)": [hashlib.sha256(bytes([i])).hexdigest() for i in range(8)],
    "config lines of one width": [
        "CONFIG_RPCSEC_GSS_KRB5_ENCTYPES_AES_SHA1=y",
        "CONFIG_RPCSEC_GSS_KRB5_ENCTYPES_CAMELLIA=y",
        "CONFIG_RPCSEC_GSS_KRB5_ENCTYPES_AES_SHA2=y",
        "CONFIG_RPCSEC_GSS_KRB5_KUNIT_TEST=m",
    ],
    "addresses and links": [
        f"https://lore.kernel.org/linux-btrfs/2019{i:04d}1234.5678-{i}-wqu@suse.com"
        for i in range(6)
    ],
    "code": [f"-EXPORT_SYMBOL(ZSTD_findFrameCompressedSize{i});" for i in range(6)],
    "prose": ["The quick brown fox jumps over the lazy dog again and again."] * 6,
    "three encoded lines": base64_lines(noise(150))[:3],
    "zeros (base64 of an empty image)": ["A" * 76] * 8,
    "uneven widths": [line[: 60 + i] for i, line in enumerate(base64_lines(noise(900)))],
}


@pytest.mark.parametrize("name", KEPT)
def test_text_that_only_looks_encoded_stays(name: str) -> None:
    text = "before\n" + "\n".join(KEPT[name]) + "\nafter"
    assert leave_out_encoded(text) == text


def test_block_rule() -> None:
    lines = base64_lines(noise(570))  # ten full lines
    assert is_encoded_block(lines)
    assert not is_encoded_block(lines[:3])
    assert not is_encoded_block([*lines, lines[0] + "A"])  # a longer last line
    # half random is enough; fewer is not
    zeros = ["A" * 76] * len(lines)
    assert is_encoded_block(lines + zeros)
    assert not is_encoded_block(lines + zeros + ["A" * 76])


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=600))
def test_text_without_encoded_lines_never_changes(text: str) -> None:
    """Any text whose lines are under ``MIN_WIDTH`` or hold a space is left as it is."""
    text = "\n".join(line[:39] for line in text.split("\n"))
    assert leave_out_encoded(text) == text


def message_bytes(message_id: str = "<bin@example.org>") -> bytes:
    head = f"From: qu@example.org\nSubject: [PATCH] add image\n{message_id}\n"
    return (head + "Content-Type: text/plain\n\n" + PATCH + "\n").encode()


def test_parse_keeps_identity_and_raw_bytes_but_not_the_block(blobs: BlobStore) -> None:
    data = message_bytes(message_id="")  # no Message-ID: identity from the text
    parsed = parse_message(data, blobs=blobs)
    encoded = git_binary_lines(noise(1500))
    assert marker(len(encoded)) in parsed.body_text
    assert encoded[0] not in parsed.body_text
    assert encoded[0].encode() in blobs.read(parsed.raw_sha256)  # the original has them
    # identity as before this rule: computed from the text as sent, so reruns match old runs
    body = extract_body(parse_bytes(data)).text
    assert encoded[0] in body
    assert parsed.identity == message_identity("", first_headers(parse_bytes(data)), body)


def test_text_attachments_lose_their_blocks_too(blobs: BlobStore) -> None:
    lines = base64_lines(noise(1200))
    attached = "signature follows\n" + "\n".join(lines) + "\n"
    data = (
        "From: a@example.org\nMessage-ID: <att@example.org>\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nsee'
        " attached\n--b\nContent-Type: text/plain\nContent-Disposition: attachment;"
        f' filename="key.asc"\n\n{attached}--b--\n'
    ).encode()
    parsed = parse_message(data, blobs=blobs)
    (attachment,) = parsed.attachments
    assert attachment.text.strip() == f"signature follows\n{marker(len(lines))}"
    assert lines[0].encode() in blobs.read(attachment.sha256)


@pytest.mark.django_db(transaction=True)
def test_ingested_patch_is_searchable_by_its_words_not_its_data(tmp_path: Path) -> None:
    box = tmp_path / "box"
    box.mkdir()
    (box / "patch.eml").write_bytes(message_bytes())
    encoded = git_binary_lines(noise(1500))
    summary = ingest_paths([box], collection="c", blobs=BlobStore(tmp_path / "b"), workers=0)
    assert summary.new == 1 and summary.failed == 0
    message = Message.objects.get(subject="[PATCH] add image")
    assert marker(len(encoded)) in message.body_text
    assert count("afterword") == 1 and count("literal") == 1
    token = max(re.findall(r"[A-Za-z0-9]+", encoded[0]), key=len)
    assert len(token) >= 5
    assert count(f'"{token}"') == 0
