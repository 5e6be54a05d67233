"""The CLI contract: commands, JSON shapes and exit codes (0 ok, 1 bad input or query, 2 usage)."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dossier.cli.main import app

pytestmark = pytest.mark.django_db


def make_mbox(path: Path, count: int = 3) -> Path:
    chunks = []
    for i in range(count):
        msg = EmailMessage()
        msg["From"] = f"Person {i} <p{i}@firm.example>"
        msg["To"] = "analyst@firm.example, desk@news.example"
        msg["Subject"] = f"Border report {i}" if i == 0 else "Re: Border report 0"
        msg["Date"] = f"Mon, 0{i + 1} Aug 2011 10:00:00 -0500"
        msg["Message-ID"] = f"<m{i}@firm.example>"
        if i:
            msg["In-Reply-To"] = "<m0@firm.example>"
            msg["References"] = "<m0@firm.example>"
        msg.set_content(f"The informant ledger number {i}. From the plaza.\n")
        if i == 2:
            msg.add_attachment(
                b"col1,col2\nledger,42\n", maintype="text", subtype="csv", filename="ledger.csv"
            )
        chunks.append(b"From sender Mon Aug  1 10:00:00 2011\n" + msg.as_bytes() + b"\n")
    path.write_bytes(b"".join(chunks))
    return path


@pytest.fixture
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_HOME", str(tmp_path / "ws"))
    return tmp_path / "ws"


def run(*args: str):
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def ingest_sample(tmp_path: Path, ws: Path) -> dict:
    mbox = tmp_path / "in.mbox"
    if not mbox.exists():
        make_mbox(mbox)
    result = run(
        "ingest",
        str(mbox),
        "--json",
        "--workers",
        "0",
        "--workspace",
        str(ws),
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_ingest_json_summary_and_rerun(tmp_path, ws):
    summary = ingest_sample(tmp_path, ws)
    assert (summary["new"], summary["duplicate"], summary["failed"]) == (3, 0, 0)
    assert summary["attachments"] == 1 and summary["messages_per_second"] >= 0
    again = ingest_sample(tmp_path, ws)
    assert (again["new"], again["unchanged_inputs"]) == (0, 1)


def test_search_json_hit_shape(tmp_path, ws):
    ingest_sample(tmp_path, ws)
    result = run("search", "ledger", "--json", "--workspace", str(ws))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total"] == 3
    hit = data["hits"][0]
    for key in (
        "id",
        "message_id",
        "subject",
        "from",
        "to",
        "date",
        "collection",
        "thread_id",
        "snippet",
    ):
        assert key in hit
    assert hit["to"] == ["analyst@firm.example", "desk@news.example"]
    assert hit["date"].endswith("Z") and "<mark>" in hit["snippet"].lower()


def test_search_count_facets_and_human_output(tmp_path, ws):
    ingest_sample(tmp_path, ws)
    assert run("search", "--count", "from:firm.example", "--workspace", str(ws)).stdout == "3\n"
    facets = json.loads(run("search", "plaza", "--facets", "--json").stdout)["facets"]
    assert set(facets) >= {"sender", "sender_domain", "month", "collection"}
    human = run("search", "informant", "--workspace", str(ws))
    assert human.exit_code == 0 and "3 messages match" in human.stdout


@pytest.mark.parametrize("query", ['"unbalanced', "O'Brien", "INV-2024-0042", "-", "a@b.example"])
def test_hostile_queries_never_crash(tmp_path, ws, query):
    ingest_sample(tmp_path, ws)
    result = run("search", query, "--json", "--workspace", str(ws))
    assert result.exit_code in (0, 1)
    if result.exit_code == 1:
        assert "Error:" in result.stderr


def test_bad_query_exit_1_and_usage_exit_2(tmp_path, ws):
    ingest_sample(tmp_path, ws)
    bad = run("search", "date:2011-13", "--workspace", str(ws))
    assert bad.exit_code == 1 and "date" in bad.stderr.lower()
    assert run("search", "--no-such-flag", "x").exit_code == 2
    assert run("ingest", str(tmp_path / "missing.mbox")).exit_code == 1


def test_show_json_raw_and_thread(tmp_path, ws):
    ingest_sample(tmp_path, ws)
    hit = json.loads(run("search", "filename:ledger.csv", "--json").stdout)["hits"][0]
    detail = json.loads(run("show", str(hit["id"]), "--json").stdout)
    for key in ("body", "headers", "attachments", "locations"):
        assert key in detail
    attachment = detail["attachments"][0]
    assert attachment["filename"] == "ledger.csv" and len(attachment["sha256"]) == 64
    assert attachment["text_length"] > 0
    assert detail["locations"][0]["container"] == "mbox"
    raw = run("show", "<m2@firm.example>", "--raw")
    assert raw.exit_code == 0 and "Message-ID: <m2@firm.example>" in raw.stdout
    tree = json.loads(run("thread", str(detail["thread_id"]), "--json").stdout)
    assert tree["message_count"] == 3
    assert [m["depth"] for m in tree["messages"]] == [0, 1, 1]
    assert run("show", "999999").exit_code == 1


def test_stats_and_failures(tmp_path, ws):
    ingest_sample(tmp_path, ws)
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "note.eml").write_bytes(b"no headers here at all\n\njust prose\n")
    run("ingest", str(tmp_path / "junk"), "--quiet", "--workers", "0")
    stats = json.loads(run("stats", "--json").stdout)
    assert (stats["messages"], stats["threads"], stats["failures"]) == (3, 1, 1)
    failures = json.loads(run("ingest", "--failures", "--json").stdout)
    assert failures[0]["path"].endswith("note.eml") and failures[0]["reason"]


def test_export_mbox_round_trips_and_jsonl(tmp_path, ws):
    ingest_sample(tmp_path, ws)
    out = tmp_path / "out.mbox"
    assert run("export", "informant", "--format", "mbox", "-o", str(out)).exit_code == 0
    again = json.loads(run("ingest", str(out), "--json", "-c", "exported", "--workers", "0").stdout)
    assert (again["new"], again["duplicate"]) == (0, 3)
    lines = run("export", "informant", "--format", "jsonl").stdout.strip().splitlines()
    assert len(lines) == 3 and all("body" in json.loads(line) for line in lines)
    assert run("export", "x", "--format", "pdf").exit_code == 1


def test_hostile_control_characters_never_reach_the_terminal(tmp_path, ws):
    msg = EmailMessage()
    msg["From"] = "Evil <evil@x.example>"
    msg["Subject"] = "title \x1b]0;pwned\x07 here"
    msg["Message-ID"] = "<evil@x.example>"
    msg.set_content("ledger \x1b[2J\x1b[31mred\x9b text\n")
    (tmp_path / "evil.eml").write_bytes(msg.as_bytes())
    run("ingest", str(tmp_path / "evil.eml"), "--quiet", "--workers", "0")
    for args in (("search", "ledger"), ("show", "<evil@x.example>")):
        out = run(*args).stdout
        assert "ledger" in out or "red" in out
        assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out
