"""Outlook .msg: a public sample (fixtures/outlook/outer.msg) and files built by msgfile.py."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from pathlib import Path

from dossier.corpus.ingest import registry

from .msgfile import MsgObject, _message_header, _storage, write_cfb, write_msg

FIXTURES = Path(__file__).parent.parent / "fixtures" / "outlook"
TRANSPORT = (
    "Received: from mx.example.org (mx.example.org [192.0.2.1])\r\n"
    "\tby mail.example.net; Fri, 1 Mar 2024 12:00:01 +0000\r\n"
    "From: Alice Example <alice@example.org>\r\n"
    "To: Bob <bob@example.net>\r\n"
    "Subject: Quarterly numbers\r\n"
    "Date: Fri, 1 Mar 2024 13:00:00 +0100\r\n"
    "Message-ID: <q1@example.org>\r\n"
    "MIME-Version: 1.0\r\n"
    'Content-Type: multipart/mixed;\r\n\tboundary="----=_gone"\r\n'
    "\r\n"
)


def read_msg(path: Path):
    return list(registry.read(registry.Input(path, "msg", path.stat().st_size, 0)))


def parse(data: bytes):
    return BytesParser(policy=policy.default).parsebytes(data)


def write(tmp_path: Path, message: MsgObject, name: str = "m.msg") -> Path:
    path = tmp_path / name
    path.write_bytes(write_msg(message))
    return path


def attachment(name: str, mime: str, data: bytes, more: dict | None = None) -> MsgObject:
    return MsgObject({0x3705: 1, 0x3707: name, 0x370E: mime, 0x3701: data, **(more or {})})


def test_public_sample_with_an_embedded_message(tmp_path):
    path = tmp_path / "outer.msg"
    shutil.copy(FIXTURES / "outer.msg", path)

    (found,) = registry.discover([path])
    (member,) = read_msg(path)
    msg = parse(member.data)

    assert found.format == "msg"
    assert (member.position, member.container, member.error) == ("", "msg", None)
    assert msg["Subject"] == "outer subject"
    assert msg["To"] == "outer@foo.bar"
    assert msg["Date"].datetime == datetime(2016, 11, 15, 23, 29, 5, tzinfo=UTC)
    assert msg.get_body(("plain",)).get_content().strip() == "Outer body"
    (inner_part,) = [p for p in msg.iter_attachments()]
    inner = inner_part.get_content()
    assert inner_part.get_content_type() == "message/rfc822"
    assert (inner["Subject"], inner["To"]) == ("test", "test@foobar.com")
    assert inner.get_body(("plain",)).get_content().strip() == "body"


def test_transport_headers_are_kept_and_bodies_rebuilt(tmp_path):
    path = write(tmp_path, MsgObject(
        {0x001A: "IPM.Note", 0x007D: TRANSPORT, 0x0037: "Quarterly numbers",
         0x1000: "Numbers attached.\r\n", 0x1013: b"<p>Numbers <b>attached</b>.</p>",
         0x3FDE: 65001, 0x0C1A: "Wrong Name", 0x5D01: "wrong@example.org"},
        recipients=[MsgObject({0x0C15: 1, 0x3001: "Bob", 0x39FE: "bob@example.net"}),
                    MsgObject({0x0C15: 2, 0x3001: "Carol", 0x39FE: "carol@example.net"})],
        attachments=[attachment("Zahlen 2024 – Q1.csv", "text/csv", b"a,b\n1,2\n"),
                     attachment("logo.png", "image/png", b"\x89PNG\r\n\x1a\n", {0x3712: "logo"})],
    ))  # fmt: skip

    (member,) = read_msg(path)
    msg = parse(member.data)

    assert member.data.startswith(b"Received: from mx.example.org (mx.example.org [192.0.2.1])\n")
    assert msg["From"] == "Alice Example <alice@example.org>"  # the Internet header wins
    assert msg["Message-ID"] == "<q1@example.org>"
    assert msg["Cc"] == "Carol <carol@example.net>"  # missing from the headers: from MAPI
    assert "----=_gone" not in member.data.decode()
    assert msg.get_body(("plain",)).get_content() == "Numbers attached.\n"
    assert msg.get_body(("html",)).get_content() == "<p>Numbers <b>attached</b>.</p>\n"
    csv, png = msg.iter_attachments()
    assert (csv.get_filename(), csv.get_content_type()) == ("Zahlen 2024 – Q1.csv", "text/csv")
    assert csv.get_payload(decode=True) == b"a,b\n1,2\n"
    assert (png.get_content_type(), png["Content-ID"]) == ("image/png", "<logo>")


def test_headers_built_from_mapi_properties(tmp_path):
    path = write(tmp_path, MsgObject(
        {0x001A: "IPM.Note", 0x0037: "Réunion", 0x1000: "Bonjour",
         0x0C1A: "Zoë", 0x0C1E: "EX", 0x0C1F: "/O=ORG/OU=EXCHANGE/CN=ZOE", 0x5D01: "zoe@example.fr",
         0x0039: datetime(2024, 2, 29, 8, 30, tzinfo=UTC), 0x1035: "<r1@example.fr>",
         0x1042: "<r0@example.fr>", 0x1039: "<a@x> <r0@example.fr>"},
        recipients=[MsgObject({0x0C15: 1, 0x3001: "Exchange Only", 0x3003: "/O=ORG/CN=X"}),
                    MsgObject({0x0C15: 3, 0x3001: "Hidden", 0x39FE: "hidden@example.fr"})],
    ))  # fmt: skip

    msg = parse(read_msg(path)[0].data)

    assert msg["From"] == "Zoë <zoe@example.fr>"
    assert msg["To"] == "Exchange Only <>"  # an Exchange DN is no address: the name alone
    assert msg["To"].addresses[0].display_name == "Exchange Only"
    assert msg["Bcc"] == "Hidden <hidden@example.fr>"
    assert msg["Subject"] == "Réunion"
    assert msg["Date"].datetime == datetime(2024, 2, 29, 8, 30, tzinfo=UTC)
    assert (msg["Message-ID"], msg["In-Reply-To"]) == ("<r1@example.fr>", "<r0@example.fr>")
    assert msg["References"] == "<a@x> <r0@example.fr>"
    assert msg.get_content_type() == "text/plain" and msg.get_content() == "Bonjour\n"


def test_html_only_and_embedded_message(tmp_path):
    inner = MsgObject({0x0037: "Original", 0x1000: "first text", 0x5D01: "x@example.org"})
    path = write(tmp_path, MsgObject(
        {0x0037: "Fwd: Original", 0x1013: b"<p>see below</p>"},
        attachments=[MsgObject({0x3705: 5, 0x3707: "Original.msg"}, embedded=inner)],
    ))  # fmt: skip

    msg = parse(read_msg(path)[0].data)

    assert msg.get_body(("html", "plain")).get_content_type() == "text/html"
    (part,) = msg.iter_attachments()
    assert part.get_content_type() == "message/rfc822"
    assert part.get_content()["Subject"] == "Original"
    assert part.get_content()["From"] == "x@example.org"


def test_same_file_same_bytes(tmp_path):
    message = MsgObject({0x0037: "s", 0x1000: "t", 0x1013: b"<p>t</p>"},
                        attachments=[attachment("a.txt", "text/plain", b"a")])  # fmt: skip
    path = write(tmp_path, message)

    assert read_msg(path)[0].data == read_msg(path)[0].data


def test_unreadable_attachment_is_its_own_failure(tmp_path):
    message = MsgObject(
        {0x0037: "s", 0x1000: "t"},
        attachments=[attachment("a.bin", "application/octet-stream", b"x")],
    )
    tree = _storage(message, _message_header(message, 32))
    del tree["__attach_version1.0_#00000000"]["__properties_version1.0"]
    path = tmp_path / "m.msg"
    path.write_bytes(write_cfb(tree))

    kept, failed = read_msg(path)

    assert parse(kept.data)["Subject"] == "s"
    assert failed.position == "attachment/0" and failed.error.startswith("cannot read attachment")


def test_truncated_and_non_outlook_ole_files_are_failures(tmp_path):
    good = write_msg(MsgObject({0x0037: "s"}))
    (tmp_path / "cut.msg").write_bytes(good[:700])
    (tmp_path / "other.msg").write_bytes(write_cfb({"WordDocument": b"x" * 100}))

    for name in ("cut.msg", "other.msg"):
        (member,) = read_msg(tmp_path / name)
        assert (member.position, member.data) == ("", None)
        assert member.error.startswith("cannot read Outlook message")


def test_detected_by_content_whatever_the_name(tmp_path):
    path = write(tmp_path, MsgObject({0x0037: "s"}), name="attachment.bin")

    (found,) = registry.discover([path])

    assert found.format == "msg"


def test_rebuilding_survives_odd_outlook_data():
    from dossier.corpus.ingest.formats.outlook import OutlookAttachment, OutlookMessage, to_rfc822

    message = OutlookMessage(
        transport_headers="From x@y Mon Jan  1 00:00:00 2024\r\nReceived: a\r\nnot a header\r\n"
        " its continuation\r\n\r\nSubject: ok\r\nContent-Type: text/plain\r\n",
        text="broken \ud800 UTF-16",
        attachments=[OutlookAttachment("a\r\nb\ud800.txt", "not a type", b"x")],
    )

    msg = parse(to_rfc822(message))

    assert msg.keys()[:2] == ["Received", "Subject"]
    assert msg.get_body(("plain",)).get_content() == "broken ? UTF-16\n"
    (part,) = msg.iter_attachments()
    assert (part.get_filename(), part.get_content_type()) == ("a b?.txt", "text/plain")
