"""mbox: streamed splitting, From-quoting, CRLF, leading blank lines, big messages, positions."""

from __future__ import annotations

from pathlib import Path

from dossier.corpus.ingest import registry
from dossier.corpus.ingest.formats import mbox
from dossier.corpus.ingest.registry import Input


def read_mbox(path: Path):
    return list(registry.read(Input(path, "mbox", path.stat().st_size, 0)))


def message(subject: str, body: str = "hello\n") -> bytes:
    return f"From: a@example.org\nSubject: {subject}\n\n{body}".encode()


def test_splits_on_from_lines_and_positions_are_byte_offsets(tmp_path):
    first = b"From a@example.org Mon Jan  1 00:00:00 2024\n" + message("one") + b"\n"
    second = b"From b@example.org Tue Jan  2 00:00:00 2024\n" + message("two") + b"\n"
    path = tmp_path / "box.mbox"
    path.write_bytes(first + second)

    members = read_mbox(path)

    assert [m.position for m in members] == ["0", str(len(first))]
    assert [m.data for m in members] == [message("one"), message("two")]
    assert {m.container for m in members} == {"mbox"}
    assert {m.source_path for m in members} == {str(path)}


def test_from_line_inside_a_paragraph_is_not_a_separator(tmp_path):
    body = "Hi,\nFrom now on the meeting is at ten.\n"
    path = tmp_path / "box.mbox"
    path.write_bytes(b"From x Mon Jan  1 00:00:00 2024\n" + message("s", body) + b"\n")

    (member,) = read_mbox(path)

    assert member.data == message("s", body)


def test_quoted_from_lines_are_unescaped_once(tmp_path):
    body = ">From the archive\n>>From deeper\n> From not quoted\n"
    path = tmp_path / "box.mbox"
    path.write_bytes(b"From x Mon Jan  1 00:00:00 2024\n" + message("q", "\n" + body) + b"\n")

    (member,) = read_mbox(path)

    assert member.data.endswith(b"\n\nFrom the archive\n>From deeper\n> From not quoted\n")


def test_crlf_line_endings(tmp_path):
    raw = (
        b"From x Mon Jan  1 00:00:00 2024\r\nSubject: one\r\n\r\nbody\r\n\r\n"
        b"From y Mon Jan  1 00:00:00 2024\r\nSubject: two\r\n\r\n>From here\r\n"
    )
    path = tmp_path / "crlf.mbox"
    path.write_bytes(raw)

    members = read_mbox(path)

    assert [m.data for m in members] == [
        b"Subject: one\r\n\r\nbody\r\n",
        b"Subject: two\r\n\r\nFrom here\r\n",
    ]
    assert members[1].position == str(raw.index(b"From y"))


def test_leading_blank_lines_are_skipped(tmp_path):
    path = tmp_path / "box.mbox"
    path.write_bytes(b"\n\r\n\nFrom x Mon Jan  1 00:00:00 2024\n" + message("late"))

    (member,) = read_mbox(path)

    assert member.position == "4"
    assert member.data == message("late")


def test_message_bigger_than_the_read_buffer(tmp_path):
    body = "".join(f"line {i:08d} " + "x" * 60 + "\n" for i in range(40_000))  # about 3 MB
    assert len(body) > 2 * mbox.BUFFER
    path = tmp_path / "big.mbox"
    path.write_bytes(
        b"From x Mon Jan  1 00:00:00 2024\n" + message("big", body) + b"\n"
        b"From y Mon Jan  1 00:00:00 2024\n" + message("small")
    )

    big, small = read_mbox(path)

    assert big.data == message("big", body)
    assert small.data == message("small")


def test_a_single_line_longer_than_the_buffer(tmp_path):
    body = "A" * (3 * mbox.BUFFER) + "\n"
    path = tmp_path / "long.mbox"
    path.write_bytes(b"From x Mon Jan  1 00:00:00 2024\n" + message("long", body))

    (member,) = read_mbox(path)

    assert member.data == message("long", body)


def test_empty_message_and_text_before_the_first_from_line_are_failures(tmp_path):
    path = tmp_path / "odd.mbox"
    path.write_bytes(
        b"junk before\n\n"
        b"From x Mon Jan  1 00:00:00 2024\n\n"
        b"From y Mon Jan  1 00:00:00 2024\n" + message("ok")
    )

    junk, empty, ok = read_mbox(path)

    assert (junk.position, junk.data) == ("0", None)
    assert "before the first 'From ' line" in junk.error
    assert (empty.position, empty.error) == (str(len(b"junk before\n\n")), "empty message")
    assert ok.data == message("ok") and ok.error is None


def test_positions_are_stable_across_runs(tmp_path):
    path = tmp_path / "box.mbox"
    path.write_bytes(b"".join(b"From x Mon Jan  1 00:00:00 2024\n" + message(str(i)) + b"\n"
                              for i in range(20)))  # fmt: skip

    assert read_mbox(path) == read_mbox(path)


def test_unreadable_file_is_a_failure_not_an_exception(tmp_path):
    members = list(mbox.read(tmp_path / "gone.mbox", registry.Origin(str(tmp_path / "gone.mbox"))))

    assert len(members) == 1 and members[0].error.startswith("cannot open")
