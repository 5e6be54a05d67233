"""Generate ``docs/cli.md`` from the commands' own ``--help`` (``make docs``).

A test regenerates it and compares, so the reference can never drift from the code.
"""

from __future__ import annotations

import sys

from typer.testing import CliRunner

from dossier.cli.main import app

COMMANDS = ["ingest", "search", "show", "thread", "stats", "export", "demo", "serve"]

HEADER = """# Command-line reference

Generated from `--help` by `make docs` (`python -m dossier.cli.docs > docs/cli.md`);
`tests/test_docs.py` fails when this page and the code disagree.

Every command takes `--workspace DIR` (overriding `$DOSSIER_HOME`, default `./dossier-data`;
`dossier demo` defaults to `./dossier-demo`). `DOSSIER_DATABASE_URL=postgresql://...` puts the
database on PostgreSQL; blobs stay in the workspace folder.

Exit codes: `0` success, `1` bad input or bad query (the message says why), `2` usage error.

JSON shapes (`--json`): a search hit has `id`, `message_id`, `subject`, `from` (address),
`from_name`, `to` (list of addresses), `date` (ISO 8601 UTC, or `null` when the message has no
valid date), `collection`, `thread_id`, `thread_size`, `snippet` (matches wrapped in
`<mark>...</mark>`, the rest HTML-escaped), `has_attachments`. `show --json` adds `cc`,
`in_reply_to`, `references`, `size`, `raw_sha256`, `headers` (list of `[name, value]`), `body`,
`attachments` (`part`, `filename`, `content_type`, `size`, `sha256`, `text_length`,
`text_error`) and `locations` (`collection`, `path`, `position`, `container`, `raw_sha256`).
"""


def help_text(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "100"}, terminal_width=100)
    return result.output.rstrip() + "\n"


def render() -> str:
    parts = [HEADER, "## dossier\n", "```text\n" + help_text() + "```\n"]
    for name in COMMANDS:
        parts.append(f"## dossier {name}\n")
        parts.append("```text\n" + help_text(name) + "```\n")
    for group, subcommands in groups().items():  # `dossier user add`, ...: found, not listed
        for words in [(group,), *((group, sub) for sub in subcommands)]:
            parts.append(f"## dossier {' '.join(words)}\n")
            parts.append("```text\n" + help_text(*words) + "```\n")
    return "\n".join(parts)


def groups() -> dict[str, list[str]]:
    """Command groups added with ``app.add_typer`` and their commands, in registration order."""
    return {
        g.name: [c.name for c in g.typer_instance.registered_commands]
        for g in app.registered_groups
    }


if __name__ == "__main__":
    sys.stdout.write(render())
